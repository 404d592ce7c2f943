import { report } from '../diagnostics.ts'
import type { SpecIndex } from './spec-index.ts'
import type { ParsedChapter } from './types.ts'

/** A term rule no rule link points to: a definition nobody uses, or uses without linking it. */
export const ruleId = 'unused-term'

/** Report each term rule that defines a word but is the target of no rule link anywhere in the book. */
export function checkUnusedTerms(index: SpecIndex, chapters: readonly ParsedChapter[]): void {
  const linked = new Set<string>()
  for (const chapter of chapters) for (const ref of chapter.file.data.ruleRefs ?? []) if (ref.linked) linked.add(ref.id)
  const files = new Map(chapters.map((chapter) => [chapter.path, chapter.file]))
  for (const id of index.ids) {
    const rule = index.rules.get(id)!
    if (rule.kind !== 'term' || rule.defines === undefined || linked.has(id)) continue
    const file = files.get(rule.chapter)
    if (!file) continue
    report(file, 'warning', ruleId, `Term *${rule.defines}* (\`${id}\`) is never linked to`, {
      place: rule.position,
      hint: `Link a use of it with \`[${rule.defines}][${id}]\`, or drop the definition`,
    })
  }
}
