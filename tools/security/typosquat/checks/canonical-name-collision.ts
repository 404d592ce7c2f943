import { canonicalCrateName } from '../../crate-name/index.ts'
import type { Match, TyposquatCheck } from '../check.ts'
import { showName } from '../check.ts'
import { canonicalIndex } from '../corpus.ts'

export const ruleId = 'typo.canonical-name-collision'

/**
 * A candidate that is another spelling of a corpus name: the same canonical form
 * (`sec.crate-name.canonical`), so crates.io's uniqueness rule treats them as one crate.
 */
export const canonicalNameCollision: TyposquatCheck = {
  name: 'canonical-name-collision',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    const canonical = canonicalCrateName(candidate)
    for (const crate of canonicalIndex(corpus).get(canonical) ?? []) {
      yield { crate, edit: `${showName(candidate)} and ${showName(crate)} are both ${showName(canonical)} in canonical form` }
    }
  },
  message: (crate, edit) => `is the same crate name as ${showName(crate)} to crates.io: ${edit}`,
}
