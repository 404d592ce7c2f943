import { distance } from 'fastest-levenshtein'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { nearest, nearestAfterChange } from '../../tools/ferrule/nearest.ts'

/** `nearest` as its comment defines it, scoring every candidate: what the quick one must agree with. */
function reference(wanted: string, candidates: readonly string[], count = 3): string[] {
  const limit = Math.max(2, Math.ceil(wanted.length / 3))
  return candidates
    .map((name): [number, string] => [name.startsWith(wanted + '.') || wanted.startsWith(name + '.') ? limit : distance(wanted, name), name])
    .filter(([score]) => score <= limit)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .slice(0, count)
    .map(([, name]) => name)
}

describe('nearest', () => {
  test('a near typo first, then a missing or extra last segment; nothing far', () => {
    const ids = ['lex.ident', 'lex.ident.raw', 'syntax.expr']
    expect(nearest('lex.idnet', ids)).toEqual(['lex.ident'])
    expect(nearest('lex.ident.raw.more', ids)).toEqual(['lex.ident', 'lex.ident.raw'])
    expect(nearest('completely.else', ids)).toEqual([])
  })

  test('gives what scoring every candidate gives, whatever their lengths', () => {
    const word = fc.stringMatching(/^[a-c]{0,4}(\.[a-c]{1,4}){0,3}$/)
    fc.assert(fc.property(word, fc.array(word, { maxLength: 30 }), (wanted, candidates) => {
      expect(nearest(wanted, candidates)).toEqual(reference(wanted, candidates))
    }))
  })
})

describe('nearestAfterChange', () => {
  test('takes the rules added into account, and gives up when a hint of before was removed', () => {
    const before = ['lex.ident', 'syntax.expr']
    const previous = nearest('lex.idnet', before)
    expect(previous).toEqual(['lex.ident'])
    expect(nearestAfterChange('lex.idnet', previous, new Set(['syntax.expr']), ['lex.idnt', 'lex.idne'])).toEqual(['lex.idne', 'lex.idnt', 'lex.ident'])
    expect(nearestAfterChange('lex.idnet', previous, new Set(['lex.ident']), [])).toBeUndefined()
  })

  test('gives what nearest gives against the IDs after the change, whenever it gives anything', () => {
    const word = fc.stringMatching(/^[a-c]{0,4}(\.[a-c]{1,4}){0,3}$/)
    const names = fc.uniqueArray(word, { maxLength: 30 })
    let answered = 0
    fc.assert(
      fc.property(word, names, names, fc.integer({ min: 1, max: 4 }), (wanted, before, extra, count) => {
        // After: some of before kept, some new names.
        const after = [...before.filter((_, index) => index % 3 !== 0), ...extra.filter((name) => !before.includes(name))]
        const removed = new Set(before.filter((name) => !after.includes(name)))
        const added = after.filter((name) => !before.includes(name))
        const found = nearestAfterChange(wanted, nearest(wanted, before, count), removed, added, count)
        if (found !== undefined) {
          answered++
          expect(found).toEqual(nearest(wanted, after, count))
        }
      }),
      { numRuns: 1000 },
    )
    // Most changes keep every hint: the quick way is taken, not only the full one.
    expect(answered).toBeGreaterThan(500)
  })
})
