import type { Root } from 'hast'
import { SKIP, visit } from 'unist-util-visit'

const headings = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])
const noHeadingInside = new Set(['p', 'pre'])

/** Make each heading with an `id` a link to itself, as mdBook does, so sections are linkable without script. */
export default function rehypeFerruleHeadingLinks() {
  return (tree: Root): void => {
    visit(tree, 'element', (node) => {
      // No heading is inside a paragraph or a code block; a heading's content is inline.
      if (noHeadingInside.has(node.tagName)) return SKIP
      if (!headings.has(node.tagName)) return undefined
      if (typeof node.properties.id === 'string') {
        node.children = [{ type: 'element', tagName: 'a', properties: { className: ['header'], href: '#' + node.properties.id }, children: node.children }]
      }
      return SKIP
    })
  }
}
