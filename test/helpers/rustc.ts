import { spawnSync } from 'node:child_process'

/**
 * Whether `rustc` runs on this machine. Tests that compile Rust are skipped without it (with that
 * reason); the tests of what happens without rustc run everywhere.
 */
export const hasRustc = spawnSync('rustc', ['-vV']).status === 0
