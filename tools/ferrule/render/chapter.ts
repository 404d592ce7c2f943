import rehypeShikiFromHighlighter from '@shikijs/rehype/core'
import type { Root as HastRoot } from 'hast'
import type { Root } from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
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
  render.blocks = (tree, file) => hastOf(tree, file).children.map((node) => contentBlock(node, processor.stringify(node as never)))
  return render
}
