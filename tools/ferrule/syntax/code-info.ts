import type { Code, Root } from 'mdast'
import { visitParents } from 'unist-util-visit-parents'
import type { VFile } from 'vfile'
import type { ExampleFact } from './types.ts'

/**
 * Split mdBook-style info strings (` ```rust,ignore `) into the language and its attributes, and
 * record every fenced code block with the rule it stands in in `file.data.examples`.
 *
 * A block stands in the rule of its nearest enclosing rule marker, or else in the last rule marked
 * before it in the same section: a heading ends the section.
 */
export default function remarkFerruleCodeInfo() {
  return (tree: Root, file: VFile): void => {
    const examples: ExampleFact[] = []
    let current: string | undefined
    visitParents(tree, (node, ancestors) => {
      if (node.type === 'ferruleRule') {
        current = node.id
        return
      }
      if (node.type === 'heading') {
        if (ancestors.at(-1)?.type !== 'ferruleRule') current = undefined
        return
      }
      if (node.type !== 'code') return
      splitInfo(node)
      const attributes = node.meta ? node.meta.split(/[\s,]+/).filter(Boolean) : []
      examples.push({ lang: node.lang ?? undefined, attributes, rule: current, position: node.position, node })
    })
    file.data.examples = examples
  }
}

function splitInfo(node: Code): void {
  if (!node.lang?.includes(',')) return
  const [lang, ...rest] = node.lang.split(',')
  node.lang = lang || null
  node.meta = [rest.join(' '), node.meta].filter(Boolean).join(' ') || null
}
