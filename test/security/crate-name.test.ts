import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  DEFAULT_RESERVED_CRATE_NAMES,
  MAX_CRATE_NAME_LENGTH,
  canonicalCrateName,
  compareCrateNames,
  isValidCrateName,
  sameCrate,
  isReservedCrateName,
  validateCrateName,
  wellFormedCrateNamePattern,
} from '../../tools/security/crate-name/index.ts'

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const nameCharacters = `${letters}0123456789-_`

/** Syntactically valid names (they may still be reserved). */
const validSyntax = fc
  .tuple(fc.constantFrom(...letters), fc.string({ unit: fc.constantFrom(...nameCharacters), maxLength: MAX_CRATE_NAME_LENGTH - 1 }))
  .map(([first, rest]) => first + rest)

/** Any string, with crate-name characters over-represented so that near-misses are common. */
const anyName = fc.oneof(validSyntax, fc.string({ unit: 'grapheme', maxLength: 70 }), fc.string({ maxLength: 10 }))

/** A reserved name spelled some other way (`NUL`, `Compiler_Builtins`), or a valid-looking name around the length limit. */
const nearMiss = fc.oneof(
  fc.tuple(fc.constantFrom(...DEFAULT_RESERVED_CRATE_NAMES), fc.infiniteStream(fc.boolean())).map(([name, flips]) =>
    Array.from(name, (character) => (flips.next().value ? (character === '-' ? '_' : character === '_' ? '-' : character.toUpperCase()) : character)).join(''),
  ),
  fc.tuple(fc.constantFrom(...letters), fc.string({ unit: fc.constantFrom(...nameCharacters), minLength: MAX_CRATE_NAME_LENGTH - 2, maxLength: MAX_CRATE_NAME_LENGTH + 1 })).map(([first, rest]) => first + rest),
)

