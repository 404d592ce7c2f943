import path from 'node:path'
import { klona } from 'klona/json'
import type { Definition, Image, Link, PhrasingContent, Root } from 'mdast'
import { SKIP, visit } from 'unist-util-visit'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
import { quoteList, report } from '../diagnostics.ts'
import { relativeUrl, safeDecode } from '../paths.ts'
import { productionAnchor, productionId, productionKind, ruleAnchor } from '../syntax/types.ts'
import { nearest, nearestAfterChange } from '../nearest.ts'
import { firstSentence } from '../first-sentence.ts'
import { linkedRuleId, type SpecIndex } from './spec-index.ts'
import type { ParsedChapter } from './types.ts'

export const unknownRule = 'unknown-rule'
export const brokenLink = 'broken-link'
export const missingAnchor = 'missing-anchor'
export const undefinedNonterminal = 'undefined-nonterminal'

export interface LinkContext {
  index: SpecIndex
  /** Every file under the root, relative and `/`-separated. */
  files: ReadonlySet<string>
}

/** What the link phase made and found. */
export interface LinkResult {
  /** A linked copy of the chapter's tree; the parsed tree is left as it was, so it can be cached. */
  tree: Root
  /** Files under the root, not chapters, that pages link to (images and the like). */
  assets: Set<string>
  /**
   * Everything the chapter's links were resolved against, with what it was: the same lookups
   * giving the same answers in a later index (`lookupsHold`) give the same linked tree and
   * diagnostics, so the chapter need not be linked again.
   */
  lookups: Map<string, string>
}

/**
 * What a link phase may look up, as a key: a rule's chapter, a chapter's page or anchors, the chapter
 * of a page, whether a file exists, and every rule ID (for the hints of an unknown one). The answer of
 * each is a string, so that two indexes can be compared lookup by lookup.
 */
type Lookup =
  | `rule:${string}`
  | `referenced-by:${string}`
  | `page:${string}`
  | `anchors:${string}`
  | `chapter-of:${string}`
  | `file:${string}`
  | `link:${string}`
  | 'ids'
  | 'productions'

function answer(context: LinkContext, lookup: Lookup): string {
  const colon = lookup.indexOf(':')
  const kind = colon < 0 ? lookup : lookup.slice(0, colon)
  const key = colon < 0 ? '' : lookup.slice(colon + 1)
  switch (kind as 'rule' | 'referenced-by' | 'page' | 'anchors' | 'chapter-of' | 'file' | 'link' | 'ids' | 'productions') {
    case 'rule': {
      // Where it is; for a term, also what it says, which a link to it shows; for a production, that it is one.
      const rule = context.index.rules.get(key)
      if (rule === undefined) return ''
      return rule.kind === 'term' ? `${rule.chapter} ${rule.fingerprint}` : rule.kind === productionKind ? `${rule.chapter} ${productionKind}` : rule.chapter
    }
    case 'link':
      return linkedRuleId(context.index, key) ?? ''
    case 'productions':
      return [...context.index.productions.keys()].join(' ')
    case 'referenced-by':
      return (context.index.referencedBy.get(key) ?? []).join(' ')
    case 'page':
      return context.index.pages.get(key) ?? ''
    case 'anchors':
      return [...(context.index.anchors.get(key) ?? [])].sort().join(' ')
    case 'chapter-of':
      return context.index.chapters.get(key) ?? ''
    case 'file':
      return context.files.has(key) ? 'yes' : ''
    case 'ids':
      return context.index.ids.join(' ')
  }
}

// Answers by context: a compile asks the same questions of one index for every chapter it checks.
const answers = new WeakMap<LinkContext, Map<string, string>>()

/**
 * Whether every lookup of an earlier link phase has the same answer in `context`. With `changed`
 * (`changedLookups` since the context those lookups last held in), only those are asked again.
 */
export function lookupsHold(context: LinkContext, lookups: ReadonlyMap<string, string>, changed?: ReadonlySet<string>): boolean {
  let known = answers.get(context)
  if (!known) answers.set(context, (known = new Map()))
  const holds = (lookup: string, value: string) => {
    let now = known.get(lookup)
    if (now === undefined) known.set(lookup, (now = answer(context, lookup as Lookup)))
    return now === value
  }
  if (changed && changed.size < lookups.size) {
    for (const lookup of changed) {
      const value = lookups.get(lookup)
      if (value !== undefined && !holds(lookup, value)) return false
    }
    return true
  }
  for (const [lookup, value] of lookups) if ((!changed || changed.has(lookup)) && !holds(lookup, value)) return false
  return true
}

