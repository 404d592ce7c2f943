import { parse } from 'csv-parse/sync'
import { describe, expect, test } from 'vitest'
import { csvColumns, matrixToCsv, matrixToCsvChunks } from '../../../../tools/ferrule/trace/exporters/csv.ts'
import type { Matrix, MatrixRow, MatrixTest, RowTest } from '../../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../../helpers/matrix.ts'

type Record = { [column in (typeof csvColumns)[number]]: string }

function read(text: string): Record[] {
  return parse(text, { columns: true }) as Record[]
}

/** Undo the formula-injection guard, as the exporter's documentation tells readers to. */
function unguard(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value
}

/** Every rule-test link of the matrix, then each test linked to no rule, in the order the CSV must list them. */
function links(matrix: Matrix): Array<[MatrixRow | null, RowTest | MatrixTest | null]> {
  const linked = new Set(matrix.rules.flatMap((row) => row.tests.map((test) => test.id)))
  return [
    ...matrix.rules.flatMap((row): Array<[MatrixRow, RowTest | null]> => (row.tests.length === 0 ? [[row, null]] : row.tests.map((test) => [row, test]))),
    ...matrix.tests.filter((test) => !linked.has(test.id)).map((test): [null, MatrixTest] => [null, test]),
  ]
}

function expectRecordsMatch(matrix: Matrix, records: Record[]) {
  const expected = links(matrix)
  expect(records).toHaveLength(expected.length)
  records.forEach((raw, index) => {
    const record = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, unguard(value)])) as Record
    const [row, test] = expected[index]!
    const where = `record ${index + 1} (${row?.id ?? test?.id})`
    expect(record.rule, where).toBe(row?.id ?? '')
    expect(record.chapter, where).toBe(row?.chapter ?? '')
    expect(record.line === '' ? null : Number(record.line), where).toBe(row?.line ?? null)
    expect(record.owner, where).toBe(row?.owner ?? '')
    expect(record.kind, where).toBe(row?.kind ?? '')
    expect(record.fingerprint, where).toBe(row?.fingerprint ?? '')
    expect(record.verdict, where).toBe(row?.verdict ?? '')
    expect(record.change, where).toBe(row?.change ?? '')
    expect(record.waiver_reason, where).toBe(row?.waiver?.reason ?? '')
    expect(record.waiver_reviewer, where).toBe(row?.waiver?.reviewer ?? '')
    expect(record.waiver_date, where).toBe(row?.waiver?.date ?? '')
    expect(record.mitigated_by === '' ? [] : record.mitigated_by.split(' '), where).toEqual(row?.mitigatedBy ?? [])
    expect(record.test_id, where).toBe(test?.id ?? '')
    expect(record.test_title, where).toBe(test?.title ?? '')
    expect(record.test_file, where).toBe(test?.file ?? '')
    expect(record.test_line === '' ? null : Number(record.test_line), where).toBe(test?.line ?? null)
    expect(record.test_status, where).toBe(test?.status ?? '')
    expect(record.test_via, where).toBe(test && 'via' in test ? test.via : '')
    expect(record.test_suspect, where).toBe(test && 'suspect' in test ? String(test.suspect) : '')
  })
}