describe('validateCrateName', () => {
  test('[sec.crate-name.syntax] accepts names of ASCII letters, digits, `-` and `_` that start with a letter', () => {
    for (const name of ['serde', 'serde_json', 'tokio-util', 'a', 'Inflector', 'x86_64', 'a-', 'a__b--c']) {
      expect(validateCrateName(name), name).toEqual({ ok: true })
    }
  })

  test('[sec.crate-name.syntax] rejects the empty name', () => {
    expect(validateCrateName('')).toEqual({ ok: false, problem: 'empty', reason: 'A crate name must not be empty.' })
  })

  test('[sec.crate-name.syntax] rejects a leading digit', () => {
    expect(validateCrateName('1password')).toEqual({
      ok: false,
      problem: 'leading-character',
      reason: 'A crate name must start with an ASCII letter, but position 1 holds the digit `1` (U+0031).',
      position: 1,
    })
  })

  test('[sec.crate-name.syntax] rejects a leading `_` or `-`, which crates.io allows only in dependency renames', () => {
    expect(validateCrateName('_tokio')).toMatchObject({ ok: false, problem: 'leading-character', position: 1 })
    expect(validateCrateName('_tokio')).toHaveProperty('reason', expect.stringContaining('the character `_` (U+005F)'))
    expect(validateCrateName('-foo')).toMatchObject({ ok: false, problem: 'leading-character', position: 1 })
  })

  test('[sec.crate-name.syntax] names the offending character by code point and its position', () => {
    expect(validateCrateName('serde/json')).toEqual({
      ok: false,
      problem: 'character',
      reason: 'Unexpected character `/` (U+002F) at position 6; a crate name may contain only ASCII letters, digits, `-` and `_`.',
      position: 6,
    })
    expect(validateCrateName('foo.bar')).toMatchObject({ problem: 'character', position: 4 })
    expect(validateCrateName('foo+plus')).toMatchObject({ problem: 'character', position: 4 })
  })

  test('[sec.crate-name.syntax] rejects non-ASCII letters, showing look-alikes and invisibles by code point only', () => {
    // Cyrillic а (U+0430) looks like Latin a: the report must tell them apart.
    const homoglyph = validateCrateName('serde_jsоn')
    expect(homoglyph).toMatchObject({ ok: false, problem: 'character', position: 9 })
    expect(homoglyph).toHaveProperty('reason', expect.stringContaining('Unexpected character U+043E at position 9'))
    expect(validateCrateName('京')).toMatchObject({ problem: 'leading-character', position: 1 })
    expect(validateCrateName('a\u202Eb')).toHaveProperty('reason', expect.stringContaining('U+202E at position 2'))
    expect(validateCrateName('a b')).toHaveProperty('reason', expect.stringContaining('U+0020 at position 2'))
    expect(validateCrateName('a\uFFFDb')).toMatchObject({ problem: 'character', position: 2 })
  })

  test('[sec.crate-name.syntax] counts positions in characters, not UTF-16 code units', () => {
    expect(validateCrateName('a💝b!')).toMatchObject({ problem: 'character', position: 2 })
    expect(validateCrateName('ab💝!')).toHaveProperty('reason', expect.stringContaining('U+1F49D at position 3'))
  })

  test('[sec.crate-name.length] accepts 64 characters and rejects 65', () => {
    expect(validateCrateName('a'.repeat(64))).toEqual({ ok: true })
    expect(validateCrateName('a'.repeat(65))).toEqual({
      ok: false,
      problem: 'too-long',
      reason: 'A crate name must have at most 64 characters, but this one has 65.',
    })
  })

  test('[sec.crate-name.length] counts characters, and reports length before bad characters as crates.io does', () => {
    // 64 astral characters are 128 UTF-16 code units but 64 characters: not too long, just invalid.
    expect(validateCrateName('💝'.repeat(64))).toMatchObject({ problem: 'leading-character' })
    expect(validateCrateName('💝'.repeat(65))).toMatchObject({ problem: 'too-long' })
    expect(validateCrateName(`${'a'.repeat(70)}/`)).toMatchObject({ problem: 'too-long' })
  })

  test('[sec.crate-name.reserved] rejects reserved names in any spelling', () => {
    expect(validateCrateName('std')).toEqual({ ok: false, problem: 'reserved', reason: 'The crate name `std` is reserved (as `std`).' })
    expect(validateCrateName('Proc-Macro')).toMatchObject({ ok: false, problem: 'reserved' })
    expect(validateCrateName('compiler_builtins')).toMatchObject({ ok: false, problem: 'reserved' })
    expect(validateCrateName('NUL')).toMatchObject({ ok: false, problem: 'reserved' })
    expect(validateCrateName('lpt0')).toMatchObject({ ok: false, problem: 'reserved' })
    // Only the whole name is reserved.
    expect(validateCrateName('std-ext')).toEqual({ ok: true })
    expect(validateCrateName('con1')).toEqual({ ok: true })
  })

  test('[sec.crate-name.reserved] takes the reserved list from the caller', () => {
    expect(validateCrateName('std', { reserved: [] })).toEqual({ ok: true })
    const reserved = ['Company-Internal']
    expect(validateCrateName('company_internal', { reserved })).toMatchObject({ ok: false, problem: 'reserved' })
    expect(validateCrateName('core', { reserved })).toEqual({ ok: true })
    expect(validateCrateName('company_internal', { reserved: new Set(reserved) })).toMatchObject({ problem: 'reserved' })
  })

  test('[sec.crate-name.reserved] the default list is syntactically valid and canonically distinct', () => {
    const canonical = DEFAULT_RESERVED_CRATE_NAMES.map(canonicalCrateName)
    expect(new Set(canonical).size).toBe(DEFAULT_RESERVED_CRATE_NAMES.length)
    for (const name of DEFAULT_RESERVED_CRATE_NAMES) {
      expect(validateCrateName(name, { reserved: [] }), name).toEqual({ ok: true })
    }
    expect(Object.isFrozen(DEFAULT_RESERVED_CRATE_NAMES)).toBe(true)
  })

  test('[sec.crate-name.invalid] never throws, and fails exactly when the reason is set', () => {
    fc.assert(
      fc.property(fc.oneof(anyName, nearMiss), (name) => {
        const result = validateCrateName(name)
        expect(isValidCrateName(name)).toBe(result.ok)
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0)
      }),
    )
  })

  test('[sec.crate-name.invalid] the well-formed names pattern and isReservedCrateName tell valid names, whole and embedded before a delimiter', () => {
    const whole = new RegExp(`^${wellFormedCrateNamePattern}$`)
    const embedded = new RegExp(`^/crates/(${wellFormedCrateNamePattern})/`)
    fc.assert(
      fc.property(fc.oneof(anyName, nearMiss), (name) => {
        const wellFormed = whole.test(name)
        expect(wellFormed && !isReservedCrateName(name)).toBe(isValidCrateName(name))
        const result = validateCrateName(name)
        expect(wellFormed).toBe(result.ok || result.problem === 'reserved')
        if (!name.includes('/')) expect(embedded.exec(`/crates/${name}/1.0.0/download`)?.[1]).toBe(wellFormed ? name : undefined)
      }),
    )
    for (const name of ['std', 'NUL', 'Compiler_Builtins', 'com1']) expect(isReservedCrateName(name), name).toBe(true)
    for (const name of ['stdx', 'com10', 'nul-x']) expect(isReservedCrateName(name), name).toBe(false)
    expect(whole.test('a'.repeat(MAX_CRATE_NAME_LENGTH))).toBe(true)
    expect(whole.test('a'.repeat(MAX_CRATE_NAME_LENGTH + 1))).toBe(false)
  })

  test('[sec.crate-name.syntax] every generated name of the allowed alphabet is valid unless reserved', () => {
    fc.assert(
      fc.property(validSyntax, (name) => {
        const result = validateCrateName(name)
        expect(result.ok || (!result.ok && result.problem === 'reserved')).toBe(true)
      }),
    )
  })
})

