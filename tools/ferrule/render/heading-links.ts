import type { Root } from 'hast'
import { visit } from 'unist-util-visit'

const headings = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])

/** Make each heading with an `id` a link to itself, as mdBook does, so sections are linkable without script. */
export default function rehypeFerruleHeadingLinks() {
  return (tree: Root): void => {
    visit(tree, 'element', (node) => {
      if (!headings.has(node.tagName) || typeof node.properties.id !== 'string') return
      node.children = [
        { type: 'element', tagName: 'a', properties: { className: ['header'], href: '#' + node.properties.id }, children: node.children },
      ]
    })
  }
}
