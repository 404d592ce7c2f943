import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml'
import { nearest } from '../nearest.ts'
import type { Finding, Waiver } from './types.ts'

const keys = ['rule', 'reason', 'reviewer', 'date'] as const

/**
 * The waivers of `waivers.yaml`: a YAML list of `{rule, reason, reviewer, date}`, one per rule that
 * is verified by review instead of by a test. `ruleIds` are the rules of the spec.
 *
 * Every problem is an error finding at the line of its entry (a YAML syntax error: at its own
 * line): an entry that is not a mapping, a missing `rule`, `reason` or `reviewer`, a rule the spec
 * does not have, a `date` that is not `YYYY-MM-DD`, a second waiver for a rule. An entry with a
 * problem is left out of `waivers`; a file with a syntax error gives no waivers at all.
 */
export function parseWaivers(
  text: string,
  file: string,
  ruleIds: ReadonlySet<string>,
): { waivers: Map<string, Waiver & { line: number; file: string }>; findings: Finding[] } {
  const waivers = new Map<string, Waiver & { line: number; file: string }>()
  const findings: Finding[] = []
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line)
  const report = (line: number, message: string, ruleId: string | null = null, rule = 'ferrule:waiver') =>
    findings.push({ rule, severity: 'error', file, line, message, ruleId, testId: null })

  if (document.errors.length > 0) {
    for (const error of document.errors) report(lineAt(error.pos[0]), `Invalid YAML: ${error.message}`)
    return { waivers, findings }
  }
  const contents = document.contents
  if (contents === null || (isScalar(contents) && contents.value === null)) return { waivers, findings }
  if (!isSeq(contents)) {
    report(lineAt(contents.range?.[0]), `Expected a list of waivers (\`- rule: ID\` with \`reason\`, \`reviewer\` and \`date\`), found ${kindOf(contents)}`)
    return { waivers, findings }
  }

  const firstLines = new Map<string, number>()
  for (const entry of contents.items) {
    const line = lineAt((entry as { range?: [number, number, number] } | null)?.range?.[0] ?? contents.range?.[0])
    if (!isMap(entry)) {
      report(line, `Expected a waiver, a mapping with \`rule\`, \`reason\`, \`reviewer\` and \`date\`; found ${kindOf(entry)}`)
      continue
    }
    const errorsBefore = findings.length
    const others = entry.items
      .map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''))
      .filter((key) => key !== '' && !(keys as readonly string[]).includes(key))
    const typo = (key: string) => {
      const [near] = nearest(key, others, 1)
      return near === undefined ? '' : ` (found \`${near}\`: a typo?)`
    }

    const rule = textOf(entry, 'rule')
    if (rule === undefined) {
      report(line, `Waiver without a \`rule\`${typo('rule')}; expected the ID of the rule it waives`)
    } else {
      const first = firstLines.get(rule)
      if (first !== undefined) {
        report(line, `Second waiver for rule \`${rule}\` (the first is at line ${first}); expected one waiver per rule`, rule)
      } else {
        firstLines.set(rule, line)
        if (!ruleIds.has(rule)) {
          const near = nearest(rule, ruleIds)
          const expected = near.length > 0 ? `expected one of ${near.map((id) => `\`${id}\``).join(', ')}` : 'expected the ID of a rule of the spec'
          report(line, `Waiver for unknown rule \`${rule}\`, ${expected}`, rule, 'ferrule:unknown-rule-in-waiver')
        }
      }
    }
    const subject = rule === undefined ? 'Waiver' : `Waiver for \`${rule}\``
    const reason = textOf(entry, 'reason')
    if (reason === undefined) {
      report(line, `${subject} has no \`reason\`${typo('reason')}; expected why the rule is verified by review instead of by a test`, rule ?? null, 'ferrule:waiver-without-reason')
    }
    const reviewer = textOf(entry, 'reviewer')
    if (reviewer === undefined) report(line, `${subject} has no \`reviewer\`${typo('reviewer')}; expected who reviewed it`, rule ?? null)
    const date = textOf(entry, 'date')
    if (date === undefined) report(line, `${subject} has no \`date\`${typo('date')}; expected the day of the review as \`YYYY-MM-DD\``, rule ?? null)
    else if (!isIsoDate(date)) report(line, `${subject} has the date \`${date}\`; expected a day as \`YYYY-MM-DD\``, rule ?? null)

    if (findings.length === errorsBefore && rule !== undefined && reason !== undefined && reviewer !== undefined && date !== undefined) {
      waivers.set(rule, { reason, reviewer, date, line, file })
    }
  }
  return { waivers, findings }
}

/** The trimmed text of a field; `undefined` when it is missing, empty, or not a single value. */
function textOf(entry: YAMLMap, key: string): string | undefined {
  const node = entry.get(key, true)
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined
  // A `%YAML 1.1` file reads an unquoted date as a timestamp.
  const value = node.value instanceof Date ? node.value.toISOString().slice(0, 10) : String(node.value).trim()
  return value === '' ? undefined : value
}

function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function kindOf(node: unknown): string {
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (isScalar(node)) return node.value === null ? 'an empty entry' : `\`${String(node.value)}\``
  return 'an alias'
}
