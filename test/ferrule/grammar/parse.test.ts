import { describe, expect, test } from 'vitest'
import { parseGrammar } from '../../../tools/ferrule/grammar/index.ts'
import { mark } from '../../helpers/mark.ts'
import { expressionOf, nt, only, shape, t } from './helpers.ts'

describe('parseGrammar: every construct of the notation', () => {
  test('a production: name, arrow, and a nonterminal', () => {
    const production = only('Item -> Function')
    expect(production.name).toBe('Item')
    expect(production.root).toBe(false)
    expect(shape(production.expression)).toEqual(nt('Function'))
  })

  test('terminals in backticks keep their characters, spaces and punctuation included', () => {
    expect(expressionOf('`fn`')).toEqual(t('fn'))
    expect(expressionOf('`::<`')).toEqual(t('::<'))
    expect(expressionOf('` `')).toEqual(t(' '))
    expect(expressionOf('`|`')).toEqual(t('|'))
  })

  test('a sequence, and alternatives, which bind looser than sequences', () => {
    expect(expressionOf('`fn` Name Params')).toEqual({ type: 'sequence', items: [t('fn'), nt('Name'), nt('Params')] })
    expect(expressionOf('A B | C')).toEqual({
      type: 'alternation',
      alternatives: [{ type: 'sequence', items: [nt('A'), nt('B')] }, nt('C')],
    })
  })

  test('groups', () => {
    expect(expressionOf('( `,` Param )')).toEqual({ type: 'group', expression: { type: 'sequence', items: [t(','), nt('Param')] } })
    expect(expressionOf('(A | B) C')).toEqual({
      type: 'sequence',
      items: [{ type: 'group', expression: { type: 'alternation', alternatives: [nt('A'), nt('B')] } }, nt('C')],
    })
  })

  test('?, * and + apply to the expression right before them; *? and +? are the non-greedy forms', () => {
    expect(expressionOf('A?')).toEqual({ type: 'optional', expression: nt('A') })
    expect(expressionOf('A*')).toEqual({ type: 'repeat', expression: nt('A'), min: 0, greedy: true })
    expect(expressionOf('A+')).toEqual({ type: 'repeat', expression: nt('A'), min: 1, greedy: true })
    expect(expressionOf('A*?')).toEqual({ type: 'repeat', expression: nt('A'), min: 0, greedy: false })
    expect(expressionOf('A+?')).toEqual({ type: 'repeat', expression: nt('A'), min: 1, greedy: false })
    expect(expressionOf('(`,` A)*')).toEqual({
      type: 'repeat', min: 0, greedy: true,
      expression: { type: 'group', expression: { type: 'sequence', items: [t(','), nt('A')] } },
    })
  })

  test('repetition ranges, open on either side, exclusive and inclusive', () => {
    expect(expressionOf('A{2..4}')).toEqual({ type: 'repeat-range', expression: nt('A'), min: 2, max: 4, inclusive: false })
    expect(expressionOf('A{2..=4}')).toEqual({ type: 'repeat-range', expression: nt('A'), min: 2, max: 4, inclusive: true })
    expect(expressionOf('A{..=4}')).toEqual({ type: 'repeat-range', expression: nt('A'), max: 4, inclusive: true })
    expect(expressionOf('A{..4}')).toEqual({ type: 'repeat-range', expression: nt('A'), max: 4, inclusive: false })
    expect(expressionOf('A{1..}')).toEqual({ type: 'repeat-range', expression: nt('A'), min: 1, inclusive: false })
  })

  test('a labelled range binds its count; {n} repeats as often', () => {
    expect(expressionOf('`r` `#`{n:1..=255} `"` `#`{n}')).toEqual({
      type: 'sequence',
      items: [
        t('r'),
        { type: 'repeat-range', expression: t('#'), min: 1, max: 255, inclusive: true, label: 'n' },
        t('"'),
        { type: 'repeat-labelled', expression: t('#'), label: 'n' },
      ],
    })
  })

  test('character sets: single characters, ranges, named characters and U+ code points', () => {
    expect(expressionOf('[`a`-`z` `_` TAB LF U+0041 U+0000-U+D7FF]')).toEqual({
      type: 'charset',
      items: [
        { type: 'range', from: { value: 'a' }, to: { value: 'z' } },
        { type: 'character', character: { value: '_' } },
        { type: 'named', name: 'TAB' },
        { type: 'named', name: 'LF' },
        { type: 'character', character: { value: 'A', hex: '0041' } },
        { type: 'range', from: { value: '\u0000', hex: '0000' }, to: { value: '\ud7ff', hex: 'D7FF' } },
      ],
    })
  })

  test('negation with ~ of a set, a terminal or a name', () => {
    expect(expressionOf('~[`\'` `\\` LF]')).toEqual({
      type: 'negation',
      expression: { type: 'charset', items: [{ type: 'character', character: { value: "'" } }, { type: 'character', character: { value: '\\' } }, { type: 'named', name: 'LF' }] },
    })
    expect(expressionOf('~`*`')).toEqual({ type: 'negation', expression: t('*') })
    expect(expressionOf('~LF')).toEqual({ type: 'negation', expression: nt('LF') })
  })

  test('negative lookahead ! applies to the quantified expression after it', () => {
    expect(expressionOf('`/` !`/`')).toEqual({ type: 'sequence', items: [t('/'), { type: 'lookahead', expression: t('/') }] })
    expect(expressionOf('!A*')).toEqual({ type: 'lookahead', expression: { type: 'repeat', expression: nt('A'), min: 0, greedy: true } })
  })

  test('the hard cut ^ takes the rest of its sequence, and only that', () => {
    expect(expressionOf('`r#` ^ A B | C')).toEqual({
      type: 'alternation',
      alternatives: [{ type: 'sequence', items: [t('r#'), { type: 'cut', expression: { type: 'sequence', items: [nt('A'), nt('B')] } }] }, nt('C')],
    })
  })

  test('U+ characters of 4 to 6 digits, with their value', () => {
    expect(expressionOf('U+000A')).toEqual({ type: 'unicode', hex: '000A', value: '\n' })
    expect(expressionOf('U+1F600')).toEqual({ type: 'unicode', hex: '1F600', value: '😀' })
    expect(expressionOf('U+10FFFF')).toEqual({ type: 'unicode', hex: '10FFFF', value: String.fromCodePoint(0x10ffff) })
  })

  test('prose in angle brackets', () => {
    expect(expressionOf('<any Unicode character except CR>')).toEqual({ type: 'prose', text: 'any Unicode character except CR' })
  })

  test('suffixes such as _except ..._ and footnotes adorn the expression before them', () => {
    expect(expressionOf('Expression _except [StructExpression]_')).toEqual({ ...nt('Expression'), suffix: 'except [StructExpression]' })
    expect(expressionOf('A* _not `_` alone_ B')).toEqual({
      type: 'sequence',
      items: [{ type: 'repeat', expression: nt('A'), min: 0, greedy: true, suffix: 'not `_` alone' }, nt('B')],
    })
    expect(expressionOf('`safe`[^extern-safe]')).toEqual({ ...t('safe'), footnote: 'extern-safe' })
    expect(expressionOf('IDENT _except a keyword_[^raw]')).toEqual({ ...nt('IDENT'), suffix: 'except a keyword', footnote: 'raw' })
  })

  test('continuation lines: indented lines continue the production and are kept as breaks', () => {
    const production = only(['Item ->', '      A', '    | B C', ''].join('\n'))
    expect(shape(production.expression)).toEqual({
      type: 'alternation',
      alternatives: [
        { type: 'sequence', items: [{ type: 'break', indent: 6 }, nt('A'), { type: 'break', indent: 4 }] },
        { type: 'sequence', items: [nt('B'), nt('C')] },
      ],
    })
    expect(production.source).toBe('Item ->\n      A\n    | B C')
  })

  test('@root marks a root, and the name span points at the name', () => {
    const { text, places } = mark('@root ‸Crate -> Item*')
    const production = only(text)
    expect(production.root).toBe(true)
    expect(production.nameSpan).toEqual({ start: places[0], end: { line: 1, column: 12 } })
    expect(production.span).toEqual({ start: { line: 1, column: 1 }, end: { line: 1, column: 21 } })
  })

  test('comments: above a production they belong to it; after a blank line they stand alone; at a line end they are part of the expression', () => {
    const result = parseGrammar(['// Standalone.', '', '// About A.', '// More.', 'A -> B // why B', '    C', ''].join('\n'))
    expect(result.errors).toEqual([])
    expect(result.comments.map((comment) => [comment.text, comment.span.start.line])).toEqual([[' Standalone.', 1]])
    expect(result.productions[0]!.comments).toEqual([' About A.', ' More.'])
    expect(shape(result.productions[0]!.expression)).toEqual({
      type: 'sequence',
      items: [nt('B'), { type: 'comment', text: ' why B' }, { type: 'break', indent: 4 }, nt('C')],
    })
  })

  test('several productions, separated by blank lines or not, in order, each with its own source', () => {
    const { productions, errors } = parseGrammar('A -> B\nB -> `b`\n\n\nC ->\n    A\n')
    expect(errors).toEqual([])
    expect(productions.map((production) => [production.name, production.source])).toEqual([
      ['A', 'A -> B'],
      ['B', 'B -> `b`'],
      ['C', 'C ->\n    A'],
    ])
  })

  test('every node has the exact span of its text', () => {
    const source = 'P -> A? (`b` | C)*'
    const expression = only(source).expression
    const cut = (span: { start: { column: number }; end: { column: number } }) => source.slice(span.start.column - 1, span.end.column - 1)
    if (expression.type !== 'sequence') throw new Error('expected a sequence')
    expect(expression.items.map((item) => cut(item.span))).toEqual(['A?', '(`b` | C)*'])
    const repeat = expression.items[1]!
    if (repeat.type !== 'repeat' || repeat.expression.type !== 'group' || repeat.expression.expression.type !== 'alternation') throw new Error('unexpected tree')
    expect(repeat.expression.expression.alternatives.map((alternative) => cut(alternative.span))).toEqual(['`b`', 'C'])
  })

  test('names may hold Unicode letters, digits and underscores; CRLF line ends are accepted', () => {
    expect(shape(only('Übung_2 -> Name_With_Underscores\r\n').expression)).toEqual(nt('Name_With_Underscores'))
  })
})
