import { hash } from 'node:crypto'
import rehypeShikiFromHighlighter from '@shikijs/rehype/core'
import type { Root as HastRoot } from 'hast'
import type { Root, RootContent } from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { EXIT, SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { visitBlocks } from '../syntax/blocks.ts'
import { contentBlock, type ContentBlock } from './content-blocks.ts'
import { handlers, raw } from './handlers.ts'
import rehypeFerruleHeadingLinks from './heading-links.ts'
import rehypeFerruleVerification, { type RuleVerification } from './verification.ts'
import { themes, type Highlighter } from './highlighter.ts'

/** Renders a linked chapter tree to the HTML of its content. */
export interface ChapterRenderer {
  (tree: Root, file: VFile): string
  /** The same, stopping at the tree of the HTML: for pages that show a chapter otherwise (print). */
  hast(tree: Root, file: VFile): HastRoot
  /** That tree as HTML, as the renderer writes it. */
  stringify(tree: HastRoot): string
  /** The content's top-level blocks, whose HTML, one after another, is what the renderer gives. */
  blocks(tree: Root, file: VFile): ContentBlock[]
}

export interface ChapterRendererOptions {
  /**
   * Highlighted code blocks by language, info string and code, to reuse when the same block is
   * rendered again (shiki's part of a render is most of it). Default: none. The live preview keeps
   * one across rebuilds; its entries are never changed once made.
   */
  codeCache?: Map<string, HastRoot> | undefined
  /** What the last test run says of each rule, shown under it (default: nothing). */
  verification?: ReadonlyMap<string, RuleVerification> | undefined
  /**
   * The blocks each top-level block of a chapter made, by its chapter and content (`blockKey`), for
   * `blocks` to render only the blocks that are new (the live preview keeps one across rebuilds; an
   * edit of a long chapter changes one block of hundreds). Default: none, each chapter is rendered
   * whole. Chapters with footnotes or link definitions, whose blocks depend on one another, are
   * always rendered whole.
   */
  blockCache?: Map<string, readonly ContentBlock[]> | undefined
}

/**
 * Create the render phase: mdast to hast (with Ferrule's nodes), heading links, highlighting with
 * the build's one highlighter, HTML. Raw HTML in chapters is kept, as mdBook keeps it.
 */
export function createChapterRenderer(highlighter: Highlighter, options: ChapterRendererOptions = {}): ChapterRenderer {
  const processor = unified()
    .use(remarkRehype, { handlers, allowDangerousHtml: true })
    .use(rehypeFerruleHeadingLinks)
    .use(options.verification ? [[rehypeFerruleVerification, { verification: options.verification }]] : [])
    // No time limit per line: shiki's default (500 ms) leaves the rest of a line unhighlighted when a
    // busy machine is slow to compile a grammar's patterns, and the same page would differ between builds.
    .use(rehypeShikiFromHighlighter, highlighter, { themes, defaultLanguage: 'text', fallbackLanguage: 'text', cache: options.codeCache, tokenizeTimeLimit: 0 })
    .use(rehypeStringify, { allowDangerousHtml: true })
    .freeze()
  // The HTML of each highlighted block shiki took from the code cache, by that block's tree: its
  // spans were most of what writing a large chapter wrote again on every edit.
  const codeHtml = new WeakMap<HastRoot, string>()
  const withCodeHtml = (tree: HastRoot): HastRoot => {
    visit(tree, (node, index, parent) => {
      // No code block is inside a paragraph.
      if (node.type === 'element' && node.tagName === 'p') return SKIP
      if (node.type !== 'root' || !parent || index === undefined) return undefined
      let html = codeHtml.get(node)
      if (html === undefined) codeHtml.set(node, (html = processor.stringify(node)))
      parent.children[index] = raw(html) as never
      return SKIP
    })
    return tree
  }
  const hastOf = (tree: Root, file: VFile): HastRoot => {
    const hast = processor.runSync(tree, file) as HastRoot
    return options.codeCache ? withCodeHtml(hast) : hast
  }
  const render = ((tree, file) => processor.stringify(hastOf(tree, file), file)) as ChapterRenderer
  render.hast = (tree, file) => processor.runSync(tree, file) as HastRoot
  render.stringify = (tree) => processor.stringify(tree)
  // The HTML of a root is that of its children one after another (hast-util-to-html's `root`).
  const blocksOfHast = (hast: HastRoot) => hast.children.map((node) => contentBlock(node, processor.stringify(node as never)))
  const blockCache = options.blockCache
  render.blocks = (tree, file) => {
    if (!blockCache || !standsAlone(tree, file)) return blocksOfHast(hastOf(tree, file))
    // Each top-level block on its own, as mdast-util-to-hast's `root` puts them together: the nodes
    // of each, a line break between two blocks that make any.
    const blocks: ContentBlock[] = []
    for (const node of tree.children) {
      const key = blockKey(file.path, node)
      let made = blockCache.get(key)
      if (made === undefined) blockCache.set(key, (made = blocksOfHast(hastOf({ type: 'root', children: [node] }, file))))
      if (made.length === 0) continue
      if (blocks.length > 0) blocks.push(lineBreak)
      blocks.push(...made)
    }
    return blocks
  }
  return render
}

const lineBreak: ContentBlock = contentBlock({ type: 'text', value: '\n' }, '\n')

/**
 * Whether each top-level block of a chapter renders the same on its own as among the others: not
 * when the chapter has footnotes (numbered, and listed at its end) or link definitions (which
 * references anywhere use).
 */
function standsAlone(tree: Root, file: VFile): boolean {
  if (String(file.value).includes('[^')) return false
  let definitions = false
  visitBlocks(tree, 'definition', () => {
    definitions = true
    return EXIT
  })
  return !definitions
}

/**
 * What a top-level block renders from: its chapter (whose path a block may show) and the block, as
 * JSON without its positions, which an edit above it moves but which its HTML does not show.
 */
function blockKey(chapter: string, node: RootContent): string {
  // Hashed, so that the cache holds a short key per block rather than the block over again.
  return hash('sha1', chapter + '\0' + JSON.stringify(node, (key, value) => (key === 'position' ? undefined : value)))
}
