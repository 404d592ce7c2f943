import { describe, expect, test } from 'vitest'
import { productionToHtml } from '../../../tools/ferrule/grammar/index.ts'
import { only } from './helpers.ts'

const defined = new Set(['Function', 'LF'])
const href = (name: string) => (defined.has(name) ? `../items.html#grammar-${name}` : undefined)

describe('productionToHtml', () => {
  test('the production has the id grammar-NAME, its name and an arrow', () => {
    expect(productionToHtml(only('Item -> Function'), { href })).toBe(
      '<div class="grammar-production" id="grammar-Item"><span class="grammar-production-name">Item</span> <span class="grammar-operator grammar-arrow">→</span> ' +
        '<a class="grammar-nonterminal" href="../items.html#grammar-Function">Function</a></div>',
    )
  })

  test('a defined nonterminal is a link, an undefined one a span marked grammar-undefined', () => {
    const html = productionToHtml(only('P -> Function Missing [LF Other]'), { href })
    expect(html).toContain('<a class="grammar-nonterminal" href="../items.html#grammar-Function">Function</a>')
    expect(html).toContain('<span class="grammar-nonterminal grammar-undefined" title="Missing is not defined">Missing</span>')
    expect(html).toContain('<a class="grammar-nonterminal" href="../items.html#grammar-LF">LF</a>')
    expect(html).toContain('<span class="grammar-nonterminal grammar-undefined" title="Other is not defined">Other</span>')
  })

  test('terminals, operators, prose, code points, ranges and suffixes each have a class, and HTML in terminals is escaped', () => {
    const html = productionToHtml(only('P -> `<b>`? (`&` | U+000A)* <prose> X{1..=3} Y _except Z_'), { href })
    expect(html).toContain('<span class="grammar-terminal">&#x3C;b></span><span class="grammar-operator">?</span>')
    expect(html).toContain('<span class="grammar-operator">(</span><span class="grammar-terminal">&#x26;</span> <span class="grammar-operator">|</span> <span class="grammar-unicode">U+000A</span><span class="grammar-operator">)</span><span class="grammar-operator">*</span>')
    expect(html).toContain('<span class="grammar-prose">&#x3C;prose></span>')
    expect(html).toContain('<sup class="grammar-operator grammar-range">1..=3</sup>')
    expect(html).toContain('<sub class="grammar-suffix">except Z</sub>')
  })

  test('alternatives stay on the lines the source puts them on, indented', () => {
    const html = productionToHtml(only('P ->\n      A\n    | B'), { href })
    expect(html).toContain('→</span><br><span class="grammar-indent">\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0</span><span class="grammar-nonterminal grammar-undefined"')
    expect(html).toContain('A</span><br><span class="grammar-indent">\u00a0\u00a0\u00a0\u00a0</span><span class="grammar-operator">|</span> <span')
  })

  test('a root is marked, comments above the production are shown', () => {
    expect(productionToHtml(only('// The start.\n@root Crate -> Function*'), { href })).toMatch(/^<div class="grammar-production" id="grammar-Crate" data-root=""><span class="grammar-comment">\/\/ The start\.<\/span><br>/)
  })
})
