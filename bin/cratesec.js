#!/usr/bin/env node
// The `cratesec` command: the crates-ecosystem security tools, run from source through tsx's
// loader as `ferrule` is (bin/ferrule.js).
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../tools/security/cli/index.ts')
process.exitCode = await main(process.argv.slice(2))
