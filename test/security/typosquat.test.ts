import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  AFFIXES,
  CHECKS,
  CRATE_NAME_ALPHABET,
  type CorpusRecord,
  checkName,
  createCorpus,
  skeleton,
  TYPO_TABLE,
} from '../../tools/security/typosquat/index.ts'

const record = (name: string, owners: string[] = ['user:1'], downloads = 1000): CorpusRecord => ({ name, owners, downloads })

/** A corpus of the given names, each owned by `user:1`. */
const corpusOf = (...names: string[]) => createCorpus(names.map((name) => record(name)))

/** `[check, crate]` of each result. */
const found = (names: string[], candidate: string, owners?: string[]) =>
  checkName(corpusOf(...names), candidate, owners ? { owners } : undefined).map((squat) => [squat.check, squat.crate])

const only = (check: string, names: string[], candidate: string) =>
  checkName(corpusOf(...names), candidate).filter((squat) => squat.check === check).map((squat) => squat.crate)

const letters = 'abcdefghijklmnopqrstuvwxyz'
/** Valid crate names of 2 to 12 characters, mostly letters, with `-` and `_` now and then. */
const crateName = fc
  .tuple(fc.constantFrom(...letters), fc.string({ unit: fc.constantFrom(...`${letters}${letters}0123456789-_`), minLength: 1, maxLength: 11 }))
  .map(([first, rest]) => first + rest)

