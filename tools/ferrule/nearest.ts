import { distance } from 'fastest-levenshtein'

/**
 * Up to `count` of `candidates` nearest to `wanted` by edit distance, within a third of its length;
 * a candidate that extends `wanted` or that `wanted` extends (a missing or an extra last segment)
 * counts as the farthest acceptable, so that a near typo comes first.
 */
export function nearest(wanted: string, candidates: Iterable<string>, count = 3): string[] {
  const limit = Math.max(2, Math.ceil(wanted.length / 3))
  const scored: Array<[score: number, name: string]> = []
  for (const name of candidates) {
    if (isExtensionOf(name, wanted) || isExtensionOf(wanted, name)) {
      scored.push([limit, name])
      continue
    }
    // The distance is at least the difference in length: most candidates need no more.
    if (Math.abs(name.length - wanted.length) > limit) continue
    const score = distance(wanted, name)
    if (score <= limit) scored.push([score, name])
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return scored.slice(0, count).map(([, name]) => name)
}

/**
 * `nearest(wanted, after, count)` worked out from `previous`, which is `nearest(wanted, before, count)`,
 * where `after` is `before` less `removed` and plus `added` (none of which `before` holds): the rest of
 * `before` is no nearer than `previous`, so only `previous` and `added` are scored. `undefined` when
 * a name of `previous` was removed: then whatever came after it in `before` is needed.
 */
export function nearestAfterChange(wanted: string, previous: readonly string[], removed: ReadonlySet<string>, added: readonly string[], count = 3): string[] | undefined {
  return previous.some((name) => removed.has(name)) ? undefined : nearest(wanted, [...previous, ...added], count)
}

/** Whether `longer` is `shorter` and more segments: `shorter` followed by `.`. */
function isExtensionOf(longer: string, shorter: string): boolean {
  return longer.length > shorter.length && longer.charCodeAt(shorter.length) === 0x2e && longer.startsWith(shorter)
}
