import type { RulesDiff } from './types.ts'

/** What a baseline says about one rule. */
export interface BaselineRule {
  id: string
  chapter: string
  fingerprint: string
}

/** A release to compare against: its rules and, when it was a matrix, its coverage. */
export interface Baseline {
  /** The file, as named on the command line. */
  name: string
  rules: Map<string, BaselineRule>
  /** `summary.overall.coverage` of a baseline `matrix.json`; `null` for a `rules.json`. */
  coverage: number | null
}

/**
 * Read a baseline: a `rules.json` (`{"rules": [...]}`) or a `matrix.json` (which also has `rules`,
 * with `formatVersion` and a summary). Throws an Error naming `name` when it is neither.
 */
export function readBaseline(text: string, name: string): Baseline {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new Error(`${name}: not JSON (${(error as Error).message}); expected a rules.json or a matrix.json`)
  }
  const value = data as { rules?: unknown; formatVersion?: unknown; summary?: { overall?: { coverage?: unknown } } }
  if (!value || !Array.isArray(value.rules)) throw new Error(`${name}: expected a rules.json or a matrix.json, with a \`rules\` list`)
  const rules = new Map<string, BaselineRule>()
  for (const [index, entry] of value.rules.entries()) {
    const rule = entry as Partial<BaselineRule>
    if (typeof rule?.id !== 'string' || typeof rule.chapter !== 'string' || typeof rule.fingerprint !== 'string') {
      throw new Error(`${name}: rule ${index + 1} lacks a string \`id\`, \`chapter\` or \`fingerprint\``)
    }
    rules.set(rule.id, { id: rule.id, chapter: rule.chapter, fingerprint: rule.fingerprint })
  }
  const coverage = value.formatVersion !== undefined && typeof value.summary?.overall?.coverage === 'number' ? value.summary.overall.coverage : null
  return { name, rules, coverage }
}

/** Rules added, removed and changed (fingerprint differs) from `before` to `after`, each sorted by ID. */
export function diffRules(before: ReadonlyMap<string, BaselineRule>, after: ReadonlyMap<string, BaselineRule>): RulesDiff {
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const added = [...after.keys()].filter((id) => !before.has(id)).sort(byId)
  const removed = [...before.values()].filter((rule) => !after.has(rule.id)).map(({ id, chapter }) => ({ id, chapter })).sort((a, b) => byId(a.id, b.id))
  const changed = [...after.values()].filter((rule) => before.has(rule.id) && before.get(rule.id)!.fingerprint !== rule.fingerprint).map((rule) => rule.id).sort(byId)
  return { added, removed, changed }
}

/** The diff as a changelog reader wants it: one line per rule, `+` added, `-` removed, `~` changed. */
export function rulesDiffToText(diff: RulesDiff): string {
  const lines = [
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`,
    ...diff.added.map((id) => `+ ${id}`),
    ...diff.removed.map((rule) => `- ${rule.id} (${rule.chapter})`),
    ...diff.changed.map((id) => `~ ${id}`),
  ]
  return lines.join('\n') + '\n'
}
