import type { Matrix, MatrixRow, RowTest } from '../types.ts'

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
 * `matrix.csv`: one record per link between a rule and a test, for spreadsheets and scripts.
 *
 * - RFC 4180: records end in CRLF (the last one too); a field holding `,`, `"`, CR or LF is quoted
 *   and its `"` doubled. The text is UTF-8 without a byte order mark, so that tools that do not
 *   expect one (most CSV parsers, `cut`, `diff`) do not see it glued to the first column's name.
 * - A header row names the columns (`csvColumns`).
 * - Rules come in the matrix's order, and each rule's tests in the row's order. A rule without
 *   linked tests still has one record, its `test_*` fields empty. Rule fields repeat on every record
 *   of the rule, so that filtering a spreadsheet by test never loses which rule a row belongs to.
 * - A missing value (no owner, no baseline, no waiver, unknown line) is an empty field;
 *   `mitigated_by` lists rule IDs separated by one space; `test_suspect` is `true` or `false`.
 * - Formula injection: a field starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, as
 *   OWASP advises (https://owasp.org/www-community/attacks/CSV_Injection), because test titles and
 *   waiver reasons are free text that a spreadsheet would otherwise run as a formula. Readers that
 *   need the exact text should strip that `'` again, or read `matrix.json`, which is not altered.
 */
export function matrixToCsv(matrix: Matrix): string {
  const lines: string[] = [csvColumns.map(field).join(',')]
  for (const row of matrix.rules) {
    // The rule's fields are the same on each of its records: escaped once.
    const rule = ruleFields(row).map(field).join(',')
    if (row.tests.length === 0) lines.push(`${rule},,,,,,,`)
    for (const test of row.tests) lines.push(`${rule},${testFields(test).map(field).join(',')}`)
  }
  // The last record's CRLF too, from the join: adding it after would make a text to copy whole again.
  lines.push('')
  return lines.join('\r\n')
}

/** The fields of `csvColumns` up to `mitigated_by`. */
function ruleFields(row: MatrixRow): string[] {
  return [
    row.id, row.chapter, String(row.line), row.owner ?? '', row.kind, row.fingerprint, row.verdict, row.change ?? '',
    row.waiver?.reason ?? '', row.waiver?.reviewer ?? '', row.waiver?.date ?? '', row.mitigatedBy.join(' '),
  ]
}

/** The `test_*` fields of `csvColumns`. */
function testFields(test: RowTest): string[] {
  return [test.id, test.title, test.file, test.line == null ? '' : String(test.line), test.status, test.via, String(test.suspect)]
}

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

function field(value: string): string {
  const safe = formulaStart.test(value) ? "'" + value : value
  return needsQuotes.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe
}
