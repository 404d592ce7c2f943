import type { Definition, Root, RootContent } from 'mdast'
import type { Node, Position } from 'unist'
import { visit } from 'unist-util-visit'
import { visitBlocks } from '../syntax/blocks.ts'
import { bracketedNames } from '../syntax/rule-links.ts'

/** A paragraph that ends a region parsed on its own, when nothing else would. */
const sentinel = 'End of the region.'

/** The `ids` of a raw parse whose definitions were swallowed: no later parse reuses it. */
export const noIds = '\0none'

/**
 * A chapter's text as micromark parsed it, before Ferrule's plugins ran: what an edit of the chapter
 * is parsed again against, in part. Never changed once made.
 */
export interface RawParse {
  source: string
  /** The rule IDs whose definitions were appended to the source, space-separated. */
  ids: string
  /** The top-level nodes of the source, without the appended definitions. */
  children: RootContent[]
  /** The appended definitions, as parsed after the source (their offsets past its end). */
  appended: RootContent[]
}

/**
 * Parse `text` as a chapter with the definitions of rule IDs `ids` appended: its top-level nodes, and
 * the appended definitions (`undefined` when the last block of `text` swallowed them: a code fence
 * or HTML block left open).
 */
export type ParseText = (text: string, ids: readonly string[]) => { children: RootContent[]; appended: RootContent[] | undefined }


/**
 * Parse `source` again given the raw parse of an earlier text of the same chapter, by parsing only
 * the top-level blocks the edit touched: the result is what `parseText(source, ids)` would give, or
 * `undefined` when this edit cannot be parsed in part (then the caller parses the whole text).
 *
 * 1. The edit is the span between the longest common prefix and suffix of the two texts.
 * 2. The blocks it touches, and one more on each side, are parsed again as a text of their own,
 *    with every definition of the chapter outside them appended, so that references resolve as in
 *    the whole chapter.
 * 3. The edge blocks must come out as they were: otherwise the edit reached across them (a paragraph
 *    that became a heading, a fence left open) and one more block is taken on that side, until the
 *    whole chapter is.
 * 4. Where definitions (or footnotes) change, which every block may depend on, give up. (A rule ID
 *    that came to be known or stopped being changes only the blocks that mention it, taken in 2.)
 * 5. Blocks before are kept as they are, blocks after are moved by the edit's length.
 */
export function reparseRaw(previous: RawParse, source: string, ids: string, parseText: ParseText): { children: RootContent[]; appended: RootContent[] } | undefined {
  if (previous.ids === noIds || hasFootnotes(previous.source, previous.children)) return undefined
  const old = previous.source
  const blocks = previous.children
  if (blocks.length === 0) return undefined
  // 1.
  let prefix = 0
  const shortest = Math.min(old.length, source.length)
  while (prefix < shortest && old.charCodeAt(prefix) === source.charCodeAt(prefix)) prefix++
  let suffix = 0
  while (suffix < shortest - prefix && old.charCodeAt(old.length - 1 - suffix) === source.charCodeAt(source.length - 1 - suffix)) suffix++
  const editEnd = old.length - suffix
  const delta = source.length - old.length
  // Front matter is whatever lies between a `---` on the first line and the next: an edit before its
  // end, or one that makes or unmakes it, may change how far it goes.
  const opener = /^---[ \t]*(\r?\n|$)/
  if ((opener.test(old) || opener.test(source)) && !(blocks[0]!.type === 'yaml' && prefix > end(blocks[0]!))) return undefined
  // A rule ID that came to be known, or stopped being, changes the blocks that mention it in brackets.
  const before = new Set(previous.ids.split(' ').filter(Boolean))
  const now = new Set(ids.split(' ').filter(Boolean))
  const changedIds = new Set([...before, ...now].filter((id) => before.has(id) !== now.has(id)))
  const mentions = (block: RootContent) => changedIds.size > 0 && bracketedNames(old.slice(start(block), end(block))).some((name) => changedIds.has(name))
  const touched: number[] = []
  if (old !== source) {
    // The blocks the edit overlaps; when it is between blocks, the block after it (or the last).
    const overlapped = blocks.flatMap((block, index) => (end(block) >= prefix && start(block) <= editEnd ? [index] : []))
    const after = blocks.findIndex((block) => start(block) > prefix)
    touched.push(...(overlapped.length > 0 ? overlapped : [after === -1 ? blocks.length - 1 : after]))
  }
  blocks.forEach((block, index) => {
    if (mentions(block)) touched.push(index)
  })
  if (touched.length === 0) touched.push(blocks.length - 1)
  const first = Math.min(...touched)
  let last = Math.max(...touched)
  // Definitions appended for the first time: whether the last block would swallow them is not known.
  if (previous.ids === '' && ids !== '') last = blocks.length - 1

  const definitions = definitionTexts(previous)
  for (let lo = Math.max(0, first - 1), hi = Math.min(blocks.length - 1, last + 1); ; ) {
    // 2. Blocks before `lo` are before the edit, so the region starts at the same place in both texts.
    const from = lo === 0 ? 0 : lineStart(old, start(blocks[lo]!))
    // Up to the line of the next block, blank lines and all: how a block ends can depend on them.
    const to = hi === blocks.length - 1 ? source.length : lineStart(old, start(blocks[hi + 1]!)) + delta
    if (to < from) return undefined
    const fragment = source.slice(from, to)
    // Parsed on its own, a region that starts with `---` could be taken for front matter.
    if (from > 0 && opener.test(fragment)) return undefined
    // With the definitions its references may need: the chapter's own outside it, and those of the
    // rule IDs it mentions (not every one the chapter mentions: parsing them took longer than the region).
    const outside = definitions.filter((definition) => definition.index < lo || definition.index > hi).map((definition) => definition.text)
    const needed = bracketedNames(fragment).filter((name) => now.has(name))
    // Something after the region, so that a block left open shows by running past it.
    if (outside.length === 0 && needed.length === 0) outside.push(sentinel)
    const parsed = parseText(`${fragment}\n\n${outside.join('\n')}\n`, needed)
    // A block left open runs past the region: it would take the blocks after it too.
    const inside = parsed.children.filter((node) => start(node) < fragment.length)
    if (!parsed.appended || inside.some((node) => end(node) > fragment.length)) return undefined
    const line = lineOf(source, from)
    const children = inside.map((node) => moved(node, from, line - 1))
    // 3. The edge blocks not touched by the edit must parse as they did.
    const startHolds = lo === 0 || same(children[0], blocks[lo]!, 0)
    const endHolds = hi === blocks.length - 1 || same(children.at(-1), blocks[hi]!, delta)
    if (!startHolds || !endHolds) {
      if (!startHolds) lo--
      if (!endHolds) hi++
      continue
    }
    // 4.
    const replaced = blocks.slice(lo, hi + 1)
    if (definitionKey(replaced) !== definitionKey(children) || hasFootnotes(source, children)) return undefined
    // 5.
    const lineDelta = lineOf(source, source.length) - lineOf(old, old.length)
    const after = blocks.slice(hi + 1).map((node) => moved(node, delta, lineDelta))
    // The definitions after the text: as they were, moved; or, for other IDs, parsed after nothing
    // (where they start two lines down, as after the text) and moved to the text's end.
    let appended = previous.appended.map((node) => moved(node, delta, lineDelta))
    if (changedIds.size > 0) {
      const alone = parseText('', [...now]).appended
      if (!alone) return undefined
      appended = alone.map((node) => moved(node, source.length, lineOf(source, source.length) - 1))
    }
    return { children: [...blocks.slice(0, lo), ...children, ...after], appended }
  }
}

