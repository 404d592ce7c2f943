import fc from 'fast-check'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { describe, expect, test } from 'vitest'
import { escapeAttribute, escapeText, matrixToHtml } from '../../../../tools/ferrule/trace/exporters/html.ts'
import { verdicts } from '../../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../../helpers/matrix.ts'

/** `text` as it appears in the page's HTML. */
function escaped(text: string): string {
  return toHtml({ type: 'text', value: text })
}

/** `value` as the value of an attribute in the page's HTML, quotes left out. */
function escapedAttribute(value: string): string {
  return toHtml(h('a', { title: value })).slice('<a title="'.length, -'"></a>'.length)
}

/**
 * Names of the tags of `html` in order (`/td` for an end tag), read as a browser does: text ends at
 * `<`, a tag at the first `>` outside a double-quoted attribute value. Comments show as `!--`.
 */
function tags(html: string): string[] {
  const names: string[] = []
  let at = 0
  while ((at = html.indexOf('<', at)) >= 0) {
    const name = /^<(\/?[a-z0-9!-]*)/i.exec(html.slice(at, at + 20))?.[1] ?? ''
    names.push(name.toLowerCase())
    let quoted = false
    for (at++; at < html.length && (quoted || html[at] !== '>'); at++) if (html[at] === '"') quoted = !quoted
  }
  return names
}

/** Option values of the select box named `name`, `All` (the empty value) left out. */
function options(html: string, name: string): string[] {
  const select = html.match(new RegExp(`<select name="${name}">(.*?)</select>`))?.[1] ?? ''
  return [...select.matchAll(/<option value="([^"]*)">/g)].map((match) => match[1]!).filter((value) => value !== '')
}

/** The `<tr>` of a rule in the rules table. */
function ruleRow(html: string, id: string): string {
  return html.match(new RegExp(`<tr id="rule-${id.replaceAll('.', '\\.')}"[\\s\\S]*?</tr>`))?.[0] ?? ''
}

function inlineScript(html: string): string {
  return html.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? ''
}

