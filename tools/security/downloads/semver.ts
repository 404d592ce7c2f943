// The semantic-versioning grammar (semver.org, "Is there a suggested regular expression?"), as the
// package checks use it: a download counts only for a valid version, build metadata included.
const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

/** The grammar as a pattern to embed in another: no anchors, no capture groups. */
export const semverPattern = semver.source.slice(1, -1).replace(/\((?!\?)/g, '(?:')

/** Whether `version` is a semantic version (`1.0.0`, `1.0.0-rc.1`, `0.1.0+zstd.1.5.5`). */
export function isSemver(version: string): boolean {
  return semver.test(version)
}

/**
 * The order in which outputs list versions of one crate: by semantic-version precedence, then,
 * between versions of equal precedence (which differ only in build metadata), by code unit. A total
 * order on valid versions; anything else sorts after them, by code unit.
 */
export function compareVersions(a: string, b: string): number {
  const left = semver.exec(a)
  const right = semver.exec(b)
  if (!left || !right) return left ? -1 : right ? 1 : compareCodeUnits(a, b)
  for (let part = 1; part <= 3; part++) {
    const difference = compareNumeric(left[part]!, right[part]!)
    if (difference !== 0) return difference
  }
  return comparePrerelease(left[4], right[4]) || compareCodeUnits(a, b)
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  // A version without a pre-release outranks one with it (1.0.0-rc.1 < 1.0.0).
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1
  const left = a.split('.')
  const right = b.split('.')
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const x = left[index]!
    const y = right[index]!
    const numericX = /^\d+$/.test(x)
    const numericY = /^\d+$/.test(y)
    const difference = numericX && numericY ? compareNumeric(x, y) : numericX ? -1 : numericY ? 1 : compareCodeUnits(x, y)
    if (difference !== 0) return difference
  }
  return left.length - right.length
}

/** Decimal strings without leading zeros, compared as numbers of any size. */
function compareNumeric(a: string, b: string): number {
  return a.length - b.length || compareCodeUnits(a, b)
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
