import { distance } from 'fastest-levenshtein'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { nearest } from '../../tools/ferrule/nearest.ts'

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
