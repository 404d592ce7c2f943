import { wellFormedCrateNamePattern } from '../crate-name/index.ts'
import { calendarDay } from './dates.ts'
import { directive, type InPlaceRows, type LineParser, type LogFormat, type ParsedLine } from './line-parser.ts'
import { cargoAgentPattern, type LogRequest, plainDownloadPattern } from './request.ts'
import type { Skip } from './skip-reasons.ts'

/** The columns the counter reads; `cs(User-Agent)` is optional. */
const required = ['date', 'cs-method', 'cs-uri-stem', 'sc-status'] as const

interface Columns {
  count: number
  /** The required fields the fields line lacks. */
  missing: string[]
  /**
   * A row of exactly `count` tab-separated fields, capturing the columns the counter reads: one
   * compiled pattern per `#Fields:` line, quicker than splitting some thirty fields per row. None
   * for more than `maxPatternColumns` columns: the row is split (`splitRow`).
   */
  row: RegExp | undefined
  /** The capture groups of `row`, or the fields of `splitRow` from 1. */
  group: Groups
  /** The pattern of a row with these columns read in place (see `InPlaceRows`), its groups, and those of a row that is not a download; none beside `row`. */
  inPlace: { pattern: RegExp; groups: InPlaceRows['groups']; record: Groups } | undefined
}

/**
 * The most columns read by a pattern. V8 refuses to compile a pattern of some 7,700 fields ("regular
 * expression too large"), and would throw at the first row; CloudFront writes 33.
 */
export const maxPatternColumns = 1024

/** A row of exactly `count` tab-separated fields as `row` would match it: the whole row, then each field; null for any other count. */
function splitRow(line: string, count: number): RegExpExecArray | null {
  const fields = line.split('\t')
  return fields.length === count ? (Object.assign([line, ...fields], { index: 0, input: line, groups: undefined }) as RegExpExecArray) : null
}

const blank: Skip = Object.freeze({ skip: 'blank' })
const noFields: Skip = Object.freeze({ skip: 'no-fields' })

/**
 * CloudFront's W3C extended log format (`dl.cloudfront`): `#Version: 1.0`, then `#Fields:` naming
 * the tab-separated columns of the rows after it, until the next `#Fields:`.
 */
export const cloudFront: LogFormat = {
  name: 'cloudfront',
  firstByte: 0x23, // `#`
  createParser() {
    let version: string | undefined
    let columns: Columns | undefined
    const day = calendarDay()
    const parser = ((line): ParsedLine => {
      if (line.charCodeAt(0) === 0x23) {
        if (line.startsWith('#Version:')) {
          version = line.slice('#Version:'.length).trim()
          return version === '1.0' ? directive : { refuse: `\`#Version: ${version}\` is not supported, expected \`#Version: 1.0\`` }
        }
        if (line.startsWith('#Fields:')) {
          columns = toColumns(line.slice('#Fields:'.length).trim().split(/\s+/))
          if (version === '1.0' && columns.missing.length === 0 && columns.inPlace !== undefined) {
            const { pattern, groups, record } = columns.inPlace
            parser.rows = { pattern, groups, day, request: (match) => toRequest(match, record, day) }
          } else {
            parser.rows = undefined
          }
          return directive
        }
        return { skip: 'comment' }
      }
      if (line.length === 0) return blank
      if (version === undefined) return { refuse: 'a row comes before any `#Version:` line, so the format version is unknown' }
      if (columns === undefined) return noFields
      if (columns.missing.length > 0) return { skip: 'missing-field', found: columns.missing.join(', ') }
      const match = columns.row === undefined ? splitRow(line, columns.count) : columns.row.exec(line)
      if (match === null) return { skip: 'field-count', found: `${line.split('\t').length} fields, the #Fields: line has ${columns.count}` }
      return toRequest(match, columns.group, day)
    }) as LineParser
    return parser
  },
}

/** The capture group of each column read (0 for a user agent the fields line lacks). */
interface Groups {
  date: number
  method: number
  stem: number
  status: number
  agent: number
}

/** The request of a row that `match` read with these groups, or the skip for its date. */
function toRequest(match: RegExpExecArray, group: Groups, day: (text: string) => string | undefined): LogRequest | Skip {
  const date = match[group.date]!
  if (day(date) === undefined) return { skip: 'invalid-date', found: date }
  return {
    day: date,
    method: match[group.method]!,
    status: match[group.status]!,
    url: match[group.stem]!,
    userAgent: group.agent === 0 ? undefined : match[group.agent]!,
    decode: 2,
  }
}

function toColumns(names: string[]): Columns {
  // A name listed twice is read from its first column.
  const wanted = { date: names.indexOf('date'), method: names.indexOf('cs-method'), stem: names.indexOf('cs-uri-stem'), status: names.indexOf('sc-status'), agent: names.indexOf('cs(User-Agent)') }
  const missing = required.filter((name) => !names.includes(name))
  if (names.length > maxPatternColumns) {
    const field = (index: number) => (index < 0 ? 0 : index + 1)
    return {
      count: names.length,
      missing,
      row: undefined,
      group: { date: field(wanted.date), method: field(wanted.method), stem: field(wanted.stem), status: field(wanted.status), agent: field(wanted.agent) },
      inPlace: undefined,
    }
  }
  const read = new Set(Object.values(wanted).filter((field) => field >= 0))
  // The fields, each `field` or, for a column read, `captured`, from group `first` on; and the groups.
  const fields = (field: string, captured: string, first: number) => {
    const groupOfField = new Map<number, number>()
    const source = names.map((_, index) => {
      if (!read.has(index)) return field
      groupOfField.set(index, first + groupOfField.size)
      return captured
    })
    const group = (index: number) => groupOfField.get(index) ?? 0
    return { source: source.join('\\t'), groups: { date: group(wanted.date), method: group(wanted.method), stem: group(wanted.stem), status: group(wanted.status), agent: group(wanted.agent) } }
  }
  const row = fields('[^\\t]*', '([^\\t]*)', 1)
  // Read in place, no field holds a line break, so that no match runs into the next line. A download
  // row: the same fields, of which the date looks like one, the method is `GET`, the status `200`,
  // the user agent (if any) cargo's and the path a plain download path. Any other row: its fields
  // captured as `row` captures them. Neither is a line that starts with `#`, which is no row.
  const field = '[^\\t\\r\\n]*'
  const downloadGroups = { day: 0, crate: 0, version: 0, otherVersion: 0 }
  let groups = 0
  const downloadSource = names.map((_, index) => {
    if (index === wanted.date) {
      downloadGroups.day = ++groups
      return '(\\d{4}-\\d{2}-\\d{2})'
    }
    if (index === wanted.method) return 'GET'
    if (index === wanted.status) return '200'
    if (index === wanted.agent) return `${cargoAgentPattern}${field}`
    if (index === wanted.stem) {
      Object.assign(downloadGroups, { crate: groups + 1, version: groups + 2, otherVersion: groups + 3 })
      groups += 3
      return plainDownloadPattern(downloadGroups.crate, wellFormedCrateNamePattern)
    }
    return field
  })
  const record = fields(field, `(${field})`, groups + 1)
  return {
    count: names.length,
    missing,
    row: new RegExp(`^${row.source}$`),
    group: row.groups,
    inPlace: { pattern: new RegExp(`(?!#)(?:${downloadSource.join('\\t')}|${record.source})\\r?\\n`, 'y'), groups: downloadGroups, record: record.groups },
  }
}
