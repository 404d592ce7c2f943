import { Writable } from 'node:stream'
import type ExcelJS from 'exceljs'
// The streaming writer alone, which `ExcelJS.stream.xlsx.WorkbookWriter` is: the package's index
// also loads its readers and their unzip library, which took a third of the time to load it.
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js'
import type { Matrix, MatrixRow, Tally, Verdict } from '../types.ts'
import { verdicts } from '../types.ts'
import { unlinkedTests } from '../unlinked.ts'

/** Options of `matrixToXlsx`. */
export interface Options {
  /**
   * The date stamped into the workbook's properties and its zip entries. Default: `SOURCE_DATE_EPOCH`
   * (seconds) when set, else 1970-01-01T00:00:00Z, so that the same matrix gives the same bytes.
   */
  date?: Date
}

/** Excel refuses a cell longer than this (UTF-16 code units) and asks to repair the file. */
export const maxCellLength = 32_767

/** Ends a cell that was cut to `maxCellLength`. */
export const truncationMarker = '… [truncated]'

/** Columns of the Rules sheet, in order; the header row shows these titles. */
export const ruleColumns = [
  'ID', 'Chapter', 'Line', 'Owner', 'Kind', 'Summary', 'Verdict', 'Change', 'Tests', 'Passed', 'Failed', 'Skipped', 'Suspect',
  'Waiver reason', 'Waiver reviewer', 'Waiver date', 'Mitigated by', 'Fingerprint', 'Link',
] as const

/** Columns of the Tests sheet: one row per link between a rule and a test, then one per test linked to no rule. */
export const testColumns = ['Rule', 'Test ID', 'Title', 'File', 'Line', 'Status', 'Via', 'Suspect'] as const

/** Columns of the Findings sheet. */
export const findingColumns = ['Finding', 'Severity', 'File', 'Line', 'Message', 'Rule', 'Test'] as const

// Light fills in the spirit of Excel's own "good / bad / neutral" cell styles, so text stays readable.
const verdictFill: Record<Verdict, string> = {
  verified: 'FFC6EFCE',
  failing: 'FFFFC7CE',
  untested: 'FFFFEB9C',
  uncovered: 'FFD9D9D9',
  waived: 'FFDDEBF7',
  mitigated: 'FFC6EFCE',
  unmitigated: 'FFFFC7CE',
}

const ruleWidths = [28, 24, 7, 16, 13, 60, 12, 10, 7, 8, 8, 8, 8, 40, 18, 12, 28, 18, 40]
const testWidths = [28, 36, 50, 30, 7, 9, 10, 9]
const findingWidths = [32, 9, 30, 7, 70, 28, 36]

type Value = string | number | boolean | null | { text: string; hyperlink: string }

/** What `typeof` says of a `Value`, with `null` for null: a cell's style depends on it. */
const valueTypes = ['string', 'number', 'boolean', 'object', 'null']

/**
 * `matrix.xlsx`: the matrix as a workbook for reviewers who filter and sort. Sheets: **Summary**
 * (overall tally, per chapter, per owner, impact of the changes since the baseline), **Rules** (one
 * row per rule, verdicts coloured), **Tests** (one row per rule–test link, then one per test linked
 * to no rule, its Rule, Via and Suspect empty) and **Findings**. Rules,
 * Tests and Findings have a frozen, filterable header row.
 *
 * The same matrix gives the same bytes: the workbook's dates and the zip entries' times are pinned
 * to `options.date`.
 */
