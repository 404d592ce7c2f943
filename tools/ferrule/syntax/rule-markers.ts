import type { BlockContent, Paragraph, Parent, Root, RootContent } from 'mdast'
import type { Position } from 'unist'
import { toString } from 'mdast-util-to-string'
import { EXIT, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { location, type Location } from 'vfile-location'
import { report } from '../diagnostics.ts'
import { withoutFirstLine } from './first-line.ts'
import { mdastToPlainText } from './plain-text.ts'
import { ruleIdPattern, type RuleFact, type RuleNode } from './types.ts'

/** `r[...]` whose ID breaks the grammar. */
export const malformedRuleId = 'malformed-rule-id'
/** `r[ID]` with no block after it. */
export const danglingRuleMarker = 'dangling-rule-marker'
/** `r[ID]` on a line inside a paragraph, where it cannot start a rule. */
export const misplacedRuleMarker = 'misplaced-rule-marker'

/** Blocks a rule marker may identify. */
const identifiable = new Set(['paragraph', 'heading', 'list', 'table', 'code', 'blockquote', 'html', 'math', 'ferruleAdmonition'])
/** Containers whose blocks may carry rule markers of their own. */
const containers = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition', 'ferruleAdmonition'])

const markerLine = /^r\[([^\]\n]*)\][ \t\r]*$/
const innerMarker = /\n([ \t>]*)(r\[[^\]\n]*\])[ \t\r]*(?=\n|$)/g

interface State {
  file: VFile
  source: string
  place: Location
  rules: RuleFact[]
  /** The text of the last heading seen, in document order. */
  section: string | undefined
}

/**
 * Find rule markers, a line `r[ID]` directly before a block, and wrap each identified block in a
 * `ferruleRule` node. Records the rules in `file.data.rules`.
 */
export default function remarkFerruleRuleMarkers() {
  return (tree: Root, file: VFile): void => {
    const state: State = { file, source: String(file), place: location(file), rules: [], section: undefined }
    transformChildren(state, tree)
    file.data.rules = state.rules
  }
}

function transformChildren(state: State, parent: Parent): void {
  const children = parent.children as RootContent[]
  const result: RootContent[] = []
  for (let index = 0; index < children.length; index++) {
    const node = children[index]!
    if (node.type === 'heading') state.section = toString(node)
    const marker = node.type === 'paragraph' ? readMarker(state, node) : undefined
    if (node.type === 'paragraph') checkInnerMarkers(state, node)
    if (!marker) {
      descend(state, node)
      result.push(node)
      continue
    }

    // The block is the rest of the marker's paragraph, or else the next block.
    let block: RootContent | undefined = withoutFirstLine(state.source, state.place, node as Paragraph)
    const next = children[index + 1]
    if (!block && next && identifiable.has(next.type) && !(next.type === 'paragraph' && readMarker(state, next))) {
      block = next
      index++
    }

    if (!ruleIdPattern.test(marker.id)) {
      report(state.file, 'error', malformedRuleId, `Unexpected rule ID \`${marker.id}\`, expected dot-separated segments of \`a-z\`, \`0-9\`, \`_\` and \`-\``, {
        place: marker.position,
        hint: suggestId(marker.id),
      })
      // Keep the block, so that the rest of the page still reads as written.
      if (block) {
        descend(state, block)
        result.push(block)
      }
      continue
    }
    if (!block) {
      report(state.file, 'error', danglingRuleMarker, `Rule marker \`r[${marker.id}]\` is not followed by a block`, {
        place: marker.position,
        hint: 'Put the marker on the line directly before the paragraph, list, table, code block or heading it identifies',
      })
      continue
    }

    if (block.type === 'heading') state.section = toString(block)
    let defines: string | undefined
    visit(block, 'emphasis', (emphasis) => {
      defines = toString(emphasis)
      return EXIT
    })
    state.rules.push({ id: marker.id, position: marker.position, text: mdastToPlainText(block), block: block.type, section: state.section, defines })
    descend(state, block)
    result.push({
      type: 'ferruleRule',
      id: marker.id,
      children: [block as BlockContent],
      position: { start: marker.position.start, end: block.position?.end ?? marker.position.end },
    } satisfies RuleNode)
  }
  parent.children = result
}

function descend(state: State, node: RootContent): void {
  if (node.type === 'list') for (const item of node.children) transformChildren(state, item)
  else if (containers.has(node.type)) transformChildren(state, node as Parent)
}

function readMarker(state: State, paragraph: Paragraph): { id: string; position: Position } | undefined {
  const start = paragraph.position?.start.offset
  const end = paragraph.position?.end.offset
  if (start === undefined || end === undefined || state.source.charCodeAt(start) !== 114 /* r */) return undefined
  const newline = state.source.indexOf('\n', start)
  const lineEnd = newline === -1 || newline > end ? end : newline
  const match = markerLine.exec(state.source.slice(start, lineEnd))
  if (!match) return undefined
  const startPoint = paragraph.position!.start
  const endPoint = state.place.toPoint(start + match[0].trimEnd().length)
  return { id: match[1]!, position: { start: startPoint, end: endPoint ?? startPoint } }
}

function checkInnerMarkers(state: State, paragraph: Paragraph): void {
  const start = paragraph.position?.start.offset
  const end = paragraph.position?.end.offset
  if (start === undefined || end === undefined) return
  const text = state.source.slice(start, end)
  if (!text.includes('r[')) return
  for (const match of text.matchAll(innerMarker)) {
    const offset = start + match.index + 1 + match[1]!.length
    report(state.file, 'error', misplacedRuleMarker, `Rule marker \`${match[2]}\` is inside a paragraph, so it identifies nothing`, {
      place: state.place.toPoint(offset),
      hint: 'Put a blank line before the marker so that it starts the block it identifies',
    })
  }
}

function suggestId(id: string): string | undefined {
  const fixed = id
    .toLowerCase()
    .trim()
    .replace(/[\s/:]+/g, '-')
    .replace(/[^a-z0-9_.-]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '')
  return fixed && ruleIdPattern.test(fixed) ? `Did you mean \`r[${fixed}]\`?` : undefined
}
