import fc from 'fast-check'
import { fromHtml } from 'hast-util-from-html'
import { toHtml } from 'hast-util-to-html'
import { describe, expect, test } from 'vitest'
import { parseGrammar, productionToGrammar, productionToHtml, productionToSvg, type Expression, type Production } from '../../../tools/ferrule/grammar/index.ts'
import { shape } from './helpers.ts'

const noSpan = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,6}$/).filter((value) => value !== 'U')
const terminalText = fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'Z', '-', '>', '<', '|', '(', ')', ' ', '_', '"', "'", '\\', '[', ']', '{', '}', '^', '~', '!', 'é', '😀') })
const words = fc.stringMatching(/^[a-z]{1,5}( [a-z]{1,5}){0,2}$/)
const hex = fc.integer({ min: 0x20, max: 0x10ffff }).map((code) => code.toString(16).toUpperCase().padStart(4, '0'))
const setChar = fc.constantFrom('a', 'z', '0', '_', '-', '"', "'", '\\', ']', '[', ' ', 'é')

const primary: fc.Arbitrary<Expression> = fc.letrec<{ expression: Expression; item: Expression; primary: Expression }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small' },
    { weight: 3, arbitrary: tie('item') },
    { weight: 1, arbitrary: fc.array(tie('item'), { minLength: 2, maxLength: 3 }).map((items): Expression => ({ type: 'sequence', items, span: noSpan })) },
    { weight: 1, arbitrary: fc.array(tie('item'), { minLength: 2, maxLength: 3 }).map((alternatives): Expression => ({ type: 'alternation', alternatives, span: noSpan })) },
  ),
  item: fc.oneof(
    { weight: 4, arbitrary: tie('primary') },
    { weight: 1, arbitrary: tie('primary').map((expression): Expression => ({ type: 'lookahead', expression, span: noSpan })) },
    { weight: 2, arbitrary: fc.tuple(tie('primary'), fc.constantFrom('?', '*', '+', '*?', '+?')).map(([expression, op]): Expression => op === '?' ? { type: 'optional', expression, span: noSpan } : { type: 'repeat', expression, min: op[0] === '*' ? 0 : 1, greedy: op.length === 1, span: noSpan }) },
    { weight: 1, arbitrary: fc.tuple(tie('primary'), fc.option(fc.nat(9), { nil: undefined }), fc.nat(9), fc.boolean(), fc.option(name, { nil: undefined })).map(([expression, min, extra, inclusive, label]): Expression => {
      const range: Expression = { type: 'repeat-range', expression, inclusive, span: noSpan, max: (min ?? 0) + extra }
      if (min !== undefined) range.min = min
      if (label !== undefined) range.label = label
      return range
    }) },
    { weight: 1, arbitrary: fc.tuple(tie('primary'), name).map(([expression, label]): Expression => ({ type: 'repeat-labelled', expression, label, span: noSpan })) },
    { weight: 1, arbitrary: fc.tuple(tie('primary'), words).map(([expression, suffix]): Expression => ({ ...expression, suffix })) },
    { weight: 1, arbitrary: fc.tuple(tie('primary'), name).map(([expression, footnote]): Expression => ({ ...expression, footnote })) },
  ),
  primary: fc.oneof(
    { depthSize: 'small' },
    { weight: 4, arbitrary: name.map((value): Expression => ({ type: 'nonterminal', name: value, span: noSpan })) },
    { weight: 4, arbitrary: terminalText.map((value): Expression => ({ type: 'terminal', value, span: noSpan })) },
    { weight: 1, arbitrary: words.map((text): Expression => ({ type: 'prose', text, span: noSpan })) },
    { weight: 1, arbitrary: hex.map((digits): Expression => ({ type: 'unicode', hex: digits, value: String.fromCodePoint(Number.parseInt(digits, 16)), span: noSpan })) },
    { weight: 1, arbitrary: tie('expression').map((expression): Expression => ({ type: 'group', expression, span: noSpan })) },
    { weight: 1, arbitrary: charset() },
    { weight: 1, arbitrary: fc.oneof(terminalText.map((value) => ({ type: 'terminal' as const, value, span: noSpan })), name.map((value) => ({ type: 'nonterminal' as const, name: value, span: noSpan }))).map((expression): Expression => ({ type: 'negation', expression, span: noSpan })) },
  ),
})).expression

