import type { SpecIndex } from './spec-index.ts'

/** One entry of `rules.json`. Keys are in sorted order, as written. */
export interface RulesJsonEntry {
  chapter: string
  fingerprint: string
  id: string
  kind: string
  line: number
  /** Rule IDs the rule's block links to; inside a threat, the rules that mitigate it. */
  links: string[]
  /** Owner team of the rule's chapter. */
  owner: string | null
  parent: string | null
  text: string
}

export interface RulesJson {
  rules: RulesJsonEntry[]
}

/** The rules inventory: every rule sorted by ID, keys sorted, no timestamps. */
export function indexToRulesJson(index: SpecIndex): RulesJson {
  return {
    rules: index.ids.map((id) => {
      const rule = index.rules.get(id)!
      return {
        chapter: rule.chapter,
        fingerprint: rule.fingerprint,
        id: rule.id,
        kind: rule.kind,
        line: rule.position.start.line,
        links: rule.links,
        owner: rule.owner ?? null,
        parent: rule.parent ?? null,
        text: rule.text,
      }
    }),
  }
}

/** `rules.json` as written: two-space indented, ending in a newline. */
export function rulesJsonToString(value: RulesJson): string {
  return JSON.stringify(value, null, 2) + '\n'
}
