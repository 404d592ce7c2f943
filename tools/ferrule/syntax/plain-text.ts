import type { Nodes } from 'mdast'

/** Block containers whose children are separated by a line break in plain text. */
const blockContainers = new Set([
  'root', 'blockquote', 'list', 'listItem', 'table', 'footnoteDefinition', 'ferruleRule', 'ferruleAdmonition',
])

/**
 * The plain text of a node, as a reader would copy it: block children on their own lines, table
 * cells apart, raw HTML left out. (`mdast-util-to-string` runs list items and cells together.)
 */
export function mdastToPlainText(node: Nodes): string {
  switch (node.type) {
    case 'html':
    case 'yaml':
    case 'definition':
      return ''
    case 'break':
      return '\n'
    case 'image':
    case 'imageReference':
      return node.alt ?? ''
    case 'tableRow':
      return node.children.map(mdastToPlainText).join('\t')
    default: {
      if ('value' in node) return node.value
      if (!('children' in node)) return ''
      const separator = blockContainers.has(node.type) ? '\n' : ''
      return (node.children as Nodes[]).map(mdastToPlainText).join(separator)
    }
  }
}

/** White space collapsed to single spaces and trimmed: the form a fingerprint is taken of. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
