import type { Matrix } from '../types.ts'

/**
 * `matrix.json`: the whole matrix, described by `schemas/matrix.schema.json`. Object keys are
 * sorted at every level (arrays keep their order), indented by two spaces, ending in a newline, so
 * that two runs on the same inputs give the same bytes and a diff between releases shows only what
 * changed.
 */
export function matrixToJson(matrix: Matrix): string {
  return JSON.stringify(sortKeys(matrix), null, 2) + '\n'
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