function start(node: Node): number {
  return node.position?.start.offset ?? 0
}

function end(node: Node): number {
  return node.position?.end.offset ?? 0
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

/** 1-based line of `offset` in `text`. */
function lineOf(text: string, offset: number): number {
  let line = 1
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++
  return line
}

/** Whether `node` is `old` moved by `delta`: same kind, same span. */
function same(node: RootContent | undefined, old: RootContent, delta: number): boolean {
  return node !== undefined && node.type === old.type && start(node) === start(old) + delta && end(node) === end(old) + delta
}

/** A copy of `node` and its descendants with every position moved by `offset` characters and `lines` lines. */
function moved<T extends Node>(node: T, offset: number, lines: number): T {
  if (offset === 0 && lines === 0) return node
  const copy = { ...node, position: node.position && movedPosition(node.position, offset, lines) } as T & { children?: Node[] }
  const children = (node as { children?: Node[] }).children
  if (children) copy.children = children.map((child) => moved(child, offset, lines))
  return copy
}

function movedPosition(position: Position, offset: number, lines: number): Position {
  return {
    start: { line: position.start.line + lines, column: position.start.column, offset: (position.start.offset ?? 0) + offset },
    end: { line: position.end.line + lines, column: position.end.column, offset: (position.end.offset ?? 0) + offset },
  }
}

/** The source text of each definition, with the index of the top-level block it is in. */
function definitionTexts(raw: RawParse): Array<{ index: number; text: string }> {
  const found: Array<{ index: number; text: string }> = []
  raw.children.forEach((block, index) => {
    visitBlocks<Definition>(block, 'definition', (node) => {
      found.push({ index, text: raw.source.slice(start(node), end(node)).replace(/^[ \t>*+-]*(?=\[)/, '') })
    })
  })
  return found
}

/** What the definitions among `nodes` define, to tell whether an edit changed any. */
function definitionKey(nodes: readonly RootContent[]): string {
  const keys: string[] = []
  for (const node of nodes) visitBlocks<Definition>(node, 'definition', (definition) => void keys.push(JSON.stringify([definition.identifier, definition.url, definition.title])))
  return keys.sort().join('\n')
}

/** Whether `nodes`, parsed from `source`, hold a footnote; only when `source` has a `[^` can they. */
function hasFootnotes(source: string, nodes: readonly RootContent[]): boolean {
  if (!source.includes('[^')) return false
  let found = false
  for (const node of nodes) {
    visit(node, (child) => {
      if (child.type === 'footnoteDefinition' || child.type === 'footnoteReference') found = true
    })
  }
  return found
}

/** A root of `children` and the `appended` definitions, placed as micromark places the root of `text`. */
export function rawToRoot(children: readonly RootContent[], appended: readonly RootContent[], text: string): Root {
  const end = { line: lineOf(text, text.length), column: text.length - lineStart(text, text.length) + 1, offset: text.length }
  return { type: 'root', children: [...children, ...appended], position: { start: { line: 1, column: 1, offset: 0 }, end } }
}
