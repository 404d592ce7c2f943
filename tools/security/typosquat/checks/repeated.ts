import type { Match, TyposquatCheck } from '../check.ts'
import { showCharacter, showName } from '../check.ts'

export const ruleId = 'typo.repeated'

/** A candidate that repeats a character of a corpus name: drop one of each adjacent equal pair. */
export const repeated: TyposquatCheck = {
  name: 'repeated',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    for (let index = 0; index + 1 < candidate.length; index++) {
      const character = candidate[index]!
      // ASCII only, as Typomania: a pair of UTF-16 code units of one astral character is no repetition.
      if (character !== candidate[index + 1] || character.charCodeAt(0) > 0x7f) continue
      const crate = candidate.slice(0, index) + candidate.slice(index + 1)
      if (corpus.byName.has(crate)) {
        yield { crate, edit: `${showName(candidate)} repeats the ${showCharacter(character)} at position ${index + 1}` }
      }
    }
  },
  message: (crate, edit) => `repeats characters in ${showName(crate)}: ${edit}`,
}
