import type { Match, TyposquatCheck } from '../check.ts'
import { showCharacter, showName } from '../check.ts'
import { type Corpus, lazyIndex } from '../corpus.ts'
import { skeleton } from '../skeleton.ts'

export const ruleId = 'typo.confusables'

function skeletonIndex(corpus: Corpus): ReadonlyMap<string, readonly string[]> {
  return lazyIndex(corpus, 'confusables', () => {
    const index = new Map<string, string[]>()
    for (const { name } of corpus.records) {
      const key = skeleton(name)
      const names = index.get(key)
      if (names) names.push(name)
      else index.set(key, [name])
    }
    return index
  })
}

/**
 * A candidate that is not ASCII and looks like a corpus name: their UTS #39 skeletons are equal
 * (`Ѕerde` with a Cyrillic `Ѕ` for `Serde`). ASCII candidates are left to the other checks: among
 * ASCII characters the skeleton only equates `l`, `I` and `1`, `0` and `O`, and `m` and `rn`, which
 * the typo table covers.
 */
export const confusables: TyposquatCheck = {
  name: 'confusables',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    if (/^[\x00-\x7f]*$/.test(candidate)) return
    const crates = skeletonIndex(corpus).get(skeleton(candidate))
    if (crates === undefined) return
    const lookalikes: string[] = []
    Array.from(candidate).forEach((character, index) => {
      if (character.charCodeAt(0) <= 0x7f) return
      const like = Array.from(skeleton(character)).map(showCharacter).join('')
      lookalikes.push(`${showCharacter(character)} at position ${index + 1} looks like ${like}`)
    })
    for (const crate of crates) yield { crate, edit: `in ${showName(candidate)}, ${lookalikes.join(', ')}` }
  },
  message: (crate, edit) => `looks like ${showName(crate)}: ${edit}`,
}
