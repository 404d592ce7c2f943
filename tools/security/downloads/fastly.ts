import { utcDay } from './dates.ts'
import type { LogFormat, ParsedLine } from './line-parser.ts'

/**
 * Fastly's syslog lines as crates.io configures them (`dl.fastly`):
 * `<134>{timestamp} {host} {name}[pid]: {json}`, the JSON holding `version` `"1"`, `date_time`
 * (RFC 3339), `method`, `status` (a number), `url` and, optionally, `user_agent`.
 */
export const fastly: LogFormat = {
  name: 'fastly',
  firstByte: 0x3c, // `<`
  createParser() {
    return (line): ParsedLine => {
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
      const day = utcDay(dateTime)
      if (day === undefined) return { skip: 'invalid-date', found: dateTime }
      return { day, method, status, url, userAgent: hasAgent ? (agent as string) : undefined, decode: 1 }
    }
  },
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
