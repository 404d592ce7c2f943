import type { Match, TyposquatCheck } from '../check.ts'
import { showCharacter, showName } from '../check.ts'

export const ruleId = 'typo.swapped-characters'

/** A candidate that swaps two adjacent, different characters of a corpus name. */
export const swappedCharacters: TyposquatCheck = {
  name: 'swapped-characters',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    for (let index = 0; index + 1 < candidate.length; index++) {
      const a = candidate[index]!
      const b = candidate[index + 1]!
      if (a === b) continue
      const crate = candidate.slice(0, index) + b + a + candidate.slice(index + 2)
      if (corpus.byName.has(crate)) {
        yield { crate, edit: `${showName(candidate)} has ${showCharacter(a)} and ${showCharacter(b)} swapped at positions ${index + 1} and ${index + 2}` }
      }
    }
  },
  message: (crate, edit) => `swaps characters in ${showName(crate)}: ${edit}`,
}
