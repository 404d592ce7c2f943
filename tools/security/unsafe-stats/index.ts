// Unsafe statistics (spec: security/unsafe-statistics.md), in the spirit of Painter: how much of a
// crate, and of a set of crates, uses `unsafe`, counted from the heuristics' Rust tokenizer.
export { addCounts, countUnsafe, emptyCounts, type UnsafeCounts } from './count-unsafe.ts'
export { type CrateUnsafeStats, crateUnsafeStats, type UnsafeShare, unsafeShare } from './crate-stats.ts'
export { unsafeStatsTable } from './command.ts'
