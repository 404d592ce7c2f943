import { createHash } from 'node:crypto'
import type { Element, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h, type Child } from 'hastscript'
import type { Raw } from 'mdast-util-to-hast'
import { verdicts } from '../types.ts'
import { unlinkedTests } from '../unlinked.ts'
import type { Matrix, MatrixRow, MatrixTest, RowTest, Tally, Verdict } from '../types.ts'

/**
 * `matrix.html`: the matrix as one standalone page for reviewers: the summary, the impact of changes
 * since the baseline, the findings, then a table with a row per rule. Select boxes filter the table
 * by chapter, owner and verdict and a click on a column header sorts it; a small inline script does
 * that from `data-*` attributes, so with JavaScript off the full table is still there. No request
 * leaves the page (its Content-Security-Policy allows only its own inline style and script), and it
 * prints with the filters hidden and the table headers repeated on each page.
 */
export function matrixToHtml(matrix: Matrix): string {
  return [...matrixToHtmlChunks(matrix)].join('')
}

/** Rows or items of a big list that `matrixToHtmlChunks` joins into one piece: some dozen kilobytes. */
const itemsPerPiece = 32

/**
 * `matrixToHtml` in chunks: the page around the big lists, and the lists some rows at a time. A
 * large matrix's page is then never one text (25 MB, copied whole again to be encoded).
 */
export function* matrixToHtmlChunks(matrix: Matrix): Generator<string> {
  const lists: SlotList[] = []
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en' }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('meta', { httpEquiv: 'Content-Security-Policy', content: `default-src 'none'; style-src '${sha256(css)}'; script-src '${sha256(script)}'; form-action 'none'; base-uri 'none'` }),
          h('title', `${matrix.title}: certification matrix`),
          h('style', css),
        ]),
        h('body', [
          h('header', [h('h1', matrix.title), h('p.lead', 'Certification matrix: every rule, the tests that verify it and its verdict.')]),
          summarySection(matrix),
          ...(matrix.impact === null ? [] : [impactSection(matrix.impact)]),
          findingsSection(matrix),
          rulesSection(matrix, lists),
          ...unlinkedSection(matrix, lists),
          h('script', script),
        ]),
      ]),
    ],
  }
  // The only raw nodes are the slots of the big lists.
  const parts = toHtml(tree, { allowDangerousHtml: true }).split(slotMarker)
  if (parts.length !== lists.length + 1) throw new Error(`Bug in Ferrule: the matrix page has ${parts.length - 1} slots for ${lists.length} lists`)
  for (const [index, part] of parts.entries()) {
    yield part
    const list = lists[index]
    if (list === undefined) continue
    for (let at = 0; at < list.length; at += itemsPerPiece) {
      const piece: string[] = []
      for (let item = at; item < Math.min(at + itemsPerPiece, list.length); item++) piece.push(list.item(item))
      yield piece.join('')
    }
  }
  yield '\n'
}

/**
 * Marks where a big list goes. `toHtml` copies the text of every element once per enclosing element,
 * which for megabytes of rows took longer than writing them, so they are put in after it ran. No
 * text of the matrix can come out of `toHtml` as this marker: text has its `<` escaped, attribute
 * values their `"`.
 */
const slotMarker = '<"ferrule-slot">'

/** The items of a slot's list, each made (escaped) when its piece of the page is. */
interface SlotList {
  length: number
  item(index: number): string
}

/**
 * A slot for a list of `items`, each written by `render` as the page is put together. (Made at
 * once and kept until then, the rows of a large matrix were copied by each garbage collection.)
 */
function slot<T>(lists: SlotList[], items: readonly T[], render: (item: T, index: number) => string): Raw {
  lists.push({ length: items.length, item: (index) => render(items[index]!, index) })
  return { type: 'raw', value: slotMarker }
}

/** Owner as filtered on: rules of chapters without an owner are grouped under this value. */
const noOwner = '(none)'

function summarySection(matrix: Matrix): Element {
  const { overall, byChapter, byOwner } = matrix.summary
  const overallRows = verdicts.map((verdict) =>
    h('tr', [h('th', { scope: 'row' }, verdictLabel(verdict)), h('td.num', String(overall.counts[verdict])), h('td.num', percent(overall.percent[verdict]))]),
  )
  return h('section#summary', { ariaLabelledBy: 'summary-title' }, [
    h('h2#summary-title', 'Summary'),
    h('p.overall', [h('strong', `${overall.rules} rules`), `, coverage ${percent(overall.coverage)} (verified, waived or mitigated).`]),
    h('table.overall', [
      h('caption', 'All rules'),
      h('thead', h('tr', [h('th', { scope: 'col' }, 'Verdict'), h('th', { scope: 'col' }, 'Rules'), h('th', { scope: 'col' }, 'Share')])),
      h('tbody', overallRows),
    ]),
    tallyTable('By chapter', 'Chapter', ordered(Object.keys(byChapter), matrix.rules.map((row) => row.chapter)), byChapter),
    tallyTable('By owner', 'Owner', ordered(Object.keys(byOwner), []), byOwner),
  ])
}