describe('canonicalCrateName and sameCrate', () => {
  test('[sec.crate-name.canonical] lower-cases ASCII letters and turns `-` into `_`', () => {
    expect(canonicalCrateName('Serde-JSON')).toBe('serde_json')
    expect(canonicalCrateName('serde_json')).toBe('serde_json')
    expect(canonicalCrateName('Tokio-Util_X')).toBe('tokio_util_x')
  })

  test('[sec.crate-name.canonical] leaves other characters alone, so it never merges a look-alike', () => {
    expect(canonicalCrateName('ÄÖ-İ')).toBe('ÄÖ_İ')
    expect(canonicalCrateName('serde_jsоn')).not.toBe(canonicalCrateName('serde_json'))
  })

  test('[sec.crate-name.canonical] is idempotent, keeps length and keeps validity', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        const canonical = canonicalCrateName(name)
        expect(canonicalCrateName(canonical)).toBe(canonical)
        expect(canonical.length).toBe(name.length)
        expect(isValidCrateName(canonical)).toBe(isValidCrateName(name))
      }),
    )
  })

  test('[sec.crate-name.same] treats case and `-`/`_` as insignificant and nothing else', () => {
    expect(sameCrate('serde-json', 'Serde_JSON')).toBe(true)
    expect(sameCrate('tokio', 'TOKIO')).toBe(true)
    expect(sameCrate('serde-json', 'serdejson')).toBe(false)
    expect(sameCrate('serde', 'serde ')).toBe(false)
  })

  test('[sec.crate-name.same] is an equivalence relation', () => {
    const spellings = fc.array(fc.constantFrom('a', 'A', 'b', 'B', '-', '_'), { maxLength: 6 }).map((units) => units.join(''))
    fc.assert(
      fc.property(spellings, spellings, spellings, (a, b, c) => {
        expect(sameCrate(a, a)).toBe(true)
        expect(sameCrate(a, b)).toBe(sameCrate(b, a))
        if (sameCrate(a, b) && sameCrate(b, c)) expect(sameCrate(a, c)).toBe(true)
      }),
    )
  })
})

describe('compareCrateNames', () => {
  test('[sec.crate-name.order] orders by canonical form, then by spelling', () => {
    const names = ['serde_json', 'Serde-JSON', 'serde', 'serde-json', 'Zlib', 'a_b', 'a-c', 'Serde_JSON']
    expect([...names].sort(compareCrateNames)).toEqual(['a_b', 'a-c', 'serde', 'Serde-JSON', 'Serde_JSON', 'serde-json', 'serde_json', 'Zlib'])
  })

  test('[sec.crate-name.order] is a total order consistent with sameCrate', () => {
    fc.assert(
      fc.property(anyName, anyName, anyName, (a, b, c) => {
        expect(Math.sign(compareCrateNames(a, b)) + Math.sign(compareCrateNames(b, a))).toBe(0)
        expect(compareCrateNames(a, b) === 0).toBe(a === b)
        if (compareCrateNames(a, b) <= 0 && compareCrateNames(b, c) <= 0) expect(compareCrateNames(a, c)).toBeLessThanOrEqual(0)
        if (!sameCrate(a, b)) {
          expect(Math.sign(compareCrateNames(a, b))).toBe(Math.sign(compareCrateNames(canonicalCrateName(a), canonicalCrateName(b))))
        }
      }),
    )
  })

  test('[sec.crate-name.order] sorting does not depend on the input order', () => {
    fc.assert(
      fc.property(fc.array(anyName, { maxLength: 20 }), (names) => {
        const sorted = [...names].sort(compareCrateNames)
        expect([...names].reverse().sort(compareCrateNames)).toEqual(sorted)
      }),
    )
  })
})
