import type { CrateContents } from '../sandpit/index.ts'
import { addCounts, countUnsafe, emptyCounts, type UnsafeCounts } from './count-unsafe.ts'

/** One crate's statistics, as `cratesec unsafe-stats --json` prints them (`unsafe-stats.json`). */
export interface CrateUnsafeStats extends UnsafeCounts {
  /** `{name}-{version}`, as the scanner names crates. */
  crate: string
  /** Whether any unsafe count is above zero. */
  has_unsafe: boolean
  /** The sum of the unsafe counts: functions, blocks, impls, traits and methods. */
  total_unsafe: number
}

const notBuiltForUsers = ['tests/', 'benches/', 'examples/']

/**
 * The statistics of a crate (`unsafe-stats.crate`): the counts of its Rust sources added up, except
 * tests, benches and examples, which cargo never builds for the crate's users (as the heuristics
 * leave them out).
 */
export function crateUnsafeStats(contents: CrateContents): CrateUnsafeStats {
  const counts = emptyCounts()
  for (const file of contents.files) {
    if (!file.path.endsWith('.rs') || file.text === undefined || notBuiltForUsers.some((folder) => file.path.startsWith(folder))) continue
    addCounts(counts, countUnsafe(file.text))
  }
  const total = counts.functions.unsafe + counts.blocks.unsafe + counts.impls.unsafe + counts.traits.unsafe + counts.methods.unsafe
  return { crate: contents.version === undefined ? contents.name : `${contents.name}-${contents.version}`, ...counts, has_unsafe: total > 0, total_unsafe: total }
}

/** Over a set of crates (`unsafe-stats.share`): how many there are, how many use `unsafe`, and that share. */
export interface UnsafeShare {
  crates: number
  withUnsafe: number
  /** `withUnsafe / crates` with three decimals (`"0.667"`), `"0.000"` for no crates. */
  share: string
}

/** The share of `stats` that use `unsafe`, in integer arithmetic so that every platform prints the same digits. */
export function unsafeShare(stats: readonly CrateUnsafeStats[]): UnsafeShare {
  const withUnsafe = stats.filter((crate) => crate.has_unsafe).length
  const thousandths = stats.length === 0 ? 0 : Math.round((withUnsafe * 1000) / stats.length)
  return { crates: stats.length, withUnsafe, share: `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}` }
}
