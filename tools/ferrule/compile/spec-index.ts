import { createHash } from 'node:crypto'
import type { Position } from 'unist'
import { VFileMessage } from 'vfile-message'
import { kindOfRule, type ResolvedConfig } from '../config.ts'
import { report, source, where } from '../diagnostics.ts'
import { normalizeWhitespace } from '../syntax/plain-text.ts'
import { productionId, productionKind, productionPrefix, ruleAnchor, type ProductionFact } from '../syntax/types.ts'
import type { ParsedChapter } from './types.ts'

export const duplicateRule = 'duplicate-rule'
export const duplicateProduction = 'duplicate-production'
export const unreachableProduction = 'unreachable-production'

/** A rule as the whole spec knows it. */
export interface IndexedRule {
  id: string
  /** Chapter file, relative to the root. */
  chapter: string
  position: Position
  /** The nearest rule whose ID this one extends, if any. */
  parent: string | undefined
  kind: string
  /** Plain text, white space normalised. */
  text: string
  /** SHA-256 (hex) of `text`. */
  fingerprint: string
  /** Rule IDs the rule's own block links to, sorted: for a threat, the rules that mitigate it. */
  links: string[]
  /** The owner team of its chapter (front matter), if named. */
  owner: string | undefined
  /** The heading it stands under, if any. */
  section: string | undefined
  /** The word its text defines (its first emphasis), if any: for a term, the glossary's entry. */
  defines: string | undefined
}

export interface SpecIndex {
  /** Every rule by ID; of duplicates, the first in reading order. */
  rules: Map<string, IndexedRule>
  /** Rule IDs, sorted. */
  ids: string[]
  /** Anchors of each chapter (heading IDs, rule anchors, raw HTML IDs), by chapter path. */
  anchors: Map<string, ReadonlySet<string>>
  /** Page of each chapter in the site, by chapter path. */
  pages: Map<string, string>
  /** Chapter of each page, by page path. */
  chapters: Map<string, string>
  /** The rules whose own text links to each rule, sorted, by the rule linked to. */
  referencedBy: Map<string, string[]>
  /** Every grammar production by name, in reading order; of duplicates, the first. */
  productions: Map<string, IndexedProduction>
  /**
   * The rule ID of each production by the lower-cased labels that prose links to it with (`name`,
   * `grammar.name`), as micromark compares labels; a rule of the same ID wins.
   */
  productionLabels: Map<string, string>
}

/** A grammar production as the whole spec knows it; it is also in `rules`, as `grammar.Name`. */
export interface IndexedProduction extends ProductionFact {
  /** Its rule ID, `grammar.Name`. */
  id: string
  /** Chapter file, relative to the root. */
  chapter: string
}

/** SHA-256 of a rule's white-space-normalised text: what tells a changed rule from an unchanged one. */
export function fingerprintOf(text: string): string {
  return createHash('sha256').update(normalizeWhitespace(text)).digest('hex')
}

/**
 * Merge the facts of every chapter into one index, reporting each duplicate rule ID at both places.
 * `chapters` are in reading order.
 */
export function factsToIndex(config: Pick<ResolvedConfig, 'kinds'> & { grammarRoots?: readonly string[] }, chapters: readonly ParsedChapter[]): SpecIndex {
  const rules = new Map<string, IndexedRule>()
  const firstPlace = new Map<string, ParsedChapter>()
  const anchors = new Map<string, ReadonlySet<string>>()
  const pages = new Map<string, string>()
  const pageToChapter = new Map<string, string>()

  for (const chapter of chapters) {
    pages.set(chapter.path, chapter.page)
    pageToChapter.set(chapter.page, chapter.path)
    const { rules: chapterRules, anchors: chapterAnchors } = rulesOfChapter(config, chapter)
    for (const rule of chapterRules) {
      const first = rules.get(rule.id)
      if (first) {
        const places = [{ chapter: firstPlace.get(rule.id)!, place: first.position }, { chapter, place: rule.position }] as const
        const bothProductions = first.kind === productionKind && rule.kind === productionKind
        reportDuplicate((bothProductions ? duplicateProductionName : duplicateRuleId)(...places, rule.id))
        continue
      }
      firstPlace.set(rule.id, chapter)
      rules.set(rule.id, { ...rule })
    }
    anchors.set(chapter.path, chapterAnchors)
  }

  const { productions, productionLabels } = indexProductions(config, chapters, rules)
  const referencedBy = new Map<string, string[]>()
  for (const rule of rules.values()) {
    rule.parent = parentOf(rules, rule.id)
    // A rule's links are labels as written, resolved as the link phase resolves them.
    if (rule.links.some((id) => !rules.has(id))) {
      const index = { rules, productions, productionLabels }
      rule.links = [...new Set(rule.links.map((label) => linkedRuleId(index, label) ?? label.toLowerCase()))].sort()
    }
    for (const target of rule.links) {
      const from = referencedBy.get(target)
      if (from) from.push(rule.id)
      else referencedBy.set(target, [rule.id])
    }
  }
  for (const from of referencedBy.values()) from.sort()
  const ids = [...rules.keys()].sort()
  return { rules, ids, anchors, pages, chapters: pageToChapter, referencedBy, productions, productionLabels }
}

