import { isCalendarDate } from './dates.ts'
import { directive, type LogFormat, type ParsedLine } from './line-parser.ts'
import type { Skip } from './skip-reasons.ts'

/** The columns the counter reads; `cs(User-Agent)` is optional. */
const required = ['date', 'cs-method', 'cs-uri-stem', 'sc-status'] as const

interface Columns {
  count: number
  date: number
  method: number
  stem: number
  status: number
  /** -1 when the fields line has no user agent. */
  agent: number
  /** The required fields the fields line lacks. */
  missing: string[]
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
    const days = new Map<string, boolean>()
    return (line): ParsedLine => {
      if (line.charCodeAt(0) === 0x23) {
        if (line.startsWith('#Version:')) {
          version = line.slice('#Version:'.length).trim()
          return version === '1.0' ? directive : { refuse: `\`#Version: ${version}\` is not supported, expected \`#Version: 1.0\`` }
        }
        if (line.startsWith('#Fields:')) {
          columns = toColumns(line.slice('#Fields:'.length).trim().split(/\s+/))
          return directive
        }
        return { skip: 'comment' }
      }
      if (line.length === 0) return blank
      if (version === undefined) return { refuse: 'a row comes before any `#Version:` line, so the format version is unknown' }
      if (columns === undefined) return noFields
      if (columns.missing.length > 0) return { skip: 'missing-field', found: columns.missing.join(', ') }
      const fields = line.split('\t')
      if (fields.length !== columns.count) return { skip: 'field-count', found: `${fields.length} fields, the #Fields: line has ${columns.count}` }
      const date = fields[columns.date]!
      let valid = days.get(date)
      if (valid === undefined) {
        valid = isCalendarDate(date)
        if (days.size < 1000) days.set(date, valid)
      }
      if (!valid) return { skip: 'invalid-date', found: date }
      return {
        day: date,
        method: fields[columns.method]!,
        status: fields[columns.status]!,
        url: fields[columns.stem]!,
        userAgent: columns.agent < 0 ? undefined : fields[columns.agent]!,
        decode: 2,
      }
    }
  },
}

function toColumns(names: string[]): Columns {
  const index = (name: string) => names.indexOf(name)
  return {
    count: names.length,
    date: index('date'),
    method: index('cs-method'),
    stem: index('cs-uri-stem'),
    status: index('sc-status'),
    agent: index('cs(User-Agent)'),
    missing: required.filter((name) => !names.includes(name)),
  }
}