function tallyTable(title: string, heading: string, keys: string[], tallies: Record<string, Tally>): Element {
  const header = [heading, 'Rules', ...verdicts, 'Coverage'].map((text) => h('th', { scope: 'col' }, text))
  const rows = keys.map((key) => {
    const tally = tallies[key]!
    const counts = verdicts.map((verdict) => h('td.num', { title: percent(tally.percent[verdict]) }, String(tally.counts[verdict])))
    return h('tr', [h('th', { scope: 'row' }, key), h('td.num', String(tally.rules)), ...counts, h('td.num', percent(tally.coverage))])
  })
  return h('table.tally', [h('caption', title), h('thead', h('tr', header)), h('tbody', rows)])
}

function impactSection(impact: NonNullable<Matrix['impact']>): Element {
  const ruleLinks = (ids: string[]) => (ids.length === 0 ? ['none'] : join(ids.map((id) => h('a', { href: `#${ruleAnchor(id)}` }, h('code', id)))))
  const removed = impact.removed.length === 0 ? ['none'] : join(impact.removed.map((rule) => h('span', [h('code', rule.id), ` (${rule.chapter})`])))
  const entry = (term: string, description: Child) => [h('dt', term), h('dd', description)]
  return h('section#impact', { ariaLabelledBy: 'impact-title' }, [
    h('h2#impact-title', 'Since the baseline'),
    h('dl', [
      ...entry('Baseline', h('code', impact.baseline)),
      ...entry(`Added (${impact.added.length})`, ruleLinks(impact.added)),
      ...entry(`Removed (${impact.removed.length})`, removed),
      ...entry(`Changed (${impact.changed.length})`, ruleLinks(impact.changed)),
      ...entry('Suspect links', `${impact.suspectLinks} (tests to run again: their rule changed since they last passed)`),
      ...entry('Coverage', `${percent(impact.coverageBefore)} → ${percent(impact.coverageAfter)}`),
    ]),
  ])
}

function findingsSection(matrix: Matrix): Element {
  const header = ['Severity', 'Check', 'Where', 'Message'].map((text) => h('th', { scope: 'col' }, text))
  const rows = matrix.findings.map((finding) =>
    h('tr', [
      h('td', h(`span.label.${finding.severity}`, finding.severity)),
      h('td', h('code', finding.rule)),
      h('td', h('code', finding.line === null ? finding.file : `${finding.file}:${finding.line}`)),
      h('td', finding.message),
    ]),
  )
  return h('section#findings', { ariaLabelledBy: 'findings-title' }, [
    h('h2#findings-title', `Findings (${matrix.findings.length})`),
    rows.length === 0 ? h('p', 'No findings.') : h('table', [h('thead', h('tr', header)), h('tbody', rows)]),
  ])
}

function rulesSection(matrix: Matrix, lists: SlotList[]): Element {
  const count = (values: string[]) => {
    const counts = new Map<string, number>()
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
    return (value: string) => counts.get(value) ?? 0
  }
  const chapters = matrix.rules.map((row) => row.chapter)
  const owners = matrix.rules.map((row) => row.owner ?? noOwner)
  const [ofChapter, ofOwner, ofVerdict] = [count(chapters), count(owners), count(matrix.rules.map((row) => row.verdict))]
  const filter = (name: string, label: string, options: Array<[value: string, text: string]>) =>
    h('label', [
      label + ' ',
      h('select', { name }, [h('option', { value: '' }, 'All'), ...options.map(([value, text]) => h('option', { value }, text))]),
    ])
  const header = ['Rule', 'Chapter', 'Owner', 'Kind', 'Verdict', 'Tests', 'Waiver'].map((text) => h('th', { scope: 'col' }, text))
  return h('section#rules', { ariaLabelledBy: 'rules-title' }, [
    h('h2#rules-title', 'Rules'),
    // Hidden until the script runs: without it the filters would do nothing.
    h('form#filters.filters', { hidden: true, ariaLabel: 'Filter the rules' }, [
      filter('chapter', 'Chapter', unique(chapters).map((chapter) => [chapter, `${chapter} (${ofChapter(chapter)})`])),
      filter('owner', 'Owner', ordered(unique(owners), []).map((owner) => [owner, `${owner === noOwner ? 'no owner' : owner} (${ofOwner(owner)})`])),
      filter('verdict', 'Verdict', verdicts.map((verdict) => [verdict, `${verdict} (${ofVerdict(verdict)})`])),
    ]),
    h('p#rules-shown', { role: 'status' }, `Showing all ${matrix.rules.length} rules.`),
    h('table#rules-table', [h('thead', h('tr', header)), h('tbody', [slot(lists, matrix.rules, ruleRow)])]),
  ])
}

