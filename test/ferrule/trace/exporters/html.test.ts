import { toHtml } from 'hast-util-to-html'
import { describe, expect, test } from 'vitest'
import { matrixToHtml } from '../../../../tools/ferrule/trace/exporters/html.ts'
import { verdicts } from '../../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../../helpers/matrix.ts'

/** `text` as it appears in the page's HTML. */
function escaped(text: string): string {
  return toHtml({ type: 'text', value: text })
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
})
