import type { Paragraph } from 'mdast'
import type { Location } from 'vfile-location'

/**
 * The paragraph without its first source line (a rule marker or an alert's `[!KIND]`), or
 * `undefined` when that line is all there is. Positions stay true to the source.
 */
export function withoutFirstLine(source: string, place: Location, paragraph: Paragraph): Paragraph | undefined {
  const start = paragraph.position?.start.offset
  const end = paragraph.position?.end.offset
  if (start === undefined || end === undefined) return undefined
  const newline = source.indexOf('\n', start)
  if (newline === -1 || newline >= end) return undefined

  const children: Paragraph['children'] = []
  for (const child of paragraph.children) {
    const childStart = child.position?.start.offset ?? 0
    const childEnd = child.position?.end.offset ?? 0
    if (childEnd <= newline) continue
    if (childStart <= newline && child.type === 'text') {
      child.value = child.value.slice(child.value.indexOf('\n') + 1)
      if (child.value === '') continue
      // Continuation lines lose their indent and `>` markers in the tree, not in the source.
      const restStart = newline + 1 + (/^[ \t>]*/.exec(source.slice(newline + 1, end))?.[0].length ?? 0)
      const point = place.toPoint(restStart)
      if (point && child.position) child.position = { start: point, end: child.position.end }
    }
    children.push(child)
  }
  if (children.length === 0) return undefined
  const first = children[0]!.position?.start
  return { ...paragraph, children, position: first ? { start: first, end: paragraph.position!.end } : paragraph.position }
}
