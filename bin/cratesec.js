#!/usr/bin/env node
// The `cratesec` command: the crates-ecosystem security tools, run from source through tsx's
// loader as `ferrule` is (bin/ferrule.js).
import { register } from 'tsx/esm/api'

register()
// Output piped to a reader that stops early (`| head`): the run still finishes its work (a count
// being stored, say), and what it would have printed goes nowhere.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error
})
const { main } = await import('../tools/security/cli/index.ts')
process.exitCode = await main(process.argv.slice(2))
