import { CRATE_NAME_ALPHABET } from '../alphabet.ts'
import type { Match, TyposquatCheck } from '../check.ts'
import { showCharacter, showName } from '../check.ts'
import { HASH_BASE } from '../corpus.ts'

export const ruleId = 'typo.omitted'

const alphabetCodes = Int32Array.from(CRATE_NAME_ALPHABET, (character) => character.charCodeAt(0))

/**
 * A candidate that omits one character of a corpus name: insert each alphabet character at each
 * position. That is 64 edits per position, so each edit is first looked up by its hash, computed
 * from the hashes of the candidate's prefix and suffix (see `nameHash`), and only edits whose hash
 * is in the corpus are built as strings.
 */
export const omitted: TyposquatCheck = {
  name: 'omitted',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    const length = candidate.length
    // prefix[i]: hash of candidate[0, i); suffix[i]: hash of candidate[i, length); power[k]: HASH_BASE^k.
    const prefix = new Uint32Array(length + 1)
    const suffix = new Uint32Array(length + 1)
    const power = new Uint32Array(length + 2)
    power[0] = 1
    for (let k = 1; k <= length + 1; k++) power[k] = Math.imul(power[k - 1]!, HASH_BASE)
    for (let i = 0; i < length; i++) prefix[i + 1] = Math.imul(prefix[i]!, HASH_BASE) + candidate.charCodeAt(i)
    for (let i = length - 1; i >= 0; i--) suffix[i] = Math.imul(candidate.charCodeAt(i), power[length - 1 - i]!) + suffix[i + 1]!
    const filter = corpus.hashFilter
    const mask = filter.length * 32 - 1
    for (let position = 0; position <= length; position++) {
      const head = Math.imul(prefix[position]!, power[length - position + 1]!)
      const tail = suffix[position]!
      const scale = power[length - position]!
      for (let letter = 0; letter < alphabetCodes.length; letter++) {
        const code = alphabetCodes[letter]!
        // mayHaveHash, inlined: this loop runs 64 times per position.
        const bit = (head + Math.imul(code, scale) + tail) & mask
        if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) continue
        const character = String.fromCharCode(code)
        const crate = candidate.slice(0, position) + character + candidate.slice(position)
        if (corpus.byName.has(crate)) {
          yield { crate, edit: `${showName(candidate)} lacks the ${showCharacter(character)} at position ${position + 1} of ${showName(crate)}` }
        }
      }
    }
  },
  message: (crate, edit) => `omits characters in ${showName(crate)}: ${edit}`,
}