export async function matrixToXlsx(matrix: Matrix, options?: Options): Promise<Uint8Array> {
  const date = options?.date ?? sourceDate()
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk)
      done()
    },
  })
  // The streaming writer turns each row into XML as it is committed and lets it go; the in-memory
  // workbook kept every cell of a large matrix (1.5 GB at 10,000 rules) and zipped in JavaScript.
  // Level 1 deflate saves about a second at that size, for a file a fifth larger (6 MB, not 5).
  // Strings are written in their cells, not in a shared table: a fifth faster at that size (the table
  // looks every string up), for a file 8 % larger; Excel and exceljs read both.
  const workbook = new WorkbookWriter({ stream, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } })
  workbook.creator = 'Ferrule'
  workbook.lastModifiedBy = 'Ferrule'
  workbook.title = clip(matrix.title)
  workbook.created = date
  workbook.modified = date
  const summary = workbook.addWorksheet('Summary')
  addSummary(summary, matrix)
  summary.commit()
  const styles = styleCache()
  const verdictColumn = ruleColumns.indexOf('Verdict')
  table(workbook, 'Rules', styles, ruleColumns, ruleWidths, matrix.rules.map(ruleValues), 'Summary', (row, column) =>
    column === verdictColumn ? matrix.rules[row]!.verdict : null,
  )
  const links = matrix.rules.flatMap((rule) =>
    rule.tests.map((test): Value[] => [rule.id, test.id, test.title, test.file, test.line, test.status, test.via, test.suspect]),
  )
  for (const test of unlinkedTests(matrix)) links.push([null, test.id, test.title, test.file, test.line, test.status, null, null])
  table(workbook, 'Tests', styles, testColumns, testWidths, links, 'Title')
  const findings = matrix.findings.map((finding): Value[] => [
    finding.rule, finding.severity, finding.file, finding.line, finding.message, finding.ruleId, finding.testId,
  ])
  table(workbook, 'Findings', styles, findingColumns, findingWidths, findings, 'Message')
  await workbook.commit()
  return pinZipTimes(new Uint8Array(Buffer.concat(chunks)), date)
}

function ruleValues(rule: MatrixRow): Value[] {
  const count = (status: string) => rule.tests.filter((test) => test.status === status).length
  return [
    rule.id, rule.chapter, rule.line, rule.owner, rule.kind, rule.summary, rule.verdict, rule.change,
    rule.tests.length, count('passed'), count('failed'), count('skipped'), rule.tests.filter((test) => test.suspect).length,
    rule.waiver?.reason ?? null, rule.waiver?.reviewer ?? null, rule.waiver?.date ?? null,
    rule.mitigatedBy.length > 0 ? rule.mitigatedBy.join(', ') : null, rule.fingerprint,
    { text: rule.href, hyperlink: rule.href },
  ]
}

/**
 * Writes the sheet `name`: a header row and `rows`, the header frozen and with filter buttons;
 * `partOf` tells which cells stand out. Each row is committed as soon as it is written, so that the
 * streaming workbook lets it go, and the sheet is finished before the next one is begun: the zip
 * takes sheets one after another, and the rows of a later one would wait in memory.
 */
function table(
  workbook: ExcelJS.Workbook,
  name: string,
  styles: Styles,
  header: readonly string[],
  widths: readonly number[],
  rows: Value[][],
  wrap: string,
  partOf: (row: number, column: number) => StyleName | null = () => null,
): void {
  // The one column of prose wraps, so that a line break in it shows and the row stays readable.
  const wrapColumn = header.indexOf(wrap)
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] })
  sheet.columns = header.map((title, index) => ({ header: title, width: widths[index] ?? 12, ...(index === wrapColumn ? { style: styles(null, true, 'column') } : {}) }))
  const cellStyle = (part: StyleName | null, column: number, value: Value) => styles(part, column === wrapColumn, value === null ? 'null' : typeof value)
  const head = sheet.getRow(1)
  setRowStyle(head, styles('header', false, 'row'))
  header.forEach((title, column) => (head.getCell(column + 1).style = cellStyle('header', column, title)))
  const plainRow = styles(null, false, 'row')
  // The plain style of each column, by value type, looked up once rather than for each of a large
  // matrix's 700,000 cells: making their keys took a tenth of the export.
  const plain = header.map((_, column) => new Map<string, Partial<ExcelJS.Style>>(valueTypes.map((type) => [type, styles(null, column === wrapColumn, type)])))
  rows.forEach((values, index) => {
    const row = sheet.addRow(values.map(cellValue))
    setRowStyle(row, plainRow)
    for (let column = 0; column < values.length; column++) {
      const value = values[column]!
      const part = partOf(index, column)
      row.getCell(column + 1).style = part === null ? plain[column]!.get(value === null ? 'null' : typeof value)! : cellStyle(part, column, value)
    }
    row.commit()
  })
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: header.length } }
  sheet.commit()
}

