/**
 * The bytes that are signed: JSON with object keys sorted by code unit and no white space, of
 * strings, safe integers, booleans, null, arrays and plain objects only. For such values this is
 * the JSON Canonicalization Scheme (RFC 8785), whose number and string forms are JSON.stringify's;
 * anything else (a fraction, a `Date`, `undefined`) is a bug of the caller and throws.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`Canonical JSON holds safe integers only, not ${value}`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`
  }
  throw new TypeError(`Canonical JSON cannot hold ${Object.prototype.toString.call(value)}`)
}
