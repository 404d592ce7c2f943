#!/usr/bin/env node
// The published entry point. Ferrule is written in TypeScript and runs from source through tsx's
// loader, so `npm install` alone gives a working `ferrule` with no compile step.
import { register } from 'tsx/esm/api'

register()
// Output piped to a reader that stops early (`| head`): the run still finishes its work (a count
// being stored, say), and what it would have printed goes nowhere.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error
})
const { main } = await import('../tools/ferrule/cli.ts')
process.exitCode = await main(process.argv.slice(2))
