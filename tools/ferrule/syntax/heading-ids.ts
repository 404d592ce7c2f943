import type { Heading, Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'

const customId = /[ \t]*\{#([^\s}]+)\}[ \t]*$/
const htmlId = /\bid=["']([^"']+)["']/g

/**
 * Give every heading an `id` by mdBook's scheme, so that links written for an mdBook build keep
 * working; `# Title {#custom}` sets it explicitly. Adds heading IDs and `id`s found in raw HTML to
 * `file.data.anchors`.
 */
export default function remarkFerruleHeadingIds() {
  return (tree: Root, file: VFile): void => {
    const anchors = (file.data.anchors ??= new Set())
    const counts = new Map<string, number>()
    visit(tree, (node) => {
      if (node.type === 'html') {
        for (const match of node.value.matchAll(htmlId)) anchors.add(match[1]!)
        return
      }
      if (node.type !== 'heading') return
      const id = uniqueId(counts, takeCustomId(node) ?? headingTextToId(toString(node)))
      anchors.add(id)
      node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } }
    })
  }
}

/**
 * mdBook's `normalize_id`: letters and digits (any script) lower-cased, `-` and `_` kept, white space
 * becomes `-`, everything else dropped.
 */
export function headingTextToId(text: string): string {
  let id = ''
  for (const char of text) {
    if (/[\p{Alphabetic}\p{N}_-]/u.test(char)) id += char.length === 1 && char < '\x80' ? char.toLowerCase() : char
    else if (/\s/u.test(char)) id += '-'
  }
  return id
}

/** mdBook's `unique_id_from_content`: the second `foo` on a page is `foo-1`, the third `foo-2`. */
function uniqueId(counts: Map<string, number>, id: string): string {
  const seen = counts.get(id)
  counts.set(id, (seen ?? 0) + 1)
  return seen === undefined ? id : `${id}-${seen}`
}

function takeCustomId(heading: Heading): string | undefined {
  const last = heading.children.at(-1)
  if (last?.type !== 'text') return undefined
  const match = customId.exec(last.value)
  if (!match) return undefined
  last.value = last.value.slice(0, match.index)
  return match[1]
}
