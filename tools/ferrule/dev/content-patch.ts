import type { ContentBlock } from '../render/content-blocks.ts'
import type { ContentPatch } from './messages.ts'

/**
 * How a chapter's content went from `old` to `next` blocks, as the page can apply it without parsing
 * the whole new page (on a long chapter, most of what an update cost in the browser):
 *
 * 1. Skip the blocks both begin with and end with (the edit is between them).
 * 2. Widen that to the nearest block on each side that is an element with an `id` found only once in
 *    both contents: the page finds those two again by their `id`.
 * 3. The patch is the HTML of the new blocks between the two, which replaces what the page has there.
 *
 * `undefined` when no such pair surrounds the change (an edit of the first heading, or after the
 * last rule), when the contents are the same, or when a new block between them is raw HTML of the
 * book, which a browser might parse differently on its own: the page then takes the whole new page.
 */
export function contentPatch(old: readonly ContentBlock[], next: readonly ContentBlock[]): ContentPatch | undefined {
  // 1.
  let start = 0
  while (start < old.length && start < next.length && old[start]!.html === next[start]!.html) start++
  if (start === old.length && start === next.length) return undefined
  let end = 0
  while (end < old.length - start && end < next.length - start && old[old.length - 1 - end]!.html === next[next.length - 1 - end]!.html) end++

  // 2. Blocks up to `start` and from `old.length - end` are the same in both.
  const once = idsFoundOnce(old, next)
  const isAnchor = (block: ContentBlock) => block.id !== null && once.has(block.id)
  let after = start - 1
  while (after >= 0 && !isAnchor(old[after]!)) after--
  let before = old.length - end
  while (before < old.length && !isAnchor(old[before]!)) before++
  if (after < 0 || before >= old.length) return undefined

  // 3.
  const inserted = next.slice(after + 1, before - old.length + next.length)
  if (!inserted.every((block) => block.selfContained)) return undefined
  return { after: old[after]!.id!, before: old[before]!.id!, html: inserted.map((block) => block.html).join('') }
}

/** The `id`s of top-level blocks that occur once in `old` and once in `next`. */
function idsFoundOnce(old: readonly ContentBlock[], next: readonly ContentBlock[]): Set<string> {
  const counts = (blocks: readonly ContentBlock[]) => {
    const seen = new Map<string, number>()
    for (const { id } of blocks) if (id !== null) seen.set(id, (seen.get(id) ?? 0) + 1)
    return seen
  }
  const inOld = counts(old)
  const inNext = counts(next)
  return new Set([...inOld].filter(([id, count]) => count === 1 && inNext.get(id) === 1).map(([id]) => id))
}
