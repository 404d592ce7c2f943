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
  const records: string[][] = [[...csvColumns]]
  for (const row of matrix.rules) {
    if (row.tests.length === 0) records.push(record(row, null))
    for (const test of row.tests) records.push(record(row, test))
  }
  return records.map((fields) => fields.map(field).join(',') + '\r\n').join('')
}

function record(row: MatrixRow, test: RowTest | null): string[] {
  const values: Record<CsvColumn, string> = {
    rule: row.id,
    chapter: row.chapter,
    line: String(row.line),
    owner: row.owner ?? '',
    kind: row.kind,
    fingerprint: row.fingerprint,
    verdict: row.verdict,
    change: row.change ?? '',
    waiver_reason: row.waiver?.reason ?? '',
    waiver_reviewer: row.waiver?.reviewer ?? '',
    waiver_date: row.waiver?.date ?? '',
    mitigated_by: row.mitigatedBy.join(' '),
    test_id: test?.id ?? '',
    test_title: test?.title ?? '',
    test_file: test?.file ?? '',
    test_line: test?.line == null ? '' : String(test.line),
    test_status: test?.status ?? '',
    test_via: test?.via ?? '',
    test_suspect: test === null ? '' : String(test.suspect),
  }
  return csvColumns.map((column) => values[column])
}

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

function field(value: string): string {
  const safe = formulaStart.test(value) ? "'" + value : value
  return needsQuotes.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe
}