/** What `factsToIndexCached` keeps of the last index it made, to update it for the next compile. */
export interface IndexMemo {
  /** The configuration that the index depends on (kinds, grammar roots), as JSON. */
  settings: string
  chapters: Array<{ path: string; page: string; facts: unknown; productions: unknown; rules: readonly IndexedRule[] }>
  index: SpecIndex
  /** Whether making it reported nothing (no duplicate, no unreachable production). */
  clean: boolean
}

/**
 * `factsToIndex`, updated from the last index of the same book (`memo`) when that is sure to give the
 * same index: the chapters are those of then, in the same order; those whose facts changed define
 * the same rules (IDs, kinds and links as written, no productions); and the last index reported
 * nothing. Then only the changed chapters' rules are new (their text, place, fingerprint, section),
 * and the 3,000 rules of a large book are not merged again for an edit of one. Otherwise, or without
 * `memo`, the index is made afresh. Returns the index and the memo for the next compile.
 */
export function factsToIndexCached(
  config: Pick<ResolvedConfig, 'kinds'> & { grammarRoots?: readonly string[] },
  chapters: readonly ParsedChapter[],
  memo: IndexMemo | undefined,
): { index: SpecIndex; memo: IndexMemo } {
  const entries = chapters.map((chapter) => ({
    path: chapter.path,
    page: chapter.page,
    facts: chapter.file.data.rules,
    productions: chapter.file.data.productions,
    rules: rulesOfChapter(config, chapter).rules,
  }))
  const updated = memo && updateIndex(config, chapters, entries, memo)
  if (updated) return { index: updated, memo: { ...memo, chapters: entries, index: updated } }
  const messages = () => chapters.reduce((count, chapter) => count + chapter.file.messages.length, 0)
  const before = messages()
  const index = factsToIndex(config, chapters)
  return { index, memo: { settings: settingsOf(config), chapters: entries, index, clean: messages() === before } }
}

function settingsOf(config: Pick<ResolvedConfig, 'kinds'> & { grammarRoots?: readonly string[] }): string {
  return JSON.stringify([config.kinds, config.grammarRoots ?? null])
}

function updateIndex(config: Pick<ResolvedConfig, 'kinds'> & { grammarRoots?: readonly string[] }, chapters: readonly ParsedChapter[], entries: IndexMemo['chapters'], memo: IndexMemo): SpecIndex | undefined {
  if (!memo.clean || memo.settings !== settingsOf(config) || entries.length !== memo.chapters.length) return undefined
  const changed: number[] = []
  for (const [at, entry] of entries.entries()) {
    const last = memo.chapters[at]!
    if (entry.path !== last.path || entry.page !== last.page) return undefined
    if (entry.facts === last.facts && entry.productions === last.productions) continue
    const none = (productions: unknown) => !Array.isArray(productions) || productions.length === 0
    if (!none(entry.productions) || !none(last.productions) || entry.rules.length !== last.rules.length) return undefined
    const sameShape = entry.rules.every((rule, index) => {
      const before = last.rules[index]!
      return rule.id === before.id && rule.kind === before.kind && rule.links.length === before.links.length && rule.links.every((link, n) => link === before.links[n])
    })
    if (!sameShape) return undefined
    changed.push(at)
  }
  if (changed.length === 0) return memo.index
  // The same rules link to the same rules: each keeps its parent and resolved links; the rest is new.
  const rules = new Map(memo.index.rules)
  const anchors = new Map(memo.index.anchors)
  for (const at of changed) {
    for (const rule of entries[at]!.rules) {
      const before = memo.index.rules.get(rule.id)
      if (before === undefined || before.chapter !== rule.chapter) return undefined
      rules.set(rule.id, { ...rule, parent: before.parent, links: before.links })
    }
    anchors.set(chapters[at]!.path, rulesOfChapter(config, chapters[at]!).anchors)
  }
  return { ...memo.index, rules, anchors }
}