function charset(): fc.Arbitrary<Expression> {
  const item = fc.oneof(
    setChar.map((value) => ({ type: 'character' as const, character: { value, span: noSpan }, span: noSpan })),
    fc.tuple(setChar, setChar).filter(([a, b]) => a < b).map(([from, to]) => ({ type: 'range' as const, from: { value: from, span: noSpan }, to: { value: to, span: noSpan }, span: noSpan })),
    hex.map((digits) => ({ type: 'character' as const, character: { value: String.fromCodePoint(Number.parseInt(digits, 16)), hex: digits, span: noSpan }, span: noSpan })),
    name.map((value) => ({ type: 'named' as const, name: value, span: noSpan })),
  )
  return fc.array(item, { minLength: 1, maxLength: 4 }).map((items): Expression => ({ type: 'charset', items, span: noSpan }))
}

const production: fc.Arbitrary<Production> = fc.record({ name, expression: primary, root: fc.boolean(), comments: fc.array(words, { maxLength: 2 }) }).map((fields) => ({
  ...fields,
  nameSpan: noSpan,
  span: noSpan,
  source: '',
  comments: fields.comments.map((text) => ` ${text}`),
}))

describe('parseGrammar properties', () => {
  test('no input makes it throw: errors are returned, with places inside the input', () => {
    const grammarish = fc.string({ unit: fc.constantFrom('A', 'b', '_', ' ', '\n', '    ', '`', '->', '|', '(', ')', '[', ']', '{', '}', '..', '..=', ':', '?', '*', '+', '~', '!', '^', '<', '>', 'U+', '0', 'F', '//', '@root', '[^', '-', '\r', '\t', '😀', '\u0000') })
    fc.assert(fc.property(fc.oneof(grammarish, fc.string()), (source) => {
      const { productions, errors } = parseGrammar(source)
      const lines = source.split('\n')
      for (const error of errors) {
        expect(error.start.line).toBeGreaterThanOrEqual(1)
        expect(error.start.line).toBeLessThanOrEqual(lines.length)
        expect(error.start.column).toBeLessThanOrEqual(lines[error.start.line - 1]!.length + 1)
        expect(error.reason.length).toBeGreaterThan(0)
      }
      // Whatever parses, renders.
      for (const parsed of productions) {
        productionToHtml(parsed, { href: () => '#x' })
        productionToSvg(parsed, { href: () => undefined })
      }
    }), { numRuns: 2000 })
  })

  test('printing a production and parsing it again gives the same tree, and printing that the same text', () => {
    fc.assert(fc.property(production, (generated) => {
      const printed = productionToGrammar(generated)
      const { productions, errors } = parseGrammar(printed)
      expect(errors, printed).toEqual([])
      expect(productions).toHaveLength(1)
      const [reparsed] = productions
      expect(shape(reparsed!.expression), printed).toEqual(shape(generated.expression))
      expect([reparsed!.name, reparsed!.root, reparsed!.comments]).toEqual([generated.name, generated.root, generated.comments])
      expect(productionToGrammar(reparsed!)).toBe(printed)
    }), { numRuns: 1000 })
  })

  test("a production's HTML is what an HTML parser reads and hast-util-to-html writes back, byte for byte, as one element", () => {
    fc.assert(fc.property(production, fc.option(fc.constantFrom('#x', '../a b.html#grammar-"&<'), { nil: undefined }), (generated, link) => {
      const html = productionToHtml(generated, { href: () => link })
      const fragment = fromHtml(html, { fragment: true })
      expect(fragment.children).toHaveLength(1)
      expect(fragment.children[0]).toMatchObject({ type: 'element', tagName: 'div', properties: { id: `grammar-${generated.name}` } })
      expect(toHtml(fragment)).toBe(html)
    }), { numRuns: 1000 })
  })

  test('a parsed production printed again keeps its source text, line breaks included', () => {
    const source = '@root Token ->\n      IDENT _except a keyword_\n    | `r#`{h:1..=3} ~[`"`] `#`{h} // raw\n    | (A | !B)*? [`a`-`z` U+00E9]'
    const { productions } = parseGrammar(source)
    expect(productionToGrammar(productions[0]!)).toBe(source)
  })
})