/*
 * The rows of the rules table and the list of unlinked tests are most of a large page (a million
 * nodes at 10,000 rules and 50,000 tests), and building and serialising them as hast took seconds.
 * They are written as strings instead, in exactly the form `toHtml` gives the same elements: every
 * text goes through `escapeText` and every attribute value through `escapeAttribute`.
 */

function ruleRow(row: MatrixRow, index: number): string {
  const change = row.change === 'added' || row.change === 'changed' ? ' ' + label('change', row.change) : ''
  const mitigations =
    row.mitigatedBy.length === 0 ? '' : '<p>Mitigated by ' + row.mitigatedBy.map((id) => `<a href="${escapeAttribute('#' + ruleAnchor(id))}"><code>${escapeText(id)}</code></a>`).join(', ') + '</p>'
  const tests = row.tests.length === 0 ? (mitigations === '' ? 'none' : '') : '<ul class="tests">' + row.tests.map(testItem).join('') + '</ul>'
  const waiver = row.waiver === null ? '' : `${escapeText(row.waiver.reason)}<br><small>${escapeText(`${row.waiver.reviewer}, ${row.waiver.date}`)}</small>`
  return (
    `<tr id="${escapeAttribute(ruleAnchor(row.id))}" data-index="${index}" data-chapter="${escapeAttribute(row.chapter)}" data-owner="${escapeAttribute(row.owner ?? noOwner)}" data-verdict="${escapeAttribute(row.verdict)}">` +
    `<td data-value="${escapeAttribute(row.id)}"><a href="${escapeAttribute(row.href)}" title="${escapeAttribute(`Fingerprint ${row.fingerprint}`)}"><code>${escapeText(row.id)}</code></a>${change}<div class="summary">${escapeText(row.summary)}</div></td>` +
    `<td data-value="${escapeAttribute(row.chapter)}">${escapeText(row.chapter)}<span class="line">:${row.line}</span></td>` +
    `<td>${escapeText(row.owner ?? '')}</td>` +
    `<td>${escapeText(row.kind)}</td>` +
    `<td data-value="${verdicts.indexOf(row.verdict)}">${label(row.verdict, row.verdict)}</td>` +
    `<td data-value="${row.tests.length}">${tests}${mitigations}</td>` +
    `<td>${waiver}</td></tr>`
  )
}

const suspectLabel = '<span class="label suspect" title="The rule changed since this test last passed: the link counts again once it passes.">suspect</span>'

function testItem(test: RowTest): string {
  return `<li>${testSummary(test)}<small> via ${escapeText(test.via)}</small>${test.suspect ? ' ' + suspectLabel : ''}</li>`
}

/** Title, place and status of a test, as its list item starts. */
function testSummary(test: MatrixTest | RowTest): string {
  return `<span class="title">${escapeText(test.title)}</span> <code>${escapeText(location(test))}</code> ${label(test.status, test.status)}`
}

/** `<span class="label ${kind}">${text}</span>`, as `h('span.label.' + kind, text)` gives it. */
function label(kind: string, text: string): string {
  // Verdicts, statuses and changes: a few labels, each written for thousands of rows.
  const key = `${kind}\0${text}`
  let made = labels.get(key)
  if (made === undefined) labels.set(key, (made = `<span class="label ${escapeAttribute(kind)}">${escapeText(text)}</span>`))
  return made
}
const labels = new Map<string, string>()