/**
 * The productions of every chapter by name (those that the rules index kept: the first of a
 * duplicate), their labels, and a warning at each one that no root of the grammar reaches. Roots are
 * the productions marked so in their blocks and those `config.grammarRoots` names; with none, every
 * production counts as reachable.
 */
function indexProductions(config: { grammarRoots?: readonly string[] }, chapters: readonly ParsedChapter[], rules: ReadonlyMap<string, IndexedRule>) {
  const productions = new Map<string, IndexedProduction>()
  const files = new Map<string, ParsedChapter>()
  for (const chapter of chapters) {
    for (const fact of chapter.file.data.productions ?? []) {
      const id = productionId(fact.name)
      const rule = rules.get(id)
      if (productions.has(fact.name) || rule?.kind !== productionKind || rule.chapter !== chapter.path || rule.position.start.offset !== fact.position.start.offset) continue
      productions.set(fact.name, { ...fact, id, chapter: chapter.path })
      files.set(fact.name, chapter)
    }
  }
  const productionLabels = new Map<string, string>()
  for (const production of productions.values()) {
    for (const label of [production.name.toLowerCase(), production.id.toLowerCase()]) {
      if (!rules.has(label) && !productionLabels.has(label)) productionLabels.set(label, production.id)
    }
  }

  const roots = [...productions.values()].filter((production) => production.root).map((production) => production.name)
  for (const name of config.grammarRoots ?? []) if (productions.has(name)) roots.push(name)
  if (roots.length > 0) {
    const reached = new Set<string>()
    const todo = [...roots]
    for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
      if (reached.has(name)) continue
      reached.add(name)
      for (const use of productions.get(name)?.uses ?? []) if (!reached.has(use.name)) todo.push(use.name)
    }
    for (const production of productions.values()) {
      if (reached.has(production.name)) continue
      report(files.get(production.name)!.file, 'warning', unreachableProduction, `Production \`${production.name}\` is not reachable from any root of the grammar`, {
        place: production.position,
        hint: `Use it in a production that a root reaches, mark it as a root (\`@root ${production.name} -> ...\`), or remove it`,
      })
    }
  }
  return { productions, productionLabels }
}

// A chapter's rules as the index records them, by the facts of its parse: a chapter that the compile
// cache did not parse again has the same facts, and its rules need not be normalised and hashed again.
const chapterFacts = new WeakMap<object, { kinds: ResolvedConfig['kinds']; path: string; rules: IndexedRule[]; anchors: ReadonlySet<string> }>()

/** A chapter's rules and anchors (headings, rules, raw HTML IDs), as the index records them. */
function rulesOfChapter(config: Pick<ResolvedConfig, 'kinds'>, chapter: ParsedChapter): { rules: readonly IndexedRule[]; anchors: ReadonlySet<string> } {
  const facts = chapter.file.data.rules ?? []
  const known = chapterFacts.get(facts)
  if (known && known.kinds === config.kinds && known.path === chapter.path) return known
  const owner = typeof chapter.file.data.frontMatter?.owner === 'string' ? chapter.file.data.frontMatter.owner : undefined
  const productions = (chapter.file.data.productions ?? []).map((fact): IndexedRule => {
    const text = normalizeWhitespace(fact.source)
    return {
      id: productionId(fact.name),
      chapter: chapter.path,
      position: fact.position,
      parent: undefined,
      kind: productionKind,
      text,
      fingerprint: fingerprintOf(text),
      links: [...new Set(fact.uses.map((use) => productionId(use.name)))].sort(),
      owner,
      section: fact.category,
      defines: undefined,
    }
  })
  const rules = facts.map((fact): IndexedRule => {
    const text = normalizeWhitespace(fact.text)
    return {
      id: fact.id,
      chapter: chapter.path,
      position: fact.position,
      parent: undefined,
      kind: kindOfRule(config, fact.id),
      text,
      fingerprint: fingerprintOf(text),
      links: fact.links ?? [],
      owner,
      section: fact.section,
      defines: fact.defines,
    }
  })
  rules.push(...productions)
  const anchors = new Set(chapter.file.data.anchors)
  for (const rule of rules) anchors.add(ruleAnchor(rule.id, rule.kind))
  const entry = { kinds: config.kinds, path: chapter.path, rules, anchors }
  chapterFacts.set(facts, entry)
  return entry
}

