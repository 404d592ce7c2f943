/**
 * JSON with object keys sorted at every level (arrays keep their order) and `undefined` members
 * left out: the same value always gives the same bytes, whatever order its objects were built in.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent)
}

/**
 * `value` with its objects listing their keys in code-unit order, which decides `JSON.stringify`'s.
 * Parts already in that order, without `undefined` members, are kept as they are rather than copied:
 * the objects of a large matrix are built so, and copying them took as long as writing them.
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let index = 0; index < value.length; index++) {
      const item = sortKeys(value[index])
      if (item !== value[index]) (copy ??= value.slice())[index] = item
    }
    return copy ?? value
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  let changed = false
  const members = keys.map((key, index) => {
    if (index > 0 && keys[index - 1]! >= key) changed = true
    const member = record[key]
    const sorted = member === undefined ? undefined : sortKeys(member)
    if (sorted !== member || member === undefined) changed = true
    return sorted
  })
  if (!changed) return value
  // No prototype, so that an owner team named `__proto__` stays a key.
  const sorted = Object.create(null) as Record<string, unknown>
  const order = keys.map((_, index) => index).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0))
  // `undefined` would make a key appear or vanish depending on how the object was built.
  for (const index of order) if (members[index] !== undefined) sorted[keys[index]!] = members[index]
  return sorted
}
