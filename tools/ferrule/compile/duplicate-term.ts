import { VFileMessage } from 'vfile-message'
import { report, source, where } from '../diagnostics.ts'
import type { SpecIndex } from './spec-index.ts'
import type { ParsedChapter } from './types.ts'

/** Two term rules define the same word: a reader could not tell which definition holds. */
export const ruleId = 'duplicate-term'

/**
 * Report each word that two or more term rules define (case and white space aside), at every
 * definition after the first, naming the first.
 */
export function checkDuplicateTerms(index: SpecIndex, chapters: readonly ParsedChapter[]): void {
  const files = new Map(chapters.map((chapter) => [chapter.path, chapter.file]))
  const first = new Map<string, string>()
  for (const id of index.ids) {
    const rule = index.rules.get(id)!
    if (rule.kind !== 'term' || rule.defines === undefined) continue
    const word = rule.defines.toLowerCase().replace(/\s+/g, ' ').trim()
    const earlier = first.get(word)
    if (earlier === undefined) {
      first.set(word, id)
      continue
    }
    const other = index.rules.get(earlier)!
    const file = files.get(rule.chapter)
    const otherFile = files.get(other.chapter)
    if (!file || !otherFile) continue
    const cause = new VFileMessage(`First defined here, by \`${earlier}\``, { place: other.position, ruleId, source })
    cause.file = otherFile.path
    report(file, 'error', ruleId, `Term *${rule.defines}* is defined again by \`${id}\`, first by \`${earlier}\` at ${where(otherFile, other.position)}`, {
      place: rule.position,
      hint: 'Keep one definition and link to it, or define a different word',
      cause,
    })
  }
}