/**
 * The rule a link's label names, as written (`[values.copy]`, `[Expression]`, `[grammar.LITERAL]`),
 * or `undefined` for none: a rule of that ID (labels compare without case, as micromark compares
 * them), else the production the label names as written (`Name`, `grammar.Name`), else one whose name
 * differs from it in case only. The link phase and the index's rule links both resolve labels so.
 */
export function linkedRuleId(index: Pick<SpecIndex, 'rules' | 'productions' | 'productionLabels'>, label: string): string | undefined {
  const lower = label.toLowerCase()
  if (index.rules.has(lower)) return lower
  const exact = index.productions.get(label.startsWith(productionPrefix) ? label.slice(productionPrefix.length) : label)
  return exact?.id ?? index.productionLabels.get(lower)
}

/** The longest proper prefix of `id`, by segments, that is a rule. */
function parentOf(rules: ReadonlyMap<string, unknown>, id: string): string | undefined {
  let end = id.lastIndexOf('.')
  while (end > 0) {
    const candidate = id.slice(0, end)
    if (rules.has(candidate)) return candidate
    end = candidate.lastIndexOf('.')
  }
  return undefined
}

/** Where a duplicate definition is, and what to say at each of its two places. */
interface Duplicate {
  ruleId: string
  first: { chapter: ParsedChapter; place: Position }
  second: { chapter: ParsedChapter; place: Position }
  /** The reason at the second place, given the first's `file:line:column`. */
  atSecond(first: string): string
  /** The reason at the first place, given the second's. */
  atFirst(second: string): string
  hint: string
}

/** Report a duplicate at both its places, each naming the other through `cause`. */
function reportDuplicate(duplicate: Duplicate): void {
  const { first, second } = duplicate
  const cause = (text: string, place: Position, chapter: ParsedChapter) => {
    const message = new VFileMessage(text, { place, ruleId: duplicate.ruleId, source })
    message.file = chapter.file.path
    return message
  }
  report(second.chapter.file, 'error', duplicate.ruleId, duplicate.atSecond(where(first.chapter.file, first.place)), {
    place: second.place,
    hint: duplicate.hint,
    cause: cause('First defined here', first.place, first.chapter),
  })
  report(first.chapter.file, 'error', duplicate.ruleId, duplicate.atFirst(where(second.chapter.file, second.place)), {
    place: first.place,
    hint: duplicate.hint,
    cause: cause('Defined again here', second.place, second.chapter),
  })
}

function duplicateRuleId(first: Duplicate['first'], second: Duplicate['second'], id: string): Duplicate {
  return {
    ruleId: duplicateRule,
    first,
    second,
    atSecond: (at) => `Duplicate rule ID \`${id}\`, first defined at ${at}`,
    atFirst: (at) => `Rule ID \`${id}\` is defined again at ${at}`,
    hint: 'Rule IDs are unique across the spec: rename one of the two',
  }
}

function duplicateProductionName(first: Duplicate['first'], second: Duplicate['second'], id: string): Duplicate {
  const name = id.slice(productionPrefix.length)
  return {
    ruleId: duplicateProduction,
    first,
    second,
    atSecond: (at) => `Production \`${name}\` is defined twice, first at ${at}`,
    atFirst: (at) => `Production \`${name}\` is defined again at ${at}`,
    hint: 'A production is defined once: merge the two into one with both alternatives, or rename one',
  }
}
