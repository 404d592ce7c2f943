import { isAlphabetCode } from '../alphabet.ts'
import type { Match, TyposquatCheck } from '../check.ts'
import { showCharacter, showName } from '../check.ts'

export const ruleId = 'typo.bitflips'

/**
 * A candidate that is a corpus name with one of the 7 low bits of one byte flipped, both staying
 * in the crate-name alphabet. A flip is its own inverse, so the corpus names to look up are the
 * flips of the candidate: nothing per corpus name is precomputed (Typomania precomputes the flips
 * of every corpus name).
 */
export const bitflips: TyposquatCheck = {
  name: 'bitflips',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    for (let index = 0; index < candidate.length; index++) {
      const code = candidate.charCodeAt(index)
      if (!isAlphabetCode(code)) continue
      for (let bit = 0; bit < 7; bit++) {
        const flipped = code ^ (1 << bit)
        if (!isAlphabetCode(flipped)) continue
        const character = String.fromCharCode(flipped)
        const crate = candidate.slice(0, index) + character + candidate.slice(index + 1)
        if (corpus.byName.has(crate)) {
          const from = `0x${flipped.toString(16).padStart(2, '0')}`
          const to = `0x${code.toString(16).padStart(2, '0')}`
          yield {
            crate,
            edit: `${showName(candidate)} has ${showCharacter(candidate[index]!)} (${to}) at position ${index + 1} where ${showName(crate)} has ${showCharacter(character)} (${from}): bit ${bit} flipped`,
          }
        }
      }
    }
  },
  message: (crate, edit) => `may be a bitflip of ${showName(crate)}: ${edit}`,
}
