import rehypeShikiFromHighlighter from '@shikijs/rehype/core'
import type { Root } from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { handlers } from './handlers.ts'
import rehypeFerruleHeadingLinks from './heading-links.ts'
import { themes, type Highlighter } from './highlighter.ts'

/** Renders a linked chapter tree to the HTML of its content. */
export type ChapterRenderer = (tree: Root, file: VFile) => string

/**
 * Create the render phase: mdast to hast (with Ferrule's nodes), heading links, highlighting with
 * the build's one highlighter, HTML. Raw HTML in chapters is kept, as mdBook keeps it.
 */
export function createChapterRenderer(highlighter: Highlighter): ChapterRenderer {
  const processor = unified()
    .use(remarkRehype, { handlers, allowDangerousHtml: true })
    .use(rehypeFerruleHeadingLinks)
    .use(rehypeShikiFromHighlighter, highlighter, { themes, defaultLanguage: 'text', fallbackLanguage: 'text' })
    .use(rehypeStringify, { allowDangerousHtml: true })
    .freeze()
  return (tree, file) => processor.stringify(processor.runSync(tree, file), file)
}
