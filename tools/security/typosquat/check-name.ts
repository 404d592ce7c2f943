import { compareCrateNames } from '../crate-name/index.ts'
import type { CheckName, TyposquatCheck } from './check.ts'
import { affixes } from './checks/affixes.ts'
import { bitflips } from './checks/bitflips.ts'
import { canonicalNameCollision } from './checks/canonical-name-collision.ts'
import { confusables } from './checks/confusables.ts'
import { omitted } from './checks/omitted.ts'
import { repeated } from './checks/repeated.ts'
import { swappedCharacters } from './checks/swapped-characters.ts'
import { swappedWords } from './checks/swapped-words.ts'
import { typos } from './checks/typos.ts'
import { version } from './checks/version.ts'
import { type Corpus, isPossibleSquat } from './corpus.ts'

/** Every check, in the order results list them (`typo.order`). */
export const CHECKS: readonly TyposquatCheck[] = Object.freeze([
  repeated,
  swappedCharacters,
  swappedWords,
  omitted,
  typos,
  version,
  bitflips,
  affixes,
  confusables,
  canonicalNameCollision,
])

/** One possible squat: which check found it, the crate it imitates and why. */
export interface Squat {
  check: CheckName
  /** The corpus crate that the candidate may imitate. */
  crate: string
  /** A sentence for a person: the check's phrase, then the edit ("omits characters in `serde`: ..."). */
  message: string
  /** The edit that made the match (`typo.explanation`). */
  edit: string
}

/** Options of {@link checkName}. */
export interface CheckNameOptions {
  /** The publisher's owners (`user:ID`, `team:ID`): crates they share an owner with are not squatted. Default: none. */
  owners?: Iterable<string>
  /** The checks to run. Default: {@link CHECKS}. */
  checks?: readonly TyposquatCheck[]
}

/**
 * The possible squats of `candidate` on `corpus` (`typo.intro`):
 *
 * 1. A name that is in the corpus is no squat at all (`typo.known`).
 * 2. Each check proposes the corpus names the candidate may imitate; those that are the candidate
 *    itself or share an owner with the publisher are dropped (`typo.not-a-squat`).
 * 3. One result per check and crate, the first edit found; ordered by check, then crate name
 *    (`typo.order`).
 */
export function checkName(corpus: Corpus, candidate: string, options?: CheckNameOptions): Squat[] {
  // 1.
  if (corpus.byName.has(candidate)) return []
  const owners = new Set(options?.owners ?? [])
  const squats: Squat[] = []
  for (const check of options?.checks ?? CHECKS) {
    // 2.
    const found = new Map<string, string>()
    for (const { crate, edit } of check.matches(corpus, candidate)) {
      if (found.has(crate) || !isPossibleSquat(corpus, crate, candidate, owners)) continue
      found.set(crate, edit)
    }
    // 3.
    for (const crate of [...found.keys()].sort(compareCrateNames)) {
      const edit = found.get(crate)!
      squats.push({ check: check.name, crate, message: check.message(crate, edit), edit })
    }
  }
  return squats
}