describe('checks', () => {
  test('[typo.repeated] drops one of an adjacent equal pair, ASCII only', () => {
    expect(only('repeated', ['serde'], 'serdde')).toEqual(['serde'])
    expect(only('repeated', ['abbc'], 'abbbc')).toEqual(['abbc'])
    expect(only('repeated', ['aaaaa'], 'aaaaaa')).toEqual(['aaaaa'])
    expect(only('repeated', ['abc'], 'abc')).toEqual([])
    expect(only('repeated', ['serde'], 'sserde')).toEqual(['serde'])
  })

  test('[typo.repeated] finds every doubled character of a corpus name', () => {
    fc.assert(
      fc.property(crateName, fc.nat(), (name, at) => {
        const index = at % name.length
        const candidate = name.slice(0, index + 1) + name.slice(index)
        expect(only('repeated', [name], candidate)).toEqual([name])
      }),
    )
  })

  test('[typo.swapped-characters] swaps adjacent different characters', () => {
    expect(only('swapped-characters', ['serde'], 'sedre')).toEqual(['serde'])
    expect(only('swapped-characters', ['ba', 'acb', 'bac'], 'abc')).toEqual(['acb', 'bac'])
    expect(only('swapped-characters', ['aab'], 'aab')).toEqual([])
    fc.assert(
      fc.property(crateName, fc.nat(), (name, at) => {
        const index = at % (name.length - 1)
        fc.pre(name[index] !== name[index + 1])
        const candidate = name.slice(0, index) + name[index + 1] + name[index] + name.slice(index + 2)
        expect(only('swapped-characters', [name], candidate)).toEqual([name])
      }),
    )
  })

  test('[typo.swapped-words] permutes up to 5 words and joins them with each delimiter', () => {
    expect(only('swapped-words', ['serde_json'], 'json_serde')).toEqual(['serde_json'])
    expect(only('swapped-words', ['serde_json'], 'serde-json')).toEqual(['serde_json'])
    expect(only('swapped-words', ['abc_def_ghi', 'ghi-def-abc', 'abc-def_ghi'], 'abc-def_ghi')).toEqual([])
    expect(only('swapped-words', ['abc_def_ghi', 'ghi-def-abc'], 'def-abc_ghi')).toEqual(['abc_def_ghi', 'ghi-def-abc'])
    // Typomania's max k: a 6-word name is compared with 5-word permutations of its words.
    expect(only('swapped-words', ['b-a-c-d-e'], 'a-b-c-d-e-f')).toEqual(['b-a-c-d-e'])
    expect(only('swapped-words', ['a-b-c-d'], 'a-b-c-d-e-f')).toEqual([])
    // A mixed-delimiter name is no single join of any permutation.
    expect(only('swapped-words', ['a-b_c'], 'c-b-a')).toEqual([])
    expect(only('swapped-words', ['serde'], 'serde')).toEqual([])
  })

  test('[typo.swapped-words] matches what enumerating every permutation and delimiter matches', () => {
    const word = fc.constantFrom('a', 'b', 'c', 'io', 'rs', '')
    const multiWord = fc.tuple(fc.array(word, { minLength: 2, maxLength: 7 }), fc.constantFrom('-', '_')).map(([words, delimiter]) => ['x', ...words].join(delimiter))
    fc.assert(
      fc.property(fc.uniqueArray(multiWord, { maxLength: 12 }), multiWord, (names, candidate) => {
        const expected = new Set<string>()
        const tokens = candidate.split(/[-_]/)
        const k = Math.min(tokens.length, 5)
        const permute = (chosen: string[], rest: string[]) => {
          if (chosen.length === k) for (const delimiter of ['-', '_']) expected.add(chosen.join(delimiter))
          else rest.forEach((token, index) => permute([...chosen, token], [...rest.slice(0, index), ...rest.slice(index + 1)]))
        }
        permute([], tokens)
        const want = names.filter((name) => expected.has(name) && name !== candidate && !names.includes(candidate))
        expect(new Set(only('swapped-words', names, candidate))).toEqual(new Set(want))
      }),
    )
  })

  test('[typo.omitted] finds a corpus name that the candidate lacks one character of', () => {
    expect(only('omitted', ['serde'], 'sede')).toEqual(['serde'])
    expect(only('omitted', ['serde'], 'erde')).toEqual(['serde'])
    expect(only('omitted', ['serde'], 'serd')).toEqual(['serde'])
    expect(only('omitted', ['serde', 'serde-'], 'serde')).toEqual([])
    expect(only('omitted', ['x-yz', 'xy_z', 'axyz', 'xyz'], 'xyz')).toEqual([])
    expect(only('omitted', ['x-yz', 'xy_z', 'axyz', 'Xyzz'], 'xyz')).toEqual(['axyz', 'x-yz', 'xy_z'])
    fc.assert(
      fc.property(crateName, fc.nat(), (name, at) => {
        const index = at % name.length
        const candidate = name.slice(0, index) + name.slice(index + 1)
        fc.pre(candidate !== '')
        expect(only('omitted', [name], candidate)).toEqual([name])
      }),
    )
  })

  test('[typo.omitted] the hash filter never hides a match, on a corpus of thousands of names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(crateName, { minLength: 2000, maxLength: 2000 }), fc.nat(), fc.nat(), (names, pick, at) => {
        const name = names[pick % names.length]!
        const index = at % name.length
        const candidate = name.slice(0, index) + name.slice(index + 1)
        fc.pre(candidate !== '' && !names.includes(candidate))
        expect(only('omitted', names, candidate)).toContain(name)
      }),
      { numRuns: 20 },
    )
  })

  test('[typo.typos] replaces keyboard neighbours and look-alikes, including `m` for `rn` and deletions', () => {
    expect(only('typos', ['serde'], 'serdr')).toEqual(['serde'])
    expect(only('typos', ['rnio'], 'mio')).toEqual(['rnio'])
    expect(only('typos', ['vvasm'], 'wasm')).toEqual(['vvasm'])
    expect(only('typos', ['serdejson'], 'serde-json')).toEqual(['serdejson'])
    expect(only('typos', ['serde_json'], 'serde-json')).toEqual(['serde_json'])
    expect(only('typos', ['1og'], 'log')).toEqual(['1og'])
    expect(only('typos', ['tokio'], 'tokio')).toEqual([])
    // `z` neighbours `x` on QWERTY, `u` on QWERTZ (where it sits in the top row) and `e` on AZERTY.
    expect(TYPO_TABLE.get('z')).toEqual(expect.arrayContaining(['x', 'u', 'e']))
    // `m` neighbours `n` on QWERTY and `l` on AZERTY (where it ends the home row).
    expect(TYPO_TABLE.get('m')).toEqual(expect.arrayContaining(['n', 'l']))
    expect(only('typos', ['tokio'], 'tpkio')).toEqual(['tokio'])
    expect(TYPO_TABLE.get('m')).toContain('rn')
    expect(TYPO_TABLE.get('-')).toContain('')
  })

  test('[typo.typos] the table holds only crate-name characters, and no character stands for itself', () => {
    for (const [from, replacements] of TYPO_TABLE) {
      expect(CRATE_NAME_ALPHABET).toContain(from)
      for (const replacement of replacements) {
        expect(replacement).not.toBe(from)
        for (const character of replacement) expect(CRATE_NAME_ALPHABET).toContain(character)
      }
    }
    // QWERTY neighbours of `g`.
    expect([...TYPO_TABLE.get('g')!].sort()).toEqual(expect.arrayContaining(['b', 'f', 'h', 't', 'v', 'y']))
  })

  test('[typo.version] strips trailing digits, then trailing `-`', () => {
    expect(only('version', ['abc'], 'abc234')).toEqual(['abc'])
    expect(only('version', ['abc'], 'abc-234')).toEqual(['abc'])
    expect(only('version', ['abc'], 'abc-')).toEqual(['abc'])
    expect(only('version', ['abc_'], 'abc_2')).toEqual(['abc_'])
    expect(only('version', ['abc'], 'abc_2')).toEqual([])
    expect(only('version', ['abc'], 'abc')).toEqual([])
    expect(only('version', ['a'], 'a1b2')).toEqual([])
  })

  test('[typo.bitflips] flips one of the 7 low bits of one byte, staying in the alphabet', () => {
    expect(only('bitflips', ['serde'], 'serdu')).toEqual(['serde'])
    expect(only('bitflips', ['serde'], 'Serde')).toEqual(['serde'])
    // `-` (0x2d) flips to `m` (0x6d) with bit 6, `%` (0x25) is outside the alphabet.
    expect(only('bitflips', ['a-b'], 'amb')).toEqual(['a-b'])
    expect(only('bitflips', ['ab'], 'ac')).toEqual(['ab'])
    fc.assert(
      fc.property(crateName, fc.nat(), fc.integer({ min: 0, max: 6 }), (name, at, bit) => {
        const index = at % name.length
        const flipped = String.fromCharCode(name.charCodeAt(index) ^ (1 << bit))
        fc.pre(CRATE_NAME_ALPHABET.includes(flipped))
        const candidate = name.slice(0, index) + flipped + name.slice(index + 1)
        expect(only('bitflips', [name], candidate)).toEqual([name])
      }),
    )
  })

  test('[typo.affixes] adds or removes a common prefix or suffix with `-` or `_`', () => {
    expect(AFFIXES).toEqual(['api', 'cargo', 'cli', 'core', 'lib', 'rs', 'rust', 'sys'])
    const names = ['foo', 'bar-rs', 'quux_sys', 'core-xyz']
    expect(only('affixes', names, 'foo-rs')).toEqual(['foo'])
    expect(only('affixes', names, 'rs-foo')).toEqual(['foo'])
    expect(only('affixes', names, 'cargo_foo')).toEqual(['foo'])
    expect(only('affixes', names, 'quux')).toEqual(['quux_sys'])
    expect(only('affixes', names, 'quux_sys_rs')).toEqual(['quux_sys'])
    expect(only('affixes', names, 'xyz')).toEqual(['core-xyz'])
    expect(only('affixes', names, 'baz')).toEqual([])
    const [squat] = checkName(corpusOf(...names), 'foo-rs')
    expect(squat?.message).toBe('adds the `-rs` suffix to `foo`')
    expect(checkName(corpusOf(...names), 'xyz')[0]?.message).toBe('removes the `core-` prefix from `core-xyz`')
  })

  test('[typo.confusables] flags a non-ASCII name whose UTS #39 skeleton is a corpus name', () => {
    expect(only('confusables', ['serde_json'], 'serde_js\u043En')).toEqual(['serde_json']) // Cyrillic о
    expect(only('confusables', ['Serde'], '\u0405erde')).toEqual(['Serde']) // Cyrillic Ѕ
    expect(only('confusables', ['tokio'], 't\u043Ek\u0456\u043E')).toEqual(['tokio'])
    expect(only('confusables', ['serde'], 's\u00E9rde')).toEqual([]) // é is not confusable with e
    // ASCII names are left to the other checks, though `l` and `1` share a skeleton.
    expect(skeleton('1og')).toBe(skeleton('log'))
    expect(only('confusables', ['log'], '1og')).toEqual([])
    const [squat] = checkName(corpusOf('serde_json'), 'serde_js\u043En').filter((s) => s.check === 'confusables')
    expect(squat?.message).toBe('looks like `serde_json`: in `serde_js<U+043E>n`, U+043E at position 9 looks like `o`')
  })

  test('[typo.canonical-name-collision] flags another spelling of a corpus name', () => {
    expect(only('canonical-name-collision', ['serde_json'], 'Serde-JSON')).toEqual(['serde_json'])
    expect(only('canonical-name-collision', ['serde_json'], 'serde-json')).toEqual(['serde_json'])
    expect(only('canonical-name-collision', ['serde_json'], 'serdejson')).toEqual([])
  })
})