const textPattern = /[<&]/g
const attributePattern = /[\0"&'`]/g
// The same, to test for: most values have nothing to escape, and testing for that is quicker than
// replacing nothing.
const hasText = /[<&]/
const hasAttribute = /[\0"&'`]/

// The references `hast-util-to-html` writes, so that both halves of the page escape alike.
const references: Record<string, string> = { '<': '&#x3C;', '&': '&#x26;', '"': '&#x22;', "'": '&#x27;', '`': '&#x60;', '\0': '&#x0;' }

function reference(character: string): string {
  return references[character]!
}

/**
 * `text` as the content of an element: the characters that could start a tag or a character
 * reference (`<`, `&`) become references, as `hast-util-to-html` writes them (`&#x3C;`, `&#x26;`).
 * Not for the content of `<script>` or `<style>`, which HTML does not decode.
 */
export function escapeText(text: string): string {
  return hasText.test(text) ? text.replace(textPattern, reference) : text
}

/**
 * `value` as a double-quoted attribute value: `"` (which would end it), `&`, and the characters
 * `hast-util-to-html` also escapes there (NUL, `'`, `` ` ``) become references, as it writes them.
 */
export function escapeAttribute(value: string): string {
  return hasAttribute.test(value) ? value.replace(attributePattern, reference) : value
}

/** Tests that verify no rule: a reviewer should tag them or ask why they exist. */
function unlinkedSection(matrix: Matrix, lists: SlotList[]): Element[] {
  const unlinked = unlinkedTests(matrix)
  if (unlinked.length === 0) return []
  return [h('section#unlinked', { ariaLabelledBy: 'unlinked-title' }, [h('h2#unlinked-title', `Tests linked to no rule (${unlinked.length})`), h('ul.tests', [slot(lists, unlinked, (test) => `<li>${testSummary(test)}</li>`)])])]
}

function verdictLabel(verdict: Verdict): Element {
  return h(`span.label.${verdict}`, verdict)
}

function ruleAnchor(id: string): string {
  return `rule-${id}`
}

function location(test: { file: string; line: number | null }): string {
  return test.line === null ? test.file : `${test.file}:${test.line}`
}

function percent(value: number): string {
  return `${value}%`
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}

/**
 * `keys` with those in `first` leading in that order (reading order), then the rest sorted. The
 * strings given back are those of `keys`: they are looked up as property keys next, and a string of
 * `first` looked up so would become a thin string, which makes the whole page two bytes a character
 * (see `internalized` in `../matrix.ts`).
 */
function ordered(keys: string[], first: string[]): string[] {
  const position = new Map(unique(first).map((key, index) => [key, index]))
  const leading = keys.filter((key) => position.has(key)).sort((a, b) => position.get(a)! - position.get(b)!)
  return [...leading, ...keys.filter((key) => !position.has(key)).sort()]
}

function join(items: Element[]): Array<Element | string> {
  return items.flatMap((item, index) => (index === 0 ? [item] : [', ', item]))
}

function sha256(text: string): string {
  return 'sha256-' + createHash('sha256').update(text).digest('base64')
}

const css = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 90rem; padding: 1rem 2rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #c8c8c8; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
#rules-table { width: 100%; }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th[aria-sort=ascending] button::after { content: " \\25B2"; }
th[aria-sort=descending] button::after { content: " \\25BC"; }
.label { display: inline-block; border: 1px solid; border-radius: 0.25rem; padding: 0 0.3rem; font-size: 0.85em; }
.verified, .mitigated, .passed { background: #d7f0dc; color: #14532d; }
.failing, .unmitigated, .failed, .error { background: #fbdada; color: #7f1d1d; }
.untested, .skipped, .warning { background: #fdf0c4; color: #5c4300; }
.uncovered { background: #e6e6e6; color: #333; }
.waived { background: #d8e6fd; color: #123a7a; }
.suspect, .change { background: #fde2cf; color: #6b2a00; }
.summary { color: #444; font-size: 0.9em; white-space: pre-line; }
.line, small { color: #555; }
ul.tests { margin: 0; padding-left: 1.1rem; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0.5rem 0; }
.filters[hidden] { display: none; }
dt { font-weight: 600; }
dd { margin: 0 0 0.4rem 1.5rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .filters { display: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  th[aria-sort] button::after { content: none; }
  .label { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`

// Plain ES2017 for any browser a reviewer might have; no `</` inside, so the element cannot end early.
const script = `
(function () {
  var table = document.getElementById('rules-table')
  var form = document.getElementById('filters')
  var status = document.getElementById('rules-shown')
  if (!table || !form || !status) return
  var body = table.tBodies[0]
  var rows = Array.prototype.slice.call(body.rows)
  var selects = Array.prototype.slice.call(form.querySelectorAll('select'))
  form.hidden = false
  form.addEventListener('submit', function (event) { event.preventDefault() })
  function filter() {
    var shown = 0
    rows.forEach(function (row) {
      var show = selects.every(function (select) { return select.value === '' || row.dataset[select.name] === select.value })
      row.hidden = !show
      if (show) shown++
    })
    status.textContent = shown === rows.length ? 'Showing all ' + rows.length + ' rules.' : 'Showing ' + shown + ' of ' + rows.length + ' rules.'
  }
  selects.forEach(function (select) { select.addEventListener('change', filter) })
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells)
  function value(row, column) {
    var cell = row.cells[column]
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent
  }
  headers.forEach(function (th, column) {
    var button = document.createElement('button')
    button.type = 'button'
    button.textContent = th.textContent
    th.textContent = ''
    th.appendChild(button)
    button.addEventListener('click', function () {
      var sign = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1
      headers.forEach(function (other) { other.removeAttribute('aria-sort') })
      th.setAttribute('aria-sort', sign === 1 ? 'ascending' : 'descending')
      rows.slice().sort(function (a, b) {
        return sign * value(a, column).localeCompare(value(b, column), 'en', { numeric: true }) || a.dataset.index - b.dataset.index
      }).forEach(function (row) { body.appendChild(row) })
    })
  })
})()
`
