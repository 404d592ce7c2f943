import type { TyposquatCheck } from '../check.ts'
import { showName } from '../check.ts'

export const ruleId = 'typo.version'

/**
 * A candidate that adds a version number to a corpus name: strip the trailing digits, then the
 * trailing `-` (only `-`, as Typomania: `abc_2` gives `abc_`).
 */
export const version: TyposquatCheck = {
  name: 'version',
  ruleId,
  *matches(corpus, candidate) {
    const crate = candidate.replace(/[0-9]+$/, '').replace(/-+$/, '')
    if (crate !== '' && crate !== candidate && corpus.byName.has(crate)) {
      yield { crate, edit: `${showName(candidate)} adds ${showName(candidate.slice(crate.length))} to it` }
    }
  },
  message: (crate, edit) => `only changes the version from ${showName(crate)}: ${edit}`,
}