describe('matrixToCsv', () => {
  test('reads back field by field as the matrix, one record per rule-test link', () => {
    const matrix = sampleMatrix()
    expectRecordsMatch(matrix, read(matrixToCsv(matrix)))
  })

  test('a test linked to no rule has one record after the rules, with empty rule and link columns', () => {
    const records = read(matrixToCsv(sampleMatrix()))
    expect(records.at(-1)).toMatchObject({ rule: '', verdict: '', test_id: 'test/other.test.ts#x', test_title: 'an unlinked test', test_line: '3', test_status: 'passed', test_via: '', test_suspect: '' })
    expect(records.filter((record) => record.rule === '')).toHaveLength(1)
  })

  test('starts with a header row naming the columns, without a byte order mark', () => {
    const text = matrixToCsv(sampleMatrix())
    expect(text.charCodeAt(0)).toBe('r'.charCodeAt(0))
    expect(text.split('\r\n')[0]).toBe(
      'rule,chapter,line,owner,kind,fingerprint,verdict,change,waiver_reason,waiver_reviewer,waiver_date,mitigated_by,' +
        'test_id,test_title,test_file,test_line,test_status,test_via,test_suspect',
    )
  })

  test('every record ends in CRLF and there is no bare LF', () => {
    const text = matrixToCsv(sampleMatrix())
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/)
  })

  test('a rule without tests has one record with empty test columns', () => {
    const records = read(matrixToCsv(sampleMatrix()))
    const space = records.filter((record) => record.rule === 'lex.space')
    expect(space).toHaveLength(1)
    expect([space[0]!.test_id, space[0]!.test_title, space[0]!.test_line, space[0]!.test_suspect]).toEqual(['', '', '', ''])
    expect(records.filter((record) => record.rule === 'lex.number').map((record) => record.test_id)).toEqual(['test/num.test.ts#n', 'test/num.test.ts#m'])
  })

  test('fields with commas, quotes and line breaks are quoted, quotes doubled; UTF-8 text is kept', () => {
    const matrix = sampleMatrix()
    const test0 = matrix.rules[0]!.tests[0]!
    test0.title = 'says "hi", then\r\nleaves\nor stays\r'
    matrix.rules[1]!.tests[0]!.title = 'ünïcödé — 字'
    const text = matrixToCsv(matrix)
    expect(text).toContain(',"says ""hi"", then\r\nleaves\nor stays\r",')
    expect(text).toContain(',"identifiers [lex.ident], with commas",')
    expect(text).toContain(',ünïcödé — 字,')
    expectRecordsMatch(matrix, read(text))
  })

  test('fields that a spreadsheet would run as a formula start with an apostrophe', () => {
    const matrix = sampleMatrix()
    const tests = matrix.rules[0]!.tests
    const titles = ['=HYPERLINK("https://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']
    matrix.rules[0]!.tests = titles.map((title, index) => ({ ...tests[0]!, id: `t${index}`, title }))
    matrix.rules[4]!.waiver!.reason = '=1+1'
    const records = read(matrixToCsv(matrix))
    expect(records.slice(0, titles.length).map((record) => record.test_title)).toEqual(titles.map((title) => "'" + title))
    expect(records.find((record) => record.rule === 'lex.unicode')!.waiver_reason).toBe("'=1+1")
    expect(records.find((record) => record.rule === 'lex.keyword')!.test_title).toBe('keywords')
    expectRecordsMatch(matrix, records)
  })

  test('a threat lists the rules that mitigate it, separated by spaces', () => {
    const threat = read(matrixToCsv(sampleMatrix())).find((record) => record.rule === 'threat.typosquat')!
    expect(threat.mitigated_by).toBe('lex.ident lex.keyword')
  })

  test('the same matrix gives the same bytes', () => {
    expect(matrixToCsv(sampleMatrix())).toBe(matrixToCsv(sampleMatrix()))
  })

  test('an empty matrix is the header row alone', () => {
    expect(matrixToCsv({ ...sampleMatrix(), rules: [], tests: [] })).toBe(csvColumns.join(',') + '\r\n')
  })
})

test('matrixToCsvChunks is matrixToCsv in chunks of whole records', () => {
  const sample = sampleMatrix()
  // Enough records for several chunks, one with a field of new lines and quotes across its records.
  const matrix: Matrix = { ...sample, rules: Array.from({ length: 600 }, (_, copy) => sample.rules.map((row) => ({ ...row, id: `${row.id}.${copy}` }))).flat() }
  const chunks = [...matrixToCsvChunks(matrix)]
  expect(chunks.length).toBeGreaterThan(2)
  expect(chunks.join('')).toBe(matrixToCsv(matrix))
  for (const chunk of chunks) expect(read(csvColumns.join(',') + '\r\n' + (chunk === chunks[0] ? chunk.slice(chunk.indexOf('\r\n') + 2) : chunk)).length).toBeGreaterThan(0)
  expect(read(chunks.join('')).length).toBe(links(matrix).length)
})