describe('semantics', () => {
  test('[typo.known] a name in the corpus is never a squat', () => {
    expect(found(['serde', 'serde_json', 'serde-json', 'sedre'], 'sedre')).toEqual([])
    fc.assert(
      fc.property(fc.uniqueArray(crateName, { minLength: 1, maxLength: 40 }), fc.nat(), (names, pick) => {
        expect(checkName(corpusOf(...names), names[pick % names.length]!)).toEqual([])
      }),
    )
  })

  test('[typo.not-a-squat] a candidate never imitates itself, nor a crate its publisher co-owns', () => {
    const corpus = createCorpus([record('serde', ['user:1', 'team:7']), record('tokio', ['user:2'])])
    expect(checkName(corpus, 'serdde').map((s) => s.crate)).toEqual(['serde'])
    expect(checkName(corpus, 'serdde', { owners: ['user:1'] })).toEqual([])
    expect(checkName(corpus, 'serdde', { owners: ['team:7'] })).toEqual([])
    expect(checkName(corpus, 'serdde', { owners: ['user:2'] }).map((s) => s.crate)).toEqual(['serde'])
    fc.assert(
      fc.property(fc.uniqueArray(crateName, { minLength: 1, maxLength: 30 }), crateName, (names, candidate) => {
        const squats = checkName(corpusOf(...names), candidate)
        for (const squat of squats) expect(squat.crate).not.toBe(candidate)
        expect(checkName(corpusOf(...names), candidate, { owners: ['user:1'] })).toEqual([])
      }),
    )
  })

  test('[typo.exact] compares names exactly: another spelling is no corpus name', () => {
    // `Serde` is not `serde`, so it is checked, and found by the checks that apply.
    expect(found(['serde'], 'Serde')).toEqual([
      ['bitflips', 'serde'],
      ['canonical-name-collision', 'serde'],
    ])
  })

  test('[typo.result] each result carries the check, the crate and a message', () => {
    const [squat] = checkName(corpusOf('serde'), 'sede')
    expect(squat).toEqual({
      check: 'omitted',
      crate: 'serde',
      message: 'omits characters in `serde`: `sede` lacks the `r` at position 3 of `serde`',
      edit: '`sede` lacks the `r` at position 3 of `serde`',
    })
  })

  test('[typo.explanation] says which edit made each match', () => {
    const messages = checkName(corpusOf('serde'), 'serdu').map((s) => s.edit)
    expect(messages).toEqual(['`serdu` has `u` (0x75) at position 5 where `serde` has `e` (0x65): bit 4 flipped'])
    expect(checkName(corpusOf('rnio'), 'mio')[0]?.edit).toBe('`mio` has `m` at position 1 where `rnio` has `rn`')
    expect(checkName(corpusOf('serdejson'), 'serde-json')[0]?.edit).toBe('`serde-json` has `-` at position 6 where `serdejson` has nothing')
  })

  test('[typo.order] results are in check order, then crate-name order, whatever the corpus order', () => {
    expect(CHECKS.map((check) => check.name)).toEqual([
      'repeated', 'swapped-characters', 'swapped-words', 'omitted', 'typos', 'version', 'bitflips', 'affixes', 'confusables', 'canonical-name-collision',
    ])
    expect(found(['serde-rs', 'serde', 'serde-r5', 'Serde-r'], 'serde-r')).toEqual([
      ['omitted', 'serde-r5'],
      ['omitted', 'serde-rs'],
      ['bitflips', 'Serde-r'],
      ['canonical-name-collision', 'Serde-r'],
    ])
    expect(found(['serde_json', 'Serde_json', 'serde'], 'serde-json')).toEqual([
      ['swapped-words', 'serde_json'],
      ['typos', 'serde_json'],
      ['canonical-name-collision', 'Serde_json'],
      ['canonical-name-collision', 'serde_json'],
    ])
    fc.assert(
      fc.property(fc.uniqueArray(crateName, { minLength: 1, maxLength: 40 }), crateName, fc.nat(), (names, candidate, seed) => {
        const shuffled = [...names].sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7))
        const a = checkName(corpusOf(...names), candidate)
        expect(checkName(corpusOf(...shuffled), candidate)).toEqual(a)
        expect(checkName(corpusOf(...names), candidate)).toEqual(a)
      }),
    )
  })
})
