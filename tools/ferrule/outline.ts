import path from 'node:path'
import type { Link, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { Position } from 'unist'
import type { VFile } from 'vfile'
import { report } from './diagnostics.ts'
import { safeDecode } from './paths.ts'

export const ruleId = 'outline'

/** A chapter of the outline, in mdBook's sense. */
export interface OutlineChapter {
  type: 'chapter'
  title: string
  /** Chapter file relative to the book root, with `/` separators; `undefined` for a draft chapter. */
  path: string | undefined
  /** `1.`, `2.3.`...; `undefined` for unnumbered prefix and suffix chapters. */
  number: string | undefined
  /** Title of the part the chapter is in, if any. */
  part: string | undefined
  /** 0 for a top-level chapter. */
  depth: number
  children: OutlineChapter[]
  position: Position | undefined
}

export interface OutlinePart {
  type: 'part'
  title: string
  position: Position | undefined
}

export interface OutlineSeparator {
  type: 'separator'
}

export type OutlineItem = OutlineChapter | OutlinePart | OutlineSeparator

export interface Outline {
  /** The `# Title` at the top of `SUMMARY.md`, if any. */
  title: string | undefined
  /** Top-level items in order: prefix chapters, part titles, separators, numbered and suffix chapters. */
  items: OutlineItem[]
  /** Every chapter that has a file, depth first: reading order, numbering and prev/next. */
  chapters: OutlineChapter[]
}

const summaryParser = unified().use(remarkParse)

/**
 * Read `SUMMARY.md` in mdBook's format into an outline. Problems are reported on `file`
 * (`ferrule:outline`); whatever can be understood is kept.
 */
export function summaryToOutline(file: VFile): Outline {
  const tree = summaryParser.parse(file) as Root
  return mdastToOutline(tree, file)
}

/** Convert the mdast of a `SUMMARY.md` into an outline. */
export function mdastToOutline(tree: Root, file: VFile): Outline {
  const state = { file, counters: [0], part: undefined as string | undefined, seen: new Map<string, Position | undefined>() }
  const items: OutlineItem[] = []
  let title: string | undefined
  let index = 0

  const first = tree.children[0]
  if (first?.type === 'heading' && first.depth === 1) {
    title = toString(first)
    index = 1
  }

  for (const node of tree.children.slice(index)) {
    switch (node.type) {
      case 'heading': {
        state.part = toString(node)
        items.push({ type: 'part', title: state.part, position: node.position })
        break
      }
      case 'thematicBreak': {
        items.push({ type: 'separator' })
        break
      }
      case 'list': {
        items.push(...listToChapters(state, node, 0, []))
        break
      }
      case 'paragraph': {
        // Prefix (before any list) and suffix (after) chapters: unnumbered links on their own lines.
        for (const link of linksOf(state, node)) {
          const chapter = linkToChapter(state, link, undefined, 0)
          if (chapter) items.push(chapter)
        }
        break
      }
      case 'definition':
      case 'html':
        break
      default: {
        unexpected(state, node)
      }
    }
  }

  const chapters: OutlineChapter[] = []
  const collect = (chapter: OutlineChapter): void => {
    if (chapter.path !== undefined) chapters.push(chapter)
    chapter.children.forEach(collect)
  }
  for (const item of items) if (item.type === 'chapter') collect(item)
  return { title, items, chapters }
}

interface State {
  file: VFile
  part: string | undefined
  /** Chapter counters of the numbered chapters; the first one runs across parts, as in mdBook. */
  counters: number[]
  seen: Map<string, Position | undefined>
}

function listToChapters(state: State, list: List, depth: number, prefix: number[]): OutlineChapter[] {
  const chapters: OutlineChapter[] = []
  let counter = depth === 0 ? (state.counters[0] ?? 0) : 0
  for (const item of list.children) {
    const chapter = listItemToChapter(state, item, depth, [...prefix, counter + 1])
    if (!chapter) continue
    counter += 1
    chapters.push(chapter)
  }
  if (depth === 0) state.counters[0] = counter
  return chapters
}

function listItemToChapter(state: State, item: ListItem, depth: number, number: number[]): OutlineChapter | undefined {
  const [head, ...rest] = item.children
  const inline = head?.type === 'paragraph' ? head.children.filter((child) => !(child.type === 'text' && child.value.trim() === '')) : []
  const link = inline.length === 1 && inline[0]!.type === 'link' ? inline[0] : undefined
  if (!link) {
    report(state.file, 'error', ruleId, 'Unexpected list item in the outline, expected a link to a chapter', {
      place: item.position,
      hint: 'Write each entry as `- [Title](path/to/chapter.md)`, or `- [Title]()` for a draft chapter',
    })
    return undefined
  }
  const chapter = linkToChapter(state, link, number.join('.') + '.', depth)
  if (!chapter) return undefined
  for (const node of rest) {
    if (node.type === 'list') chapter.children.push(...listToChapters(state, node, depth + 1, number))
    else unexpected(state, node)
  }
  return chapter
}

/** The links of a paragraph; anything else in it (but white space) is reported. */
function linksOf(state: State, paragraph: Paragraph): Link[] {
  const links: Link[] = []
  for (const child of paragraph.children) {
    if (child.type === 'link') links.push(child)
    else if (!(child.type === 'text' && child.value.trim() === '')) unexpected(state, child)
  }
  return links
}

function linkToChapter(state: State, link: Link, number: string | undefined, depth: number): OutlineChapter | undefined {
  const title = toString(link)
  let chapterPath: string | undefined
  if (link.url !== '') {
    chapterPath = path.posix.normalize(safeDecode(link.url).replace(/^\.\//, ''))
    if (!chapterPath.endsWith('.md')) {
      report(state.file, 'error', ruleId, `Unexpected chapter path \`${link.url}\`, expected a \`.md\` file`, {
        place: link.position,
      })
      return undefined
    }
    if (chapterPath.startsWith('../') || path.posix.isAbsolute(chapterPath)) {
      report(state.file, 'error', ruleId, `Chapter \`${link.url}\` is outside the book's root`, {
        place: link.position,
        hint: 'Move the chapter under the folder that holds `SUMMARY.md`',
      })
      return undefined
    }
    const seen = state.seen.get(chapterPath)
    if (state.seen.has(chapterPath)) {
      report(state.file, 'error', ruleId, `Chapter \`${chapterPath}\` is listed twice in the outline`, {
        place: link.position,
        hint: `It is first listed at line ${seen?.start.line ?? '?'}; remove one of the two entries`,
      })
      return undefined
    }
    state.seen.set(chapterPath, link.position)
  }
  return {
    type: 'chapter',
    title,
    path: chapterPath,
    number,
    part: number === undefined ? undefined : state.part,
    depth,
    children: [],
    position: link.position,
  }
}

function unexpected(state: State, node: RootContent | PhrasingContent | ListItem['children'][number]): void {
  report(state.file, 'error', ruleId, `Unexpected ${node.type} in the outline`, {
    place: node.position,
    hint: 'The outline holds a `# Title`, `# Part` headings, `---` separators and lists of `[Title](chapter.md)` links',
  })
}
