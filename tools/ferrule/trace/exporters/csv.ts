import type { Matrix, MatrixRow, MatrixTest, RowTest } from '../types.ts'
import { unlinkedTests } from '../unlinked.ts'

/** The columns of `matrix.csv`, in order; the header row names them. */
export const csvColumns = [
  'rule',
  'chapter',
  'line',
  'owner',
  'kind',
  'fingerprint',
  'verdict',
  'change',
  'waiver_reason',
  'waiver_reviewer',
  'waiver_date',
  'mitigated_by',
  'test_id',
  'test_title',
  'test_file',
  'test_line',
  'test_status',
  'test_via',
  'test_suspect',
] as const

export type CsvColumn = (typeof csvColumns)[number]

/**
 * `matrix.csv`: one record per link between a rule and a test, and one per rule or test without
 * any, for spreadsheets and scripts.
 *
 * - RFC 4180: records end in CRLF (the last one too); a field holding `,`, `"`, CR or LF is quoted
 *   and its `"` doubled. The text is UTF-8 without a byte order mark, so that tools that do not
 *   expect one (most CSV parsers, `cut`, `diff`) do not see it glued to the first column's name.
 * - A header row names the columns (`csvColumns`).
 * - Rules come in the matrix's order, and each rule's tests in the row's order. A rule without
 *   linked tests still has one record, its `test_*` fields empty. Rule fields repeat on every record
 *   of the rule, so that filtering a spreadsheet by test never loses which rule a row belongs to.
 * - Then each test linked to no rule has one record, in the matrix's order (by ID), its rule fields
 *   and `test_via` and `test_suspect` empty: every export lists the tests that verify nothing.
 * - A missing value (no owner, no baseline, no waiver, unknown line) is an empty field;
 *   `mitigated_by` lists rule IDs separated by one space; `test_suspect` is `true` or `false`.
 * - Formula injection: a field starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, as
 *   OWASP advises (https://owasp.org/www-community/attacks/CSV_Injection), because test titles and
 *   waiver reasons are free text that a spreadsheet would otherwise run as a formula. Readers that
 *   need the exact text should strip that `'` again, or read `matrix.json`, which is not altered.
 */
export function matrixToCsv(matrix: Matrix): string {
  return [...matrixToCsvChunks(matrix)].join('')
}

/** Characters of records that `matrixToCsvChunks` joins into one chunk. */
const chunkCharacters = 64 * 1024

/**
 * `matrixToCsv` in chunks of whole records, each made when the last has been taken, so that a large
 * export is written as it is made. Each is under V8's size for a small object, about 128 KB: a
 * larger string takes memory of its own from the system.
 */
export function* matrixToCsvChunks(matrix: Matrix): Generator<string> {
  let records: string[] = []
  let length = 0
  for (const record of csvRecords(matrix)) {
    records.push(record)
    length += record.length + 2
    if (length >= chunkCharacters) {
      // Each record ends in CRLF, the last one too.
      records.push('')
      yield records.join('\r\n')
      records = []
      length = 0
    }
  }
  if (records.length > 0) {
    records.push('')
    yield records.join('\r\n')
  }
}

/** The records of `matrix.csv`, without their line ends: the header, each rule's, each unlinked test's. */
function* csvRecords(matrix: Matrix): Generator<string> {
  yield csvColumns.map(field).join(',')
  for (const row of matrix.rules) {
    // The rule's fields are the same on each of its records: escaped once.
    const rule = ruleFields(row).map(field).join(',')
    if (row.tests.length === 0) yield `${rule},,,,,,,`
    for (const test of row.tests) yield `${rule},${testFields(test)}`
  }
  const noRule = ','.repeat(csvColumns.indexOf('test_id'))
  for (const test of unlinkedTests(matrix)) yield noRule + testFields(test)
}

/** The fields of `csvColumns` up to `mitigated_by`. */
function ruleFields(row: MatrixRow): string[] {
  return [
    row.id, row.chapter, String(row.line), row.owner ?? '', row.kind, row.fingerprint, row.verdict, row.change ?? '',
    row.waiver?.reason ?? '', row.waiver?.reviewer ?? '', row.waiver?.date ?? '', row.mitigatedBy.join(' '),
  ]
}

/**
 * The `test_*` fields of `csvColumns`, escaped and joined; a test linked to no rule has no `via` and
 * no `suspect`. The line, status, via and suspect fields are digits and lowercase words, which
 * need no escaping.
 */
function testFields(test: RowTest | MatrixTest): string {
  const link = 'via' in test ? `${test.via},${test.suspect}` : ','
  return `${field(test.id)},${field(test.title)},${field(test.file)},${test.line ?? ''},${test.status},${link}`
}

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

function field(value: string): string {
  const safe = formulaStart.test(value) ? "'" + value : value
  return needsQuotes.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe
}