/**
 * The lookups whose answers may differ from `before` to `after`, found by comparing the two indexes
 * part by part rather than by making every answer: the rules whose place, kind or text changed,
 * the rules whose referrers changed, the chapters whose anchors changed. `undefined` when the
 * book's shape changed (its rule IDs, productions, pages or files), which may change any answer.
 * It may list lookups whose answers are the same; it leaves out none that differ.
 */
export function changedLookups(before: LinkContext, after: LinkContext): Set<string> | undefined {
  const [a, b] = [before.index, after.index]
  const sameShape =
    sameList(a.ids, b.ids) && sameList([...a.productions.keys()], [...b.productions.keys()]) && sameMap(a.productionLabels, b.productionLabels) &&
    sameMap(a.pages, b.pages) && sameMap(a.chapters, b.chapters) && sameSet(before.files, after.files)
  if (!sameShape) return undefined
  const changed = new Set<string>()
  for (const [id, rule] of b.rules) {
    const old = a.rules.get(id)
    if (!old || old.chapter !== rule.chapter || old.kind !== rule.kind || old.fingerprint !== rule.fingerprint) changed.add(`rule:${id}`)
  }
  for (const id of new Set([...a.referencedBy.keys(), ...b.referencedBy.keys()])) {
    if (!sameList(a.referencedBy.get(id) ?? [], b.referencedBy.get(id) ?? [])) changed.add(`referenced-by:${id}`)
  }
  for (const chapter of new Set([...a.anchors.keys(), ...b.anchors.keys()])) {
    if (!sameSet(a.anchors.get(chapter) ?? new Set(), b.anchors.get(chapter) ?? new Set())) changed.add(`anchors:${chapter}`)
  }
  return changed
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((item, index) => item === b[index]))
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true
  if (a.size !== b.size) return false
  for (const item of a) if (!b.has(item)) return false
  return true
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a === b) return true
  if (a.size !== b.size) return false
  for (const [key, value] of a) if (b.get(key) !== value) return false
  return true
}

/**
 * Link phase of one chapter: resolve rule links to the pages that define the rules, rewrite links
 * to chapters (`.md` or `.html`) into links between pages, and report unknown rule IDs, links to
 * missing chapters or files and links to missing anchors.
 */
export function linkChapter(context: LinkContext, chapter: ParsedChapter): LinkResult {
  // A plain-data copy, as in parse.ts.
  const tree = klona(chapter.tree)
  const state: State = { ...context, chapter, file: chapter.file, result: { tree, assets: new Set<string>(), lookups: new Map() } }
  checkWouldBeLinks(state)
  checkNonterminals(state)
  let hrefs: Record<string, string> | undefined
  visit(tree, (node, index, parent) => {
    if (node.type === 'ferruleRule') node.referencedBy = referrers(state, node.id)
    if (node.type === 'ferruleGrammar') {
      // One map for the chapter's blocks: it holds every name their productions define or use.
      node.hrefs = hrefs ??= grammarHrefs(state)
      return SKIP
    }
    if (node.type === 'ferruleRuleLink') {
      const replacement = resolveRuleLink(state, node.id, node.label ?? node.id, node.children, node.position)
      if (!parent || index === undefined) return SKIP
      parent.children.splice(index, 1, ...(replacement as never[]))
      return [SKIP, index + replacement.length]
    }
    if (node.type === 'link' || node.type === 'definition' || node.type === 'image') resolveUrl(state, node)
    return undefined
  })
  return state.result
}

type State = LinkContext & { chapter: ParsedChapter; file: VFile; result: LinkResult }

// Every question the link phase asks of the index goes through these, which record it.

function look(state: State, lookup: Lookup): void {
  if (!state.result.lookups.has(lookup)) state.result.lookups.set(lookup, answer(state, lookup))
}

function ruleOf(state: State, id: string) {
  look(state, `rule:${id}`)
  return state.index.rules.get(id)
}

/** The rule that a link's label (as written) names, by `linkedRuleId`. */
function linkTarget(state: State, label: string) {
  look(state, `link:${label}`)
  const id = linkedRuleId(state.index, label)
  return id === undefined ? undefined : ruleOf(state, id)
}

/** The production called `name`, if the grammar defines one. */
function productionOf(state: State, name: string) {
  const rule = ruleOf(state, productionId(name))
  return rule?.kind === productionKind ? rule : undefined
}

function productionNames(state: State): Iterable<string> {
  look(state, 'productions')
  return state.index.productions.keys()
}

function allIds(state: State): readonly string[] {
  look(state, 'ids')
  return state.index.ids
}

function pageOf(state: State, chapter: string): string | undefined {
  look(state, `page:${chapter}`)
  return state.index.pages.get(chapter)
}

