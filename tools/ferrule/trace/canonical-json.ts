/**
 * JSON with object keys sorted at every level (arrays keep their order) and `undefined` members
 * left out: the same value always gives the same bytes, whatever order its objects were built in.
 */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent)
}

/** Items of a list that `canonicalJsonPieces` makes one piece. */
const itemsPerPiece = 32

/**
 * `canonicalJson(value, indent)`, indented, in pieces, each made when the last has been taken: each
 * member of an object at the top is a piece, and a list that is such a member is in pieces of some
 * items. A large matrix is then never one text: `JSON.stringify` of it made a text of 55 MB out of
 * parts, which had to be copied whole again before it could be written.
 */
export function* canonicalJsonPieces(value: unknown, indent: number): Generator<string> {
  const sorted = sortKeys(value)
  const record = sorted as Record<string, unknown>
  // Members that `JSON.stringify` leaves out of an object but writes as null in a list, and any
  // indent it would not write as such, are left to it whole.
  const plain =
    Number.isInteger(indent) && indent >= 1 && indent <= 10 && sorted !== null && typeof sorted === 'object' && !Array.isArray(sorted) &&
    Object.values(record).every((member) => typeof member !== 'function' && typeof member !== 'symbol' && member !== undefined)
  const keys = plain ? Object.keys(record) : []
  if (keys.length === 0) {
    yield JSON.stringify(sorted, null, indent)
    return
  }
  const one = ' '.repeat(indent)
  // `JSON.stringify` of a member, its lines after the first indented one level: written as the item
  // of a list and cut out of it (indenting its lines afterwards took longer).
  const member = (value: unknown) => JSON.stringify([value], null, indent).slice(2 + indent, -2)
  yield '{\n'
  for (const [index, key] of keys.entries()) {
    const value = record[key]
    const head = `${one}${JSON.stringify(key)}: `
    if (Array.isArray(value) && value.length > 0) {
      yield `${head}[\n`
      // Some items at a time: a call for each cost more than the text it saved.
      for (let at = 0; at < value.length; at += itemsPerPiece) {
        const end = Math.min(at + itemsPerPiece, value.length)
        // The items as one list of a member, less its brackets: each on a line two levels in, a comma
        // after all but the last. Three pieces, not one: joined, the items' text was copied once more.
        yield `${one}${one}`
        yield member(value.slice(at, end)).slice(2 + indent * 2, -(2 + indent))
        yield end < value.length ? ',\n' : '\n'
      }
      yield `${one}]`
    } else {
      yield head + member(value)
    }
    yield index < keys.length - 1 ? ',\n' : '\n'
  }
  yield '}'
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
