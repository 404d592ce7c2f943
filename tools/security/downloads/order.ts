import { compareCrateNames } from '../crate-name/index.ts'
import { compareVersions } from './semver.ts'

/**
 * The order of counts in every output (`dl.order`): by day, then crate name
 * (`sec.crate-name.order`), then version (semantic-version precedence, then code unit).
 */
export function compareCounts(a: { day: string; crate: string; version: string }, b: { day: string; crate: string; version: string }): number {
  return (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) || compareCrateNames(a.crate, b.crate) || compareVersions(a.version, b.version)
}