describe('matrixToHtml', () => {
  const matrix = sampleMatrix()
  const html = matrixToHtml(matrix)

  test('is one standalone English page titled after the spec', () => {
    expect(html.startsWith('<!doctype html><html lang="en"><head><meta charset="utf-8">')).toBe(true)
    expect(html).toContain(`<title>${escaped('Sample & <Spec>')}: certification matrix</title>`)
    expect(html).toContain(`<h1>${escaped('Sample & <Spec>')}</h1>`)
    expect(html).not.toMatch(/<link|<img|<iframe|\ssrc=|@import|url\(/)
    const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1]?.replaceAll('&#x27;', "'")
    expect(policy).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'/)
  })

  test('every rule ID and every test title appears; rule IDs link to the published site', () => {
    for (const row of matrix.rules) {
      expect(html).toContain(`<code>${row.id}</code>`)
      expect(ruleRow(html, row.id)).toContain(`href="${row.href}"`)
    }
    for (const test of matrix.tests) expect(html, test.title).toContain(escaped(test.title))
    expect(html).toContain(`<section id="unlinked"`)
  })

  test('text is escaped', () => {
    expect(html).not.toContain('<b>')
    expect(html).not.toContain('<Spec>')
    expect(html.replace(/<script>[\s\S]*?<\/script>/, '')).not.toMatch(/&(?![#a-z0-9]+;)/i)
    expect(html).toContain(escaped(matrix.rules[0]!.summary))
    expect(html).toContain(escaped('Keywords are reserved.\nEven in macros — ünïcödé.'))
  })

  test('the filters list every chapter, owner and verdict', () => {
    expect(options(html, 'chapter')).toEqual(['lexing.md', 'security/threats.md'])
    expect(options(html, 'owner')).toEqual(['T-crates-io', 'T-lang'])
    expect(options(html, 'verdict')).toEqual([...verdicts])
    expect(html).toContain('<option value="failing">failing (1)</option>')
  })

  test('rules without an owner can be filtered as such', () => {
    const orphan = sampleMatrix()
    orphan.rules[3]!.owner = null
    const page = matrixToHtml(orphan)
    expect(options(page, 'owner')).toEqual(['(none)', 'T-crates-io', 'T-lang'])
    expect(page).toContain('<option value="(none)">no owner (1)</option>')
    expect(ruleRow(page, 'lex.space')).toContain('data-owner="(none)"')
  })

  test('each rule row carries what the filters and sorting read, and the whole table is there without JavaScript', () => {
    matrix.rules.forEach((row, index) => {
      const tr = ruleRow(html, row.id)
      expect(tr).toContain(`data-index="${index}" data-chapter="${row.chapter}" data-owner="${row.owner}" data-verdict="${row.verdict}"`)
      expect(tr).not.toContain(' hidden')
      expect(tr).toContain(`<span class="label ${row.verdict}">${row.verdict}</span>`)
    })
    expect(html).toContain('<form id="filters" class="filters" hidden')
    expect(html).toContain('<p id="rules-shown" role="status">Showing all 6 rules.</p>')
  })

  test('the inline script compiles, filters on the data attributes and sets aria-sort', () => {
    const script = inlineScript(html)
    expect(() => new Function(script)).not.toThrow()
    expect(script).toContain('row.dataset[select.name]')
    expect(script).toContain("setAttribute('aria-sort'")
    expect(script).not.toContain('</')
  })

  test('linked tests show title, place, status and suspect links; waivers and mitigations are listed', () => {
    const number = ruleRow(html, 'lex.number')
    expect(number).toContain(`${escaped('[lex.number] numbers')}</span> <code>test/num.test.ts</code> <span class="label skipped">skipped</span>`)
    expect(number).toMatch(/more numbers<\/span> <code>test\/num\.test\.ts:9<\/code> <span class="label passed">passed<\/span><small> via title<\/small> <span class="label suspect"[^>]*>suspect<\/span>/)
    expect(ruleRow(html, 'lex.ident')).not.toContain('suspect')
    expect(ruleRow(html, 'lex.unicode')).toContain('Checked by review of the Unicode tables, 15.1.<br><small>A. Reviewer, 2026-10-01</small>')
    expect(ruleRow(html, 'threat.typosquat')).toContain('Mitigated by <a href="#rule-lex.ident"><code>lex.ident</code></a>, <a href="#rule-lex.keyword">')
  })

  test('the summary gives count and share per verdict, per chapter and per owner', () => {
    expect(html).toContain('<strong>6 rules</strong>, coverage 33.33% (verified, waived or mitigated).')
    expect(html).toContain('<span class="label verified">verified</span></th><td class="num">1</td><td class="num">16.67%</td>')
    expect(html).toMatch(/<th scope="row">security\/threats\.md<\/th><td class="num">1<\/td>/)
    expect(html).toMatch(/<th scope="row">T-crates-io<\/th><td class="num">1<\/td>/)
    expect(html).toContain('<h2 id="findings-title">Findings (2)</h2>')
    expect(html).toContain(escaped('Test `keywords` of rule `lex.keyword` failed'))
  })

  test('the impact section appears only with a baseline', () => {
    expect(html).toContain('<dt>Coverage</dt><dd>50% → 33.33%</dd>')
    expect(html).toContain('<dt>Suspect links</dt><dd>1 ')
    expect(html).toContain('<code>lex.old</code> (lexing.md)')
    expect(html).toContain('<dt>Changed (2)</dt><dd><a href="#rule-lex.keyword">')
    expect(matrixToHtml({ ...sampleMatrix(), impact: null })).not.toContain('id="impact"')
  })

  test('prints without the filters and with table headers on every page', () => {
    const print = html.match(/@media print \{([\s\S]*?)\n\}/)?.[1] ?? ''
    expect(print).toMatch(/\.filters \{ display: none; \}/)
    expect(print).toMatch(/thead \{ display: table-header-group; \}/)
  })

  test('two renders are identical', () => {
    expect(matrixToHtml(sampleMatrix())).toBe(html)
  })

  test('an empty matrix still renders a page', () => {
    const empty = matrixToHtml({ ...sampleMatrix(), rules: [], tests: [], findings: [], impact: null })
    expect(empty).toContain('No findings.')
    expect(empty).toContain('Showing all 0 rules.')
    expect(empty).not.toContain('id="unlinked"')
  })

  test('hostile text in any field stays text: no element, attribute or row comes out of it', () => {
    const hostile = [
      '</td></tr></tbody></table><script>alert(1)</script>',
      '" onmouseover="alert(1)',
      "' onfocus='alert(2)",
      '`${x}` &amp; &#x3C; &lt; <!-- --> <![CDATA[ ]]>',
      'NUL \0 and \u2028 and 😀',
      // What the page uses internally to mark where the big lists go.
      '<"ferrule-slot">',
    ].join(' | ')
    /** The sample with `text` in every field a test or a rule takes from the spec or a test file. */
    const withText = (text: string) => {
      const page = sampleMatrix()
      for (const row of page.rules) {
        row.summary = text
        row.chapter = `${text}.md`
        row.href = `../site/x.html#${text}`
        for (const item of row.tests) item.title = text
      }
      page.rules[0]!.owner = text
      page.rules[4]!.waiver = { reason: text, reviewer: text, date: '2026-10-01' }
      page.tests.find((item) => item.title === 'an unlinked test')!.title = text
      return page
    }
    const page = withText(hostile)
    const out = matrixToHtml(page)
    // Same elements as with harmless text: the only script is the page's own, each rule one row.
    const count = (names: string[], name: string) => names.filter((other) => other === name).length
    expect(tags(out)).toEqual(tags(matrixToHtml(withText('plain'))))
    expect(count(tags(out), 'script')).toBe(1)
    expect(count(tags(out), '!--')).toBe(0)
    expect(out.match(/<tr id="rule-/g)).toHaveLength(page.rules.length)
    // Text and attribute values are escaped as in the rest of the page (hast-util-to-html).
    // (Rows are not cut out with `ruleRow`: `</tr>` may stand in an attribute value, unescaped and harmless.)
    expect(out).toContain(`<tr id="rule-lex.ident" data-index="0" data-chapter="${escapedAttribute(`${hostile}.md`)}" data-owner="${escapedAttribute(hostile)}"`)
    expect(out).toContain(`<a href="${escapedAttribute(`../site/x.html#${hostile}`)}" title="Fingerprint ${'f'.repeat(64)}">`)
    expect(out).toContain(`<div class="summary">${escaped(hostile)}</div>`)
    expect(out).toContain(`<td data-value="${escapedAttribute(`${hostile}.md`)}">${escaped(`${hostile}.md`)}<span class="line">:3</span></td>`)
    expect(out).toContain(`<td>${escaped(hostile)}</td>`)
    expect(out).toContain(`<li><span class="title">${escaped(hostile)}</span> <code>spec/lexing.md:12</code>`)
    expect(out).toContain(`<td>${escaped(hostile)}<br><small>${escaped(`${hostile}, 2026-10-01`)}</small></td>`)
    expect(out).toContain(`<section id="unlinked" aria-labelledby="unlinked-title"><h2 id="unlinked-title">Tests linked to no rule (1)</h2><ul class="tests"><li><span class="title">${escaped(hostile)}</span>`)
    expect(out).toContain(`<option value="${escapedAttribute(`${hostile}.md`)}">${escaped(`${hostile}.md`)} (6)</option>`)
  })
})

describe('escapeText and escapeAttribute', () => {
  test('escape what could end the text or the value, as the rest of the page does', () => {
    expect(escapeText('a < b && c > d "e" \'f\' `g`')).toBe('a &#x3C; b &#x26;&#x26; c > d "e" \'f\' `g`')
    expect(escapeAttribute('a < b && c > d "e" \'f\' `g` \0')).toBe('a < b &#x26;&#x26; c > d &#x22;e&#x22; &#x27;f&#x27; &#x60;g&#x60; &#x0;')
    expect(escapeText('</td><script>')).toBe('&#x3C;/td>&#x3C;script>')
    expect(escapeAttribute('" onclick="x')).toBe('&#x22; onclick=&#x22;x')
    expect(escapeText('&amp;')).toBe('&#x26;amp;')
  })

  test('give what hast-util-to-html gives, for any text', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.stringMatching(/^[<>&"'`\0a;#x\uD83D\uDE00]*$/))
    fc.assert(
      fc.property(text, (value) => {
        expect(escapeText(value)).toBe(escaped(value))
        expect(escapeAttribute(value)).toBe(escapedAttribute(value))
      }),
      { numRuns: 2000 },
    )
  })
})
