import { describe, expect, test } from 'vitest'
import { productionNonterminals } from '../../../tools/ferrule/grammar/index.ts'
import { only } from './helpers.ts'

describe('productionNonterminals', () => {
  test('every use, in source order, repeated uses included, named set characters too', () => {
    const production = only(['P ->', '      A (B | `x` C)* ~D', '    | [`a`-`z` LF] !E ^ F _except G_', '    | A{n:1..=2} H{n}'].join('\n'))
    expect(productionNonterminals(production).map((use) => use.name)).toEqual(['A', 'B', 'C', 'D', 'LF', 'E', 'F', 'A', 'H'])
  })

  test('each use has the span of its name, for a diagnostic at the exact place', () => {
    const production = only('P -> `a` Name\n    | [LF]')
    expect(productionNonterminals(production)).toEqual([
      { name: 'Name', span: { start: { line: 1, column: 10 }, end: { line: 1, column: 14 } } },
      { name: 'LF', span: { start: { line: 2, column: 8 }, end: { line: 2, column: 10 } } },
    ])
  })

  test('terminals, prose, code points and comments use nothing; a suffix names nothing', () => {
    expect(productionNonterminals(only('P -> `A` <B> U+0043 // D\n  `e` _except F_'))).toEqual([])
  })
})