function anchorsOf(state: State, chapter: string): ReadonlySet<string> | undefined {
  look(state, `anchors:${chapter}`)
  return state.index.anchors.get(chapter)
}

function chapterOfPage(state: State, page: string): string | undefined {
  look(state, `chapter-of:${page}`)
  return state.index.chapters.get(page)
}

function fileExists(state: State, file: string): boolean {
  look(state, `file:${file}`)
  return state.files.has(file)
}

function resolveRuleLink(state: State, id: string, label: string, children: PhrasingContent[], position: Position | undefined): PhrasingContent[] {
  const rule = linkTarget(state, label)
  if (!rule) {
    reportUnknownRule(state, id, position)
    return children
  }
  // A link to a term carries its definition, which the theme shows on hover and focus.
  const term = rule.kind === 'term' ? { title: firstSentence(rule.text) } : {}
  const className = rule.kind === 'term' ? ['rule-link', 'term-link'] : rule.kind === productionKind ? ['rule-link', 'grammar-link'] : ['rule-link']
  const link: Link = {
    type: 'link',
    url: pageUrl(state, rule.chapter, ruleAnchor(rule.id, rule.kind)),
    title: null,
    children,
    position,
    data: { hProperties: { className, dataRule: rule.id, ...term } },
  }
  return [link]
}

/** The URL, from this page, of each production that the chapter's grammar blocks define or use and the grammar defines. */
function grammarHrefs(state: State): Record<string, string> {
  const hrefs: Record<string, string> = {}
  const names = new Set<string>()
  for (const fact of state.file.data.productions ?? []) {
    names.add(fact.name)
    for (const use of fact.uses) names.add(use.name)
  }
  for (const name of [...names].sort()) {
    const production = productionOf(state, name)
    if (production) hrefs[name] = pageUrl(state, production.chapter, productionAnchor(name))
  }
  return hrefs
}

/** Report each nonterminal that a production of this chapter uses and no production defines. */
function checkNonterminals(state: State): void {
  for (const fact of state.file.data.productions ?? []) {
    for (const use of fact.uses) {
      if (productionOf(state, use.name)) continue
      const near = nearest(use.name, productionNames(state))
      report(state.file, 'error', undefinedNonterminal, `Undefined nonterminal \`${use.name}\` in production \`${fact.name}\``, {
        place: use.position,
        hint: near.length > 0 ? `Did you mean ${quoteList(near)}?` : 'Define it in a ```grammar block, or write a terminal in backticks',
      })
    }
  }
}

/** The rules that link to rule `id`, each with its URL from this page. */
function referrers(state: State, id: string): Array<{ id: string; url: string }> | undefined {
  look(state, `referenced-by:${id}`)
  const from = state.index.referencedBy.get(id)
  if (!from) return undefined
  return from.map((referrer) => {
    const rule = ruleOf(state, referrer)!
    return { id: referrer, url: pageUrl(state, rule.chapter, ruleAnchor(referrer, rule.kind)) }
  })
}

/** Bracketed text shaped like a rule ID that no marker defines: almost always a mistyped rule link. */
function checkWouldBeLinks(state: State): void {
  for (const ref of state.file.data.ruleRefs ?? []) {
    if (!ref.linked && !linkTarget(state, ref.id)) reportUnknownRule(state, ref.id, ref.position)
  }
  const examples = (state.file.data.examples ?? []).map((example) => ({ rule: example.info?.rule, place: example.position }))
  checkExampleRules(state.file, examples, { has: (id) => ruleOf(state, id) !== undefined, keys: () => allIds(state) })
}

/**
 * Report each example whose `rule=ID` names no rule. Shared by the link phase and the example
 * runners, which check one chapter against the rule IDs of the whole book.
 */
export function checkExampleRules(
  file: VFile,
  examples: ReadonlyArray<{ rule: string | undefined; place: Point | Position | undefined }>,
  ruleIds: { has(id: string): boolean; keys(): Iterable<string> },
): void {
  for (const { rule, place } of examples) {
    if (rule === undefined || ruleIds.has(rule)) continue
    const near = nearest(rule, ruleIds.keys())
    report(file, 'error', unknownRule, `Unknown rule ID \`${rule}\` in the \`rule=\` of an example`, {
      place,
      hint: near.length > 0 ? `Did you mean ${quoteList(near)}?` : 'No rule has a similar ID; name a rule that a marker `r[ID]` defines',
    })
  }
}

/**
 * Hints for unknown rule IDs against one compile's IDs (sorted), each looked for once; and the last
 * compile's hints with the IDs added and removed since, to work a hint out from the old one
 * (`nearestAfterChange`) rather than against every ID again. A book with many links to rules not yet
 * written asked them all again after each edit that added a rule.
 */
