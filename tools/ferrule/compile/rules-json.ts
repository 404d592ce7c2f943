import { createHash } from 'node:crypto'
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

/** A file the inventory was made from, as its text stood then. */
export interface RulesJsonSource {
  /** Relative to the book's root, `/`-separated: `SUMMARY.md`, a chapter. */
  file: string
  /** SHA-256 of the file's text, in UTF-8. */
  sha256: string
}

export interface RulesJson {
  rules: RulesJsonEntry[]
  /**
   * The book's files the rules were read from (sorted), so that a matrix made from this inventory
   * can tell that a chapter changed since (`ferrule build` writes them; older inventories lack them).
   */
  sources?: RulesJsonSource[]
}

/** The rules inventory: every rule sorted by ID, keys sorted, no timestamps; `sources` when given. */
export function indexToRulesJson(index: SpecIndex, sources?: readonly RulesJsonSource[]): RulesJson {
  const inventory = {
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
  return sources === undefined ? inventory : { ...inventory, sources: [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) }
}

/** SHA-256 of `text` in UTF-8, as `RulesJsonSource.sha256` holds it. */
export function sourceDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** `rules.json` as written: two-space indented, ending in a newline. */
export function rulesJsonToString(value: RulesJson): string {
  return JSON.stringify(value, null, 2) + '\n'
}
