import type { Corpus } from './corpus.ts'

/** The checks' names, as results and `cratesec typosquat --json` report them. */
export type CheckName =
  | 'repeated'
  | 'swapped-characters'
  | 'swapped-words'
  | 'omitted'
  | 'typos'
  | 'version'
  | 'bitflips'
  | 'affixes'
  | 'confusables'
  | 'canonical-name-collision'

/** A corpus name that a candidate may imitate, and the edit that turns one into the other. */
export interface Match {
  /** The corpus crate. */
  crate: string
  /** Which edit made the match, as a sentence fragment (`typo.explanation`). */
  edit: string
}

/**
 * One typosquatting check.
 *
 * To add a new check:
 * 1. Write `checks/NAME.ts` exporting `ruleId` (the rule that specifies it) and a `TyposquatCheck`.
 * 2. Add its name to {@link CheckName} and the check to `checks` in `check-name.ts`; the position in
 *    that list is its place in the order of results.
 * 3. Specify it as its own rule with a running example in `spec/security/typosquatting.md`, and test
 *    it in `test/security/typosquat-checks.test.ts` under that rule's ID.
 */
export interface TyposquatCheck {
  name: CheckName
  ruleId: string
  /**
   * The corpus names that `candidate` may imitate by this check's kind of edit, each with its edit.
   * Only names in the corpus; they may repeat and may include the candidate itself or crates of the
   * same owner: the caller filters them (`typo.not-a-squat`).
   */
  matches(corpus: Corpus, candidate: string): Iterable<Match>
  /**
   * The message of a match: Typomania's phrase for it, then the edit ("omits characters in
   * `serde`: `sede` lacks the `r` at position 3 of `serde`").
   */
  message(crate: string, edit: string): string
}

/** A character as a message shows it: printable ASCII in backticks, anything else by code point. */
export function showCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0
  if (codePoint > 0x20 && codePoint < 0x7f && character !== '`') return `\`${character}\``
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
}

/** A name as a message shows it: in backticks, with anything but printable ASCII by code point. */
export function showName(name: string): string {
  let shown = ''
  for (const character of name) {
    const codePoint = character.codePointAt(0) ?? 0
    shown += codePoint > 0x20 && codePoint < 0x7f && character !== '`' ? character : `<U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}>`
  }
  return `\`${shown}\``
}