interface Hints {
  near: Map<string, string[]>
  before: { near: ReadonlyMap<string, string[]>; added: string[]; removed: Set<string> } | undefined
}
const hints = new WeakMap<readonly string[], Hints>()
let lastHints: { ids: readonly string[]; near: ReadonlyMap<string, string[]> } | undefined

function hintFor(ids: readonly string[], id: string): string[] {
  let found = hints.get(ids)
  if (!found) {
    found = { near: new Map(), before: lastHints && { near: lastHints.near, ...sortedChanges(lastHints.ids, ids) } }
    hints.set(ids, found)
    lastHints = { ids, near: found.near }
  }
  let near = found.near.get(id)
  if (near) return near
  const previous = found.before?.near.get(id)
  near = (previous && nearestAfterChange(id, previous, found.before!.removed, found.before!.added)) ?? nearest(id, ids)
  found.near.set(id, near)
  return near
}

/** What `after` adds to `before` and what it removes, both sorted by code unit. */
function sortedChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: Set<string> } {
  const added: string[] = []
  const removed = new Set<string>()
  let i = 0
  let j = 0
  while (i < before.length || j < after.length) {
    const old = before[i]
    const now = after[j]
    if (old === now) {
      i++
      j++
    } else if (now === undefined || (old !== undefined && old < now)) {
      removed.add(old!)
      i++
    } else {
      added.push(now)
      j++
    }
  }
  return { added, removed }
}

function reportUnknownRule(state: State, id: string, place: Position | undefined): void {
  const near = hintFor(allIds(state), id)
  report(state.file, 'error', unknownRule, `Unknown rule ID \`${id}\` in a rule link`, {
    place,
    hint: near.length > 0 ? `Did you mean ${quoteList(near)}?` : 'No rule has a similar ID; write `\\[` for a literal bracket',
  })
}

/** Check a link to a local chapter, anchor or file, and rewrite chapter links to page links. */
function resolveUrl(state: State, node: Link | Definition | Image): void {
  const url = node.url
  if (url === '' || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//') || url.startsWith('/')) return
  const hashAt = url.indexOf('#')
  const pathPart = (hashAt === -1 ? url : url.slice(0, hashAt)).replace(/\?.*$/, '')
  const hash = hashAt === -1 ? undefined : safeDecode(url.slice(hashAt + 1))

  if (pathPart === '') {
    if (hash !== undefined) checkAnchor(state, state.chapter.path, hash, node)
    return
  }
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(state.chapter.path), safeDecode(pathPart)))
  // Links that leave the book's root go to sibling books: not ours to check.
  if (target.startsWith('../')) return

  const chapter = target.endsWith('.md') ? target : target.endsWith('.html') ? chapterOfPage(state, target) ?? target : undefined
  if (chapter === undefined) {
    if (fileExists(state, target)) state.result.assets.add(target)
    else report(state.file, 'warning', brokenLink, `Link to \`${pathPart}\`, which does not exist`, { place: node.position })
    return
  }
  if (pageOf(state, chapter) === undefined) {
    const listed = fileExists(state, chapter) || fileExists(state, chapter.replace(/\.html$/, '.md'))
    report(state.file, 'warning', brokenLink, `Link to \`${pathPart}\`, which is not a chapter of the outline`, {
      place: node.position,
      hint: listed ? 'Add the chapter to SUMMARY.md' : 'No such file under the root; check the path',
    })
    return
  }
  if (hash !== undefined) checkAnchor(state, chapter, hash, node)
  node.url = pageUrl(state, chapter, hash)
}

function checkAnchor(state: State, chapter: string, hash: string, node: Link | Definition | Image): void {
  const anchors = anchorsOf(state, chapter)
  if (!anchors || hash === '' || anchors.has(hash)) return
  const near = nearest(hash, anchors)
  const on = chapter === state.chapter.path ? 'this page' : `\`${chapter}\``
  report(state.file, 'warning', missingAnchor, `Link to \`#${hash}\`, which is no heading or rule on ${on}`, {
    place: node.position,
    hint: near.length > 0 ? `Did you mean ${quoteList(near.map((anchor) => '#' + anchor))}?` : undefined,
  })
}

/** URL of a chapter's page (and anchor) relative to the page being linked. */
function pageUrl(state: State, chapter: string, hash: string | undefined): string {
  const page = pageOf(state, chapter)!
  const fragment = hash === undefined ? '' : '#' + encodeURI(hash).replace(/#/g, '%23')
  if (page === state.chapter.page && fragment) return fragment
  return relativeUrl(state.chapter.page, page) + fragment
}
