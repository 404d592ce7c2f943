import type { Node, Parent } from 'unist'
import { SKIP, visit, type VisitorResult } from 'unist-util-visit'

/**
 * mdast nodes whose content is inline (text, emphasis, links, inline code...) or, for a table, rows
 * of cells of inline content: no block node (code, block quote, definition, rule...) is ever inside
 * one. Inline content makes up most of a chapter's nodes.
 */
const inlineHolders: ReadonlySet<string> = new Set(['paragraph', 'heading', 'table'])

/**
 * `visit(tree, type, visitor)` for a block type (`code`, `blockquote`, `definition`, `ferruleRule`,
 * `ferruleGrammar`): the same nodes, in the same order, with the same control over the walk, but
 * without walking into paragraphs, headings and tables, which hold no block.
 */
export function visitBlocks<T extends Node>(tree: Node, type: string, visitor: (node: T, index: number | undefined, parent: Parent | undefined) => VisitorResult): void {
  visit(tree, (node, index, parent) => {
    if (node.type === type) return visitor(node as T, index, parent as Parent | undefined)
    return inlineHolders.has(node.type) ? SKIP : undefined
  })
}

/** Whether `node` holds only inline content (`inlineHolders`): a walk after blocks may skip what is inside. */
export function holdsNoBlock(node: Node): boolean {
  return inlineHolders.has(node.type)
}
