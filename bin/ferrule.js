#!/usr/bin/env node
// The published entry point. Ferrule is written in TypeScript and runs from source through tsx's
// loader, so `npm install` alone gives a working `ferrule` with no compile step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../tools/ferrule/cli.ts')
process.exitCode = await main(process.argv.slice(2))
