import { calendarDay } from './dates.ts'
import { directive, type DownloadRows, type LineParser, type LogFormat, type ParsedLine } from './line-parser.ts'
import { cargoAgentPattern, plainDownloadPattern } from './request.ts'
import type { Skip } from './skip-reasons.ts'

/** The columns the counter reads; `cs(User-Agent)` is optional. */
const required = ['date', 'cs-method', 'cs-uri-stem', 'sc-status'] as const

interface Columns {
  count: number
  /** The required fields the fields line lacks. */
  missing: string[]
  /**
   * A row of exactly `count` tab-separated fields, capturing the columns the counter reads: one
   * compiled pattern per `#Fields:` line, quicker than splitting some thirty fields per row.
   */
  row: RegExp
  /** The capture group of each column read (0 for a user agent the fields line lacks). */
  group: { date: number; method: number; stem: number; status: number; agent: number }
  /** The pattern of a download row with these columns and its groups (see `DownloadRows`). */
  downloads: Omit<DownloadRows, 'day'>
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
          parser.rows = version === '1.0' && columns.missing.length === 0 ? { ...columns.downloads, day } : undefined
          return directive
        }
        return { skip: 'comment' }
      }
      if (line.length === 0) return blank
      if (version === undefined) return { refuse: 'a row comes before any `#Version:` line, so the format version is unknown' }
      if (columns === undefined) return noFields
      if (columns.missing.length > 0) return { skip: 'missing-field', found: columns.missing.join(', ') }
      const match = columns.row.exec(line)
      if (match === null) return { skip: 'field-count', found: `${line.split('\t').length} fields, the #Fields: line has ${columns.count}` }
      const { group } = columns
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
    }) as LineParser
    return parser
  },
}

function toColumns(names: string[]): Columns {
  // A name listed twice is read from its first column.
  const wanted = { date: names.indexOf('date'), method: names.indexOf('cs-method'), stem: names.indexOf('cs-uri-stem'), status: names.indexOf('sc-status'), agent: names.indexOf('cs(User-Agent)') }
  const read = new Set(Object.values(wanted).filter((field) => field >= 0))
  const groupOfField = new Map<number, number>()
  const source = names.map((_, field) => {
    if (!read.has(field)) return '[^\\t]*'
    groupOfField.set(field, groupOfField.size + 1)
    return '([^\\t]*)'
  })
  const group = (field: number) => groupOfField.get(field) ?? 0
  // A download row: the same fields, of which the date looks like one, the method is `GET`, the
  // status `200`, the user agent (if any) cargo's and the path a plain download path. No field holds
  // a line break, so that no match runs into the next line.
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
      return plainDownloadPattern(downloadGroups.crate, '\\t\\r\\n')
    }
    return field
  })
  return {
    count: names.length,
    missing: required.filter((name) => !names.includes(name)),
    row: new RegExp(`^${source.join('\\t')}$`),
    group: { date: group(wanted.date), method: group(wanted.method), stem: group(wanted.stem), status: group(wanted.status), agent: group(wanted.agent) },
    downloads: { pattern: new RegExp(`${downloadSource.join('\\t')}\\r?\\n`, 'y'), groups: downloadGroups },
  }
}
