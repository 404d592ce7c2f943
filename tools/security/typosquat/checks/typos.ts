import type { Match, TyposquatCheck } from '../check.ts'
import { showCharacter, showName } from '../check.ts'
import { TYPO_TABLE } from '../typo-table.ts'

export const ruleId = 'typo.typos'

/**
 * A candidate that holds a common typo of a corpus name: replace each character that the typo
 * table knows by each of its replacements (which may be longer, as `m` for `rn`, or empty).
 */
export const typos: TyposquatCheck = {
  name: 'typos',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    for (let index = 0; index < candidate.length; index++) {
      const character = candidate[index]!
      const replacements = TYPO_TABLE.get(character)
      if (replacements === undefined) continue
      for (const replacement of replacements) {
        const crate = candidate.slice(0, index) + replacement + candidate.slice(index + 1)
        if (!corpus.byName.has(crate)) continue
        const instead = replacement === '' ? 'nothing' : showName(replacement)
        yield { crate, edit: `${showName(candidate)} has ${showCharacter(character)} at position ${index + 1} where ${showName(crate)} has ${instead}` }
      }
    }
  },
  message: (crate, edit) => `uses a common typo for ${showName(crate)}: ${edit}`,
}
