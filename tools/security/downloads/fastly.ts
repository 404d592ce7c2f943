import { wellFormedCrateNamePattern } from '../crate-name/index.ts'
import { calendarDay, utcDay } from './dates.ts'
import type { InPlaceRows, LineParser, LogFormat, ParsedLine } from './line-parser.ts'
import { cargoAgentPattern, type LogRequest, plainDownloadPattern } from './request.ts'
import type { Skip } from './skip-reasons.ts'

/**
 * Fastly's syslog lines as crates.io configures them (`dl.fastly`):
 * `<134>{timestamp} {host} {name}[pid]: {json}`, the JSON holding `version` `"1"`, `date_time`
 * (RFC 3339), `method`, `status` (a number), `url` and, optionally, `user_agent`.
 */
export const fastly: LogFormat = {
  name: 'fastly',
  firstByte: 0x3c, // `<`
  createParser() {
    const parser = ((line): ParsedLine => {
      if (line.length === 0) return { skip: 'blank' }
      const json = jsonStart(line)
      if (json < 0) return { skip: 'not-syslog' }
      let record: unknown
      try {
        record = JSON.parse(line.slice(json))
      } catch {
        return { skip: 'invalid-json' }
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) return { skip: 'invalid-json' }
      const { version, date_time: dateTime, method, status, url, user_agent: agent } = record as Record<string, unknown>
      const hasAgent = Object.hasOwn(record, 'user_agent')
      if (version !== '1') return { skip: 'unsupported-version', found: version === undefined ? 'no version' : JSON.stringify(version) }
      if (typeof dateTime !== 'string') return { skip: 'missing-field', found: 'date_time' }
      if (typeof method !== 'string') return { skip: 'missing-field', found: 'method' }
      if (typeof status !== 'number') return { skip: 'missing-field', found: 'status' }
      if (typeof url !== 'string') return { skip: 'missing-field', found: 'url' }
      if (hasAgent && typeof agent !== 'string') return { skip: 'missing-field', found: 'user_agent' }
      return toRequest(dateTime, method, status, url, hasAgent ? (agent as string) : undefined)
    }) as LineParser
    parser.rows = { ...rows, day: calendarDay() }
    return parser
  },
}

/** The request of a record of version "1" with these fields, or the skip for its date. */
function toRequest(dateTime: string, method: string, status: number, url: string, userAgent: string | undefined): LogRequest | Skip {
  const day = utcDay(dateTime)
  if (day === undefined) return { skip: 'invalid-date', found: dateTime }
  return { day, method, status, url, userAgent, decode: 1 }
}

// The rows in the layout Fastly writes crates.io's records: one line, no spaces, the keys in the
// order of the alphabet. JSON.parse took three times as long to read a download row as this pattern;
// a line in any other layout is read by JSON.parse (a key written twice, an escape, a space, a nested
// value), so the pattern need only match no line that JSON.parse and the judging read otherwise.
// The syslog header as `jsonStart` reads it:
const header = '<134>[^ \\r\\n]+ [^ \\r\\n]+ [^\\s[\\]]+\\[\\d+\\]: '
// The text of a string without escapes or control characters, which is its own value:
const plainText = '[^"\\\\\\u0000-\\u001f]*'
const plainString = `"${plainText}"`
// A number, whose text Number reads as JSON.parse does:
const number = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?'
// Any other key, with a value that is not an object or an array:
const otherPair = `"(?!(?:date_time|method|status|url|user_agent|version)")[a-z_]+":(?:${plainString}|${number}|null|true|false)`
const others = `(?:${otherPair},)*`
// An RFC 3339 time in UTC (`Z`), as `utcDay` reads one: group 1 its date, whose day is the UTC day
// when it is a real one; the time of day checked here.
const zuluTime = '(\\d{4}-\\d{2}-\\d{2})[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d+)?[Zz]'
// Either a download row: a time in UTC, `GET`, 200, a plain download path (group 2 the name), cargo's
// user agent or none, version "1". Or any other record of version "1" whose fields that the parser
// reads are of their types, as plain strings and a number (groups 5 to 9): its request.
const rows: Omit<InPlaceRows, 'day'> = {
  pattern: new RegExp(
    `${header}\\{(?:${others}"date_time":"${zuluTime}",${others}"method":"GET",${others}"status":200,${others}` +
      `"url":"${plainDownloadPattern(2, wellFormedCrateNamePattern)}",${others}(?:"user_agent":"${cargoAgentPattern}${plainText}",${others})?` +
      `|${others}"date_time":"(${plainText})",${others}"method":"(${plainText})",${others}"status":(${number}),${others}"url":"(${plainText})",${others}(?:"user_agent":"(${plainText})",${others})?)` +
      `"version":"1"(?:,${otherPair})*\\}\\r?\\n`,
    'y',
  ),
  groups: { day: 1, crate: 2, version: 3, otherVersion: 4 },
  request: (match) => toRequest(match[5]!, match[6]!, Number(match[7]), match[8]!, match[9]),
}

/**
 * Where the JSON starts in a syslog line, or -1 when the line is not
 * `<134>{timestamp} {host} {name}[pid]: ` followed by something: none of the three words may be
 * empty or hold a space, and the pid is decimal.
 */
function jsonStart(line: string): number {
  if (!line.startsWith('<134>')) return -1
  const afterTimestamp = line.indexOf(' ', 5)
  if (afterTimestamp <= 5) return -1
  const afterHost = line.indexOf(' ', afterTimestamp + 1)
  if (afterHost <= afterTimestamp + 1) return -1
  const colon = line.indexOf(': ', afterHost + 1)
  if (colon < 0) return -1
  const tag = line.slice(afterHost + 1, colon)
  return /^[^\s[\]]+\[\d+\]$/.test(tag) ? colon + 2 : -1
}
