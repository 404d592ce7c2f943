import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalJson, canonicalJsonPieces } from '../../../tools/ferrule/trace/canonical-json.ts'

/** The definition: a sorted copy of every object, `undefined` members dropped, then `JSON.stringify`. */
function reference(value: unknown, indent?: number): string {
  const sorted = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sorted)
    if (item === null || typeof item !== 'object') return item
    const copy = Object.create(null) as Record<string, unknown>
    for (const key of Object.keys(item).sort()) {
      const member = (item as Record<string, unknown>)[key]
      if (member !== undefined) copy[key] = sorted(member)
    }
    return copy
  }
  return JSON.stringify(sorted(value), null, indent)
}

const key = fc.oneof(fc.string(), fc.constantFrom('a', 'b', 'A', '__proto__', '10', '9', 'é'))
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value

describe('canonicalJson', () => {
  test('sorts keys at every level and drops undefined members, whatever order objects were built in', () => {
    const value = { b: [{ z: 1, a: undefined, m: { y: 2, x: [3, { d: 4, c: 5 }] } }], a: 'x', __proto__: null }
    expect(canonicalJson(value)).toBe('{"a":"x","b":[{"m":{"x":[3,{"c":5,"d":4}],"y":2},"z":1}]}')
    const owner = JSON.parse('{"__proto__": {"b": 1, "a": 2}, "T-lang": 3}') as unknown
    expect(canonicalJson(owner)).toBe('{"T-lang":3,"__proto__":{"a":2,"b":1}}')
  })

  test('gives the bytes of the definition for any JSON value, sorted or not', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(undefined, 2), (value, indent) => {
        expect(canonicalJson(value, indent)).toBe(reference(value, indent))
      }),
      { numRuns: 1000 },
    )
  })

  test('leaves the value it is given as it was', () => {
    const value = { b: { d: 1, c: 2 }, a: [{ f: undefined, e: 3 }] }
    const before = structuredClone(value)
    canonicalJson(value, 2)
    expect(value).toEqual(before)
    expect(Object.keys(value)).toEqual(['b', 'a'])
  })
})

describe('canonicalJsonPieces', () => {
  test('its pieces are the bytes of canonicalJson for any JSON value and indent', () => {
    // Long lists too: they come in pieces of some items.
    const long = fc.dictionary(key, fc.oneof(json, fc.array(json, { minLength: 30, maxLength: 70 })), { maxKeys: 4 })
    fc.assert(
      fc.property(fc.oneof(json, long).filter((value) => value !== undefined), fc.constantFrom(0, 1, 2, 4, 12), (value, indent) => {
        expect([...canonicalJsonPieces(value, indent)].join('')).toBe(canonicalJson(value, indent))
      }),
      { numRuns: 1000 },
    )
  })

  test('members a list would write as null are left to JSON.stringify whole', () => {
    const value = { b: () => 1, a: [1, 2], c: Symbol('c') }
    expect([...canonicalJsonPieces(value, 2)].join('')).toBe(canonicalJson(value, 2))
  })
})
