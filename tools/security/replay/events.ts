import { canonicalCrateName, validateCrateName } from '../crate-name/index.ts'
import { ownerProblem } from '../typosquat/corpus-records.ts'

/** One historical publish (`replay.events`). */
export interface PublishEvent {
  /** The crate's name as published, and the version. */
  crate: string
  version: string
  /** When, in UTC as RFC 3339 (`2024-03-01T12:00:00Z`), and as milliseconds since the epoch. */
  time: string
  timeMs: number
  /** The crate's owners after the publish, `user:ID` or `team:ID`. */
  owners: string[]
  /** Who published: `user:ID`, or `trusted:NAME` for an automated publisher (trusted publishing). */
  publisher: string
  /** The `.crate` file, as the events file gives it (relative to the events file's folder). */
  path: string
  /** What the event is known to be, when labelled. */
  label: 'malicious' | 'benign' | undefined
  /** Where it was read: the file and its 1-based line. */
  file: string
  line: number
}

/** A line of the events file that is not an event (`sec.malformed`). */
export interface MalformedEvent {
  file: string
  line: number
  reason: string
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
const semver = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/
const publisherPattern = /^(?:user:[^\s:]+|trusted:\S+)$/

/** A time in RFC 3339 as milliseconds since the epoch, or undefined when it is not one. */
export function parseRfc3339(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined
  const match = rfc3339.exec(text)
  if (!match) return undefined
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[]
  const ms = Date.parse(text.replace(' ', 'T'))
  // Date.parse rolls 2024-02-30 over to March; a real date round-trips.
  const check = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!))
  if (Number.isNaN(ms) || check.getUTCDate() !== day || check.getUTCMonth() !== month! - 1 || hour! > 23 || minute! > 59 || second! > 60) return undefined
  return ms
}

/** Milliseconds since the epoch in UTC as RFC 3339, without fractions when there are none. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/**
 * Read publish events from JSON lines (`replay.events`): one object per line with `crate`,
 * `version`, `time`, `owners`, `publisher`, `path` and an optional `label`. Blank lines are skipped;
 * a line that is not such an object, or that publishes a version already published (same crate in
 * canonical form, same version), is malformed and reported with its line, and reading goes on.
 */
export function parsePublishEvents(text: string, file: string): { events: PublishEvent[]; malformed: MalformedEvent[] } {
  const events: PublishEvent[] = []
  const malformed: MalformedEvent[] = []
  const seen = new Map<string, number>()
  const lines = text.split('\n')
  lines.forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    const fail = (reason: string) => malformed.push({ file, line, reason })
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      return fail(`not JSON: ${(error as Error).message}`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object')
    const record = value as Record<string, unknown>
    if (typeof record.crate !== 'string') return fail('`crate` must be a string')
    const name = validateCrateName(record.crate)
    if (!name.ok) return fail(`\`crate\`: ${name.reason}`)
    if (typeof record.version !== 'string' || !semver.test(record.version)) return fail(`\`version\` must be a semantic version, found ${JSON.stringify(record.version)}`)
    const timeMs = parseRfc3339(record.time)
    if (timeMs === undefined) return fail(`\`time\` must be an RFC 3339 time such as 2024-03-01T12:00:00Z, found ${JSON.stringify(record.time)}`)
    if (!Array.isArray(record.owners) || record.owners.length === 0) return fail('`owners` must be a non-empty array of `user:ID` or `team:ID`')
    for (const owner of record.owners) {
      const problem = ownerProblem(owner)
      if (problem !== undefined) return fail(`\`owners\`: ${problem}`)
    }
    if (typeof record.publisher !== 'string' || !publisherPattern.test(record.publisher)) return fail(`\`publisher\` must be \`user:ID\` or \`trusted:NAME\`, found ${JSON.stringify(record.publisher)}`)
    if (typeof record.path !== 'string' || record.path === '') return fail('`path` must name the .crate file')
    if (record.label !== undefined && record.label !== 'malicious' && record.label !== 'benign') return fail(`\`label\` must be "malicious" or "benign", found ${JSON.stringify(record.label)}`)
    const key = `${canonicalCrateName(record.crate)} ${record.version}`
    const earlier = seen.get(key)
    if (earlier !== undefined) return fail(`${record.crate} ${record.version} was already published at line ${earlier}`)
    seen.set(key, line)
    events.push({
      crate: record.crate,
      version: record.version,
      time: formatUtc(timeMs),
      timeMs,
      owners: [...new Set(record.owners as string[])].sort(),
      publisher: record.publisher,
      path: record.path,
      label: record.label,
      file,
      line,
    })
  })
  return { events, malformed }
}

/** Events in replay order: by time, then by line, so that equal times keep the file's order. */
export function replayOrder(events: readonly PublishEvent[]): PublishEvent[] {
  return [...events].sort((a, b) => a.timeMs - b.timeMs || a.line - b.line)
}
