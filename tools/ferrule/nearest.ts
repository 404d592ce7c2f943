import { distance } from 'fastest-levenshtein'

/**
 * Up to `count` of `candidates` nearest to `wanted` by edit distance, within a third of its length;
 * a candidate that extends `wanted` or that `wanted` extends (a missing or an extra last segment)
 * counts as the farthest acceptable, so that a near typo comes first.
 */
export function nearest(wanted: string, candidates: Iterable<string>, count = 3): string[] {
  const limit = limitOf(wanted)
  const scored: Array<[score: number, name: string]> = []
  for (const name of candidates) {
    const found = score(wanted, name, limit)
    if (found !== undefined) scored.push([found, name])
  }
  return best(scored, count)
}

/**
 * `nearest(wanted, after, count)` worked out from `previous`, which is `nearest(wanted, before, count)`,
 * where `after` is `before` less `removed` and plus `added` (none of which `before` holds): the rest of
 * `before` is no nearer than `previous`, so only `previous` and `added` are scored. `undefined` when
 * a name of `previous` was removed: then whatever came after it in `before` is needed.
 */
export function nearestAfterChange(wanted: string, previous: readonly string[], removed: ReadonlySet<string>, added: readonly string[], count = 3): string[] | undefined {
  if (previous.some((name) => removed.has(name))) return undefined
  const limit = limitOf(wanted)
  const scored: Array<[score: number, name: string]> = []
  for (const name of [...previous, ...added]) {
    const found = score(wanted, name, limit)
    if (found !== undefined) scored.push([found, name])
  }
  return best(scored, count)
}

function limitOf(wanted: string): number {
  return Math.max(2, Math.ceil(wanted.length / 3))
}

/** How far `name` is from `wanted` (within `limit`), or `undefined` when it is farther. */
function score(wanted: string, name: string, limit: number): number | undefined {
  if (isExtensionOf(name, wanted) || isExtensionOf(wanted, name)) return limit
  // The distance is at least the difference in length: most candidates need no more.
  if (Math.abs(name.length - wanted.length) > limit) return undefined
  const found = distance(wanted, name)
  return found <= limit ? found : undefined
}

/** The `count` nearest, the nearer first, then by code unit. */
function best(scored: Array<[score: number, name: string]>, count: number): string[] {
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return scored.slice(0, count).map(([, name]) => name)
}

/** Whether `longer` is `shorter` and more segments: `shorter` followed by `.`. */
function isExtensionOf(longer: string, shorter: string): boolean {
  return longer.length > shorter.length && longer.charCodeAt(shorter.length) === 0x2e && longer.startsWith(shorter)
}