/** What sets a table cell apart besides wrapping: bold for the header, a verdict's colour. */
type StyleName = 'header' | Verdict

/** Gives the one style object for this part, wrapped or not, and this kind of value. */
type Styles = (part: StyleName | null, wrap: boolean, type: string) => Partial<ExcelJS.Style>

/**
 * exceljs looks a cell's style up by object identity and otherwise renders its XML anew, and it
 * gives every cell a fresh style object: on a large matrix that rendering took most of the write.
 * So every table cell gets one of a few shared style objects, which nothing mutates afterwards. They
 * are keyed by value type too, because exceljs gives a number the number format "General" that it
 * leaves off text and caches its first answer per object.
 */
function styleCache(): Styles {
  const cache = new Map<string, Partial<ExcelJS.Style>>()
  return (part, wrap, type) => {
    const key = `${part}/${wrap}/${type}`
    let style = cache.get(key)
    if (!style) {
      style = {}
      if (part === 'header') style.font = { bold: true }
      else if (part !== null) style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: verdictFill[part] } }
      if (wrap) style.alignment = { wrapText: true, vertical: 'top' }
      cache.set(key, style)
    }
    return style
  }
}

/** exceljs' types leave out a row's own style, which it reads like a cell's. */
function setRowStyle(row: ExcelJS.Row, style: Partial<ExcelJS.Style>): void {
  ;(row as unknown as { style: Partial<ExcelJS.Style> }).style = style
}

function addSummary(sheet: ExcelJS.Worksheet, matrix: Matrix): void {
  sheet.columns = [{ width: 32 }, ...verdicts.map(() => ({ width: 12 })), { width: 12 }, { width: 12 }]
  const heading = (text: string) => {
    sheet.addRow([])
    sheet.addRow([clip(text)]).font = { bold: true, size: 12 }
  }
  sheet.addRow([clip(matrix.title)]).font = { bold: true, size: 14 }

  heading('Overall')
  headerRow(sheet, ['Verdict', 'Rules', 'Percent'])
  const { overall } = matrix.summary
  for (const verdict of verdicts) {
    const row = sheet.addRow([verdict, overall.counts[verdict], fraction(overall.percent[verdict])])
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: verdictFill[verdict] } }
    row.getCell(3).numFmt = '0.00%'
  }
  sheet.addRow(['All rules', overall.rules]).font = { bold: true }
  percentRow(sheet, 'Coverage', overall.coverage)

  tallies(sheet, 'Chapter', matrix.summary.byChapter, heading)
  tallies(sheet, 'Owner', matrix.summary.byOwner, heading)

  const impact = matrix.impact
  if (!impact) return
  heading(`Changes since ${impact.baseline}`)
  const list = (ids: string[]) => clip(ids.join(', '))
  sheet.addRow(['Rules added', impact.added.length, list(impact.added)])
  sheet.addRow(['Rules removed', impact.removed.length, list(impact.removed.map((rule) => `${rule.id} (${rule.chapter})`))])
  sheet.addRow(['Rules changed', impact.changed.length, list(impact.changed)])
  sheet.addRow(['Suspect links', impact.suspectLinks])
  percentRow(sheet, 'Coverage before', impact.coverageBefore)
  percentRow(sheet, 'Coverage after', impact.coverageAfter)
}

