import type { RootContent } from 'hast'

/**
 * One top-level node of a chapter's content (a heading, a rule, the line break between two blocks)
 * and its HTML: a chapter's content is the HTML of its blocks, one after another. The live preview
 * swaps only the blocks an edit changed into the open page (`dev/content-patch.ts`).
 */
export interface ContentBlock {
  html: string
  /** The element's `id`, when the block is an element with one: a place the preview can find again in the page. */
  id: string | null
  /**
   * Whether a browser parses `html` on its own into the nodes it makes of it within the page: true
   * for the elements, text and comments Ferrule writes, false for raw HTML (written in the book), which
   * may open an element that a later block closes.
   */
  selfContained: boolean
}

/** The block of `node`, whose HTML is `html`. */
export function contentBlock(node: RootContent, html: string): ContentBlock {
  const id = node.type === 'element' && typeof node.properties.id === 'string' ? node.properties.id : null
  return { html, id, selfContained: node.type !== 'raw' }
}
