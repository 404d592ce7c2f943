/**
 * JSON with object keys sorted at every level (arrays keep their order) and `undefined` members
 * left out: the same value always gives the same bytes, whatever order its objects were built in.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent)
}

/** A copy of `value` whose objects list their keys in code-unit order; insertion order decides `JSON.stringify`. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  // No prototype, so that an owner team named `__proto__` stays a key.
  const sorted = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(record).sort()) {
    // `undefined` would make a key appear or vanish depending on how the object was built.
    if (record[key] !== undefined) sorted[key] = sortKeys(record[key])
  }
  return sorted
}
