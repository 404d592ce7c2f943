import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { matrixToXlsx, maxCellLength, ruleColumns, testColumns, truncationMarker } from '../../../../tools/ferrule/trace/exporters/xlsx.ts'
import type { Matrix } from '../../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../../helpers/matrix.ts'

async function open(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook()
  // exceljs' `load` is typed for its own Buffer type; a Node Buffer is what it reads.
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer)
  return workbook
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name)
  if (!found) throw new Error(`No sheet ${name}`)
  return found
}

/** The values of a row as a person reading the sheet sees them: empty cells are `null`. */
function rowValues(worksheet: ExcelJS.Worksheet, row: number, columns: number): unknown[] {
  return Array.from({ length: columns }, (_, index) => worksheet.getRow(row).getCell(index + 1).value ?? null)
}

const unzipAvailable = spawnSync('unzip', ['-v']).status === 0

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllEnvs()
})

describe('matrixToXlsx', () => {
  test('has the sheets Summary, Rules, Tests and Findings', async () => {
    const workbook = await open(await matrixToXlsx(sampleMatrix()))
    expect(workbook.worksheets.map((worksheet) => worksheet.name)).toEqual(['Summary', 'Rules', 'Tests', 'Findings'])
  })

  test('Rules has one row per rule, every cell as in the matrix', async () => {
    const matrix = sampleMatrix()
    const rules = sheet(await open(await matrixToXlsx(matrix)), 'Rules')
    expect(rowValues(rules, 1, ruleColumns.length)).toEqual([...ruleColumns])
    expect(rules.actualRowCount).toBe(matrix.rules.length + 1)
    matrix.rules.forEach((rule, index) => {
      const count = (status: string) => rule.tests.filter((test) => test.status === status).length
      expect(rowValues(rules, index + 2, ruleColumns.length)).toEqual([
        rule.id, rule.chapter, rule.line, rule.owner, rule.kind, rule.summary, rule.verdict, rule.change,
        rule.tests.length, count('passed'), count('failed'), count('skipped'), rule.tests.filter((test) => test.suspect).length,
        rule.waiver?.reason ?? null, rule.waiver?.reviewer ?? null, rule.waiver?.date ?? null,
        rule.mitigatedBy.length > 0 ? rule.mitigatedBy.join(', ') : null, rule.fingerprint,
        { text: rule.href, hyperlink: rule.href },
      ])
    })
  })

  test('Tests has one row per link between a rule and a test, then one per test linked to no rule', async () => {
    const matrix = sampleMatrix()
    const tests = sheet(await open(await matrixToXlsx(matrix)), 'Tests')
    expect(rowValues(tests, 1, testColumns.length)).toEqual([...testColumns])
    const links: unknown[][] = matrix.rules.flatMap((rule) => rule.tests.map((test) => [rule.id, test.id, test.title, test.file, test.line, test.status, test.via, test.suspect]))
    expect(links.some((link) => link.at(-1) === true)).toBe(true)
    links.push([null, 'test/other.test.ts#x', 'an unlinked test', 'test/other.test.ts', 3, 'passed', null, null])
    expect(tests.actualRowCount).toBe(links.length + 1)
    links.forEach((link, index) => expect(rowValues(tests, index + 2, testColumns.length)).toEqual(link))
  })

  test('tables have a frozen header row with filter buttons', async () => {
    const workbook = await open(await matrixToXlsx(sampleMatrix()))
    for (const [name, columns] of [['Rules', 'S'], ['Tests', 'H']] as const) {
      const worksheet = sheet(workbook, name)
      expect(worksheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
      expect(String(worksheet.autoFilter)).toBe(`A1:${columns}${worksheet.actualRowCount}`)
    }
  })

  test('verdict cells are coloured, one colour per verdict', async () => {
    const matrix = sampleMatrix()
    const rules = sheet(await open(await matrixToXlsx(matrix)), 'Rules')
    const column = ruleColumns.indexOf('Verdict') + 1
    const colours = new Map<string, string>()
    matrix.rules.forEach((rule, index) => {
      const fill = rules.getRow(index + 2).getCell(column).fill
      expect(fill).toMatchObject({ type: 'pattern', pattern: 'solid' })
      colours.set(rule.verdict, (fill as ExcelJS.FillPattern).fgColor?.argb ?? '')
    })
    expect(colours.get('verified')).not.toBe(colours.get('failing'))
    expect(colours.get('untested')).not.toBe(colours.get('uncovered'))
  })

  test('only the verdict cells are coloured, only the header is bold, only the prose column wraps', async () => {
    // Many rows, so that cells of one style are many and of every value type.
    const matrix = sampleMatrix()
    matrix.rules = Array.from({ length: 40 }, (_, index) => ({ ...matrix.rules[index % matrix.rules.length]!, id: `rule.${index}` }))
    const workbook = await open(await matrixToXlsx(matrix))
    for (const [name, columns, wrap, coloured] of [
      ['Rules', ruleColumns, 'Summary', 'Verdict'],
      ['Tests', testColumns, 'Title', null],
    ] as const) {
      const worksheet = sheet(workbook, name)
      for (let row = 1; row <= worksheet.actualRowCount; row++) {
        columns.forEach((column, index) => {
          const cell = worksheet.getRow(row).getCell(index + 1)
          const where = `${name} ${cell.address}`
          expect(Boolean(cell.font?.bold), where).toBe(row === 1)
          expect(Boolean(cell.alignment?.wrapText), where).toBe(column === wrap)
          const fill = cell.fill as ExcelJS.FillPattern | undefined
          expect(fill?.pattern === 'solid', where).toBe(row > 1 && column === coloured)
        })
      }
    }
  })

  test('Summary shows the tallies and the impact of the changes', async () => {
    const matrix = sampleMatrix()
    const summary = sheet(await open(await matrixToXlsx(matrix)), 'Summary')
    const rows = new Map<string, unknown[]>()
    summary.eachRow((row) => rows.set(String(row.getCell(1).value), rowValues(summary, row.number, 10)))
    expect(rows.get(matrix.title)).toBeDefined()
    expect(matrix.summary.overall.percent.failing).toBe(16.67)
    expect(rows.get('failing')?.slice(1, 3)).toEqual([1, 0.1667])
    expect(rows.get('Coverage')?.[1]).toBeCloseTo(matrix.summary.overall.coverage / 100)
    expect(rows.get('lexing.md')?.[1]).toBe(matrix.summary.byChapter['lexing.md']!.counts.verified)
    expect(rows.get('T-crates-io')?.[7]).toBe(1)
    expect(rows.get('Rules changed')?.slice(1, 3)).toEqual([2, 'lex.keyword, lex.number'])
    expect(rows.get('Coverage after')?.[1]).toBeCloseTo(0.3333)
    // A percentage is the fraction of its two decimals, never one a float division left long.
    const fractions = { ...matrix, summary: { ...matrix.summary, overall: { ...matrix.summary.overall, coverage: 83.33 } } }
    const long = sheet(await open(await matrixToXlsx(fractions)), 'Summary')
    const coverage: unknown[] = []
    long.eachRow((row) => {
      if (row.getCell(1).value === 'Coverage') coverage.push(row.getCell(2).value)
    })
    expect(coverage).toEqual([0.8333])
    const withoutImpact: Matrix = { ...matrix, impact: null }
    const plain = sheet(await open(await matrixToXlsx(withoutImpact)), 'Summary')
    plain.eachRow((row) => expect(row.getCell(1).value).not.toBe('Rules changed'))
  })

  test('two writes of the same matrix, seconds apart, give the same bytes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2031-05-06T07:08:09Z'))
    const first = await matrixToXlsx(sampleMatrix())
    vi.setSystemTime(new Date('2032-11-12T13:14:15Z'))
    const second = await matrixToXlsx(sampleMatrix())
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true)
  })

  test('stamps the date of SOURCE_DATE_EPOCH', async () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000000')
    const workbook = await open(await matrixToXlsx(sampleMatrix()))
    expect(workbook.created.toISOString()).toBe('2023-11-14T22:13:20.000Z')
    expect(workbook.modified.toISOString()).toBe('2023-11-14T22:13:20.000Z')
  })

  test('cuts text longer than Excel accepts, and says so', async () => {
    const matrix = sampleMatrix()
    matrix.rules[0]!.summary = 'x'.repeat(maxCellLength - 1) + '😀'.repeat(10)
    const rules = sheet(await open(await matrixToXlsx(matrix)), 'Rules')
    const cell = String(rules.getRow(2).getCell(ruleColumns.indexOf('Summary') + 1).value)
    expect(cell.length).toBeLessThanOrEqual(maxCellLength)
    expect(cell.endsWith(truncationMarker)).toBe(true)
    expect(cell).not.toContain('\uFFFD')
  })

  test('an empty matrix still gives a workbook', async () => {
    const matrix: Matrix = { ...sampleMatrix(), rules: [], tests: [], findings: [], impact: null }
    const workbook = await open(await matrixToXlsx(matrix))
    expect(sheet(workbook, 'Rules').actualRowCount).toBe(1)
  })

  // `unzip -t` checks every entry's CRC and the central directory, which the pinned times rewrite.
  test.skipIf(!unzipAvailable)('passes `unzip -t` (skipped where unzip is not installed)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ferrule-xlsx-'))
    try {
      const file = join(folder, 'matrix.xlsx')
      writeFileSync(file, await matrixToXlsx(sampleMatrix()))
      const result = spawnSync('unzip', ['-t', file], { encoding: 'utf8' })
      expect(result.stdout).toContain('No errors detected')
      expect(result.status).toBe(0)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
