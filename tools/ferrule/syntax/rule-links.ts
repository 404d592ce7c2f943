import type { Definition, Parent, Root, Text } from 'mdast'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { location, type Location } from 'vfile-location'
import { visitBlocks } from './blocks.ts'
import type { RuleLinkNode, RuleNode, RuleRefFact } from './types.ts'

/** Bracketed text shaped like a rule ID with at least one dot, not right after a word or `\`. */
const wouldBeLink = /(?<![\p{L}\p{N}_\\])\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)\]/gu

/**
 * Turn rule links into `ferruleRuleLink` nodes and record every rule reference in
 * `file.data.ruleRefs`.
 *
 * The chapter is parsed with a link definition appended for every known rule ID it mentions
 * (`[ID]: #r-ID`, after the end of the file, so no position moves), which lets micromark decide what
 * is a link exactly as it would for any other reference. This plugin removes those definitions again,
 * keeps references that an author's own definition resolves, and records bracketed text that looks
 * like a rule ID but is none, so that the index can report it with the nearest IDs.
 */
export default function remarkFerruleRuleLinks() {
  return (tree: Root, file: VFile): void => {
    const source = String(file)
    const synthetic = new Set<string>()
    tree.children = tree.children.filter((node) => {
      if (node.type !== 'definition' || (node.position?.start.offset ?? 0) < source.length) return true
      synthetic.add(node.identifier)
      return false
    })
    const authored = new Set<string>()
    visitBlocks<Definition>(tree, 'definition', (node) => {
      authored.add(node.identifier)
    })

    const place = location(file)
    const refs: RuleRefFact[] = []
    visit(tree, (node, index, parent) => {
      if (node.type === 'linkReference' && synthetic.has(node.identifier) && !authored.has(node.identifier)) {
        if (isMisplacedMarker(source, node.position?.start.offset)) {
          // `r[ID]` inside a paragraph: reported by the rule markers plugin, and no link.
          const text: Text = { type: 'text', value: source.slice(node.position!.start.offset, node.position!.end.offset), position: node.position }
          if (parent && index !== undefined) parent.children[index] = text
          return SKIP
        }
        const link: RuleLinkNode = { type: 'ferruleRuleLink', id: node.identifier, label: node.label ?? undefined, children: node.children, position: node.position }
        if (parent && index !== undefined) parent.children[index] = link as never
        refs.push({ id: node.identifier, position: node.position, linked: true })
        return SKIP
      }
      if (node.type === 'text') refs.push(...wouldBeLinks(source, place, node, parent))
      if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'html') return SKIP
      return undefined
    })
    file.data.ruleRefs = refs
    recordLinksOfRules(tree, file)
  }
}

/** Each rule's outgoing rule links, not counting those of rules nested inside it. */
function recordLinksOfRules(tree: Root, file: VFile): void {
  const linksOf = new Map<string, Set<string>>()
  visitBlocks<RuleNode>(tree, 'ferruleRule', (rule) => {
    const ids = linksOf.get(rule.id) ?? new Set<string>()
    linksOf.set(rule.id, ids)
    for (const child of rule.children) {
      visit(child, (node) => {
        if (node.type === 'ferruleRule') return SKIP
        // As written: a production's name may differ from another's in case only.
        if (node.type === 'ferruleRuleLink' && node.id !== rule.id) ids.add(node.label ?? node.id)
        return undefined
      })
    }
  })
  for (const fact of file.data.rules ?? []) fact.links = [...(linksOf.get(fact.id) ?? [])].sort()
}

function isMisplacedMarker(source: string, start: number | undefined): boolean {
  if (start === undefined || start < 1 || source.charCodeAt(start - 1) !== 114 /* r */) return false
  return start === 1 || /[\s>]/.test(source.charAt(start - 2))
}

function wouldBeLinks(source: string, place: Location, node: Text, parent: Parent | undefined): RuleRefFact[] {
  if (!node.value.includes('.')) return []
  const refs: RuleRefFact[] = []
  // The text remark-gfm leaves around an autolink literal (`a@b.c`) has no position: the brackets
  // are looked for in the source of its parent, which has one.
  const span = node.position ?? parent?.position
  const start = span?.start.offset
  const raw = start === undefined ? undefined : source.slice(start, span!.end.offset)
  let searchFrom = 0
  for (const match of node.value.matchAll(wouldBeLink)) {
    let position = span
    if (raw !== undefined && start !== undefined) {
      const at = raw === node.value ? match.index : raw.indexOf(match[0], searchFrom)
      if (at > 0 && raw.charCodeAt(at - 1) === 92 /* \ */) continue
      if (at !== -1) {
        searchFrom = at + match[0].length
        const from = place.toPoint(start + at)
        const to = place.toPoint(start + searchFrom)
        if (from && to) position = { start: from, end: to }
      }
    }
    refs.push({ id: match[1]!.toLowerCase(), position, linked: false })
  }
  return refs
}

/**
 * Rule IDs the parser should define for a chapter: every known ID that the chapter's text mentions
 * in brackets.
 */
export function mentionedRuleIds(source: string, known: ReadonlySet<string>): string[] {
  return bracketedNames(source).filter((id) => known.has(id))
}

/** Every distinct name in brackets that could be a rule ID, lower-cased and sorted: what `mentionedRuleIds` picks from. */
export function bracketedNames(source: string): string[] {
  const found = new Set<string>()
  for (const match of source.matchAll(/\[([A-Za-z0-9_.-]+)\]/g)) found.add(match[1]!.toLowerCase())
  return [...found].sort()
}

/**
 * The labels by which prose may link to the productions of the grammar blocks in `source`, lower-cased
 * as micromark compares labels: `name` and `grammar.name` for production `Name`. A superset: the
 * grammar parser decides what the blocks define, and the link phase resolves a label against that.
 */
export function scanProductionLabels(source: string, into: Set<string>): void {
  if (!source.includes('grammar')) return
  let inGrammar = false
  let fence = ''
  for (const line of source.split('\n')) {
    const opening = /^[\s>]*(`{3,}|~{3,})\s*(\S*)/.exec(line)
    if (!inGrammar) {
      if (opening && /^grammar(?:$|[,\s])/.test(opening[2]!)) {
        inGrammar = true
        fence = opening[1]!
      }
      continue
    }
    if (opening && opening[1]!.startsWith(fence) && opening[2] === '') {
      inGrammar = false
      continue
    }
    const production = /^[\s>]*(?:@root\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*->/.exec(line)
    if (production) {
      const label = production[1]!.toLowerCase()
      into.add(label)
      into.add('grammar.' + label)
    }
  }
}

/** Every ID that appears in an `r[ID]` anywhere in `source`: a superset of the rules it defines. */
export function scanRuleIds(source: string, into: Set<string>): void {
  for (const match of source.matchAll(/(?<![A-Za-z0-9_])r\[([a-z0-9_.-]+)\]/g)) into.add(match[1]!)
}
