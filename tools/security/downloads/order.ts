import { canonicalCrateName, compareCrateNames } from '../crate-name/index.ts'
import { compareVersions } from './semver.ts'

/**
 * The order of counts in every output (`dl.order`): by day, then crate name
 * (`sec.crate-name.order`), then version (semantic-version precedence, then code unit).
 */
export function compareCounts(a: { day: string; crate: string; version: string }, b: { day: string; crate: string; version: string }): number {
  return (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) || (a.crate === b.crate ? 0 : compareCrateNames(a.crate, b.crate)) || compareVersions(a.version, b.version)
}

/**
 * `counts` sorted by {@link compareCounts}, in place. A file can hold a hundred thousand distinct
 * counts of a few thousand crates and versions: the distinct days, names and versions are ranked
 * once each, and the counts sorted by their ranks.
 */
export function sortCounts<T extends { day: string; crate: string; version: string }>(counts: T[]): T[] {
  const rank = (values: Set<string>, compare: (a: string, b: string) => number) => new Map([...values].sort(compare).map((value, index) => [value, index]))
  const days = rank(new Set(counts.map((count) => count.day)), (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  // Names by canonical form, then by the names themselves, as compareCrateNames orders them.
  const named = [...new Set(counts.map((count) => count.crate))].map((name) => ({ name, canonical: canonicalCrateName(name) }))
  named.sort((a, b) => (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const crates = new Map(named.map(({ name }, index) => [name, index]))
  const versions = rank(new Set(counts.map((count) => count.version)), compareVersions)
  const decorated = counts.map((count) => ({ count, day: days.get(count.day)!, crate: crates.get(count.crate)!, version: versions.get(count.version)! }))
  decorated.sort((a, b) => a.day - b.day || a.crate - b.crate || a.version - b.version)
  for (let index = 0; index < counts.length; index++) counts[index] = decorated[index]!.count
  return counts
}