/** A table of tallies, one row per chapter or owner, sorted, with a count per verdict. */
function tallies(sheet: ExcelJS.Worksheet, what: string, byKey: Record<string, Tally>, heading: (text: string) => void): void {
  heading(`By ${what.toLowerCase()}`)
  headerRow(sheet, [what, ...verdicts, 'Rules', 'Coverage'])
  for (const key of Object.keys(byKey).sort()) {
    const tally = byKey[key]!
    const row = sheet.addRow([clip(key), ...verdicts.map((verdict) => tally.counts[verdict]), tally.rules, fraction(tally.coverage)])
    row.getCell(verdicts.length + 3).numFmt = '0.00%'
  }
}

/** A bold row whose titles over numbers sit right, above them. */
function headerRow(sheet: ExcelJS.Worksheet, titles: string[]): void {
  const row = sheet.addRow(titles)
  row.font = { bold: true }
  for (let column = 2; column <= titles.length; column++) row.getCell(column).alignment = { horizontal: 'right' }
}

function percentRow(sheet: ExcelJS.Worksheet, label: string, percent: number): void {
  const row = sheet.addRow([label, fraction(percent)])
  row.getCell(2).numFmt = '0.00%'
  row.font = { bold: true }
}

/**
 * A percentage of the matrix (two decimals) as the fraction a cell of format `0.00%` holds, with as
 * few digits: 83.33 is 0.8333, where dividing by 100 leaves 0.8332999999999999 in a reader's cell.
 */
function fraction(percent: number): number {
  return Math.round(percent * 100) / 10000
}

function cellValue(value: Value): ExcelJS.CellValue {
  if (value === null) return null
  if (typeof value === 'string') return clip(value)
  if (typeof value === 'object') return { text: clip(value.text), hyperlink: clip(value.hyperlink) }
  return value
}

/** `text`, cut so that Excel accepts it, with a marker saying so. */
export function clip(text: string): string {
  if (text.length <= maxCellLength) return text
  let end = maxCellLength - truncationMarker.length
  // Never leave half of a surrogate pair behind: it would become U+FFFD.
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return text.slice(0, end) + truncationMarker
}

/** `SOURCE_DATE_EPOCH` (the reproducible-builds convention) when it is a number of seconds, else 1970. */
function sourceDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH
  const seconds = epoch !== undefined && /^\d+$/.test(epoch.trim()) ? Number(epoch.trim()) : 0
  return new Date(seconds * 1000)
}

/**
 * Sets the time of every entry of a zip to `date`. exceljs' streaming writer zips with archiver and
 * gives it no date, so each entry gets the time of the write; no option of exceljs reaches that. The times sit in
 * fixed fields of the local and central headers, outside the checksums, so they are rewritten in
 * place: no re-compression and no zip library besides the one exceljs brings.
 */
export function pinZipTimes(zip: Uint8Array, date: Date): Uint8Array {
  const out = zip.slice()
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  // MS-DOS times start in 1980 and are read as local time by most tools; the fields get `date` in UTC.
  const year = date.getUTCFullYear()
  const [time, day] =
    year < 1980
      ? [0, (1 << 5) | 1]
      : [
          (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
          ((Math.min(year, 2107) - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
        ]
  let end = -1
  for (let at = out.length - 22; at >= Math.max(0, out.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at
      break
    }
  }
  if (end < 0) throw new Error('Bug in Ferrule: the workbook written by exceljs has no zip end record')
  const entries = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  for (let index = 0; index < entries; index++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error(`Bug in Ferrule: no central zip header at byte ${at} of the workbook`)
    const local = view.getUint32(at + 42, true)
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error(`Bug in Ferrule: no local zip header at byte ${local} of the workbook`)
    view.setUint16(at + 12, time, true)
    view.setUint16(at + 14, day, true)
    view.setUint16(local + 10, time, true)
    view.setUint16(local + 12, day, true)
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return out
}
