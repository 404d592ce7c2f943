import type { Blockquote, Root } from 'mdast'
import type { VFile } from 'vfile'
import { location, type Location } from 'vfile-location'
import { visitBlocks } from './blocks.ts'
import { withoutFirstLine } from './first-line.ts'
import type { AdmonitionNode } from './types.ts'

/**
 * Labels of the admonition kinds that read better than their upper-case name.
 *
 * To add a new kind: 1. authors can already write `> [!ANY-KIND]`, which is labelled "Any kind";
 * 2. add it here only when that label reads badly; 3. style `.admonition-any-kind` in the theme's CSS
 * if it needs its own colour.
 */
const labels: Record<string, string> = {
  note: 'Note',
  warning: 'Warning',
  example: 'Example',
  tip: 'Tip',
  important: 'Important',
  caution: 'Caution',
}

const alertStart = /^\[!([A-Z][A-Z0-9-]*)\][ \t]*(?:\n|$)/

/** Turn GFM alerts (`> [!NOTE]` as the first line of a block quote) into `ferruleAdmonition` nodes. */
export default function remarkFerruleAdmonitions() {
  return (tree: Root, file: VFile): void => {
    const source = String(file)
    const place = location(file)
    visitBlocks<Blockquote>(tree, 'blockquote', (node, index, parent) => {
      if (!parent || index === undefined) return
      const admonition = blockquoteToAdmonition(source, place, node)
      if (admonition) parent.children[index] = admonition as never
    })
  }
}

function blockquoteToAdmonition(source: string, place: Location, node: Blockquote): AdmonitionNode | undefined {
  const paragraph = node.children[0]
  const text = paragraph?.type === 'paragraph' ? paragraph.children[0] : undefined
  if (!paragraph || paragraph.type !== 'paragraph' || text?.type !== 'text') return undefined
  const match = alertStart.exec(text.value)
  if (!match) return undefined

  const kind = match[1]!.toLowerCase()
  const rest = withoutFirstLine(source, place, paragraph)
  const children: AdmonitionNode['children'] = rest ? [rest, ...node.children.slice(1)] : node.children.slice(1)
  return { type: 'ferruleAdmonition', kind, label: labelOf(kind), children, position: node.position }
}

/** `note` is "Note", `edition-2024` is "2024 Edition differences", `my-kind` is "My kind". */
export function labelOf(kind: string): string {
  const known = labels[kind]
  if (known) return known
  const edition = /^edition-(\d{4})$/.exec(kind)
  if (edition) return `${edition[1]} Edition differences`
  const words = kind.replace(/-/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
