import type { Match, TyposquatCheck } from '../check.ts'
import { showName } from '../check.ts'

export const ruleId = 'typo.affixes'

/** The affixes that crate names commonly carry (`typo.affixes`). */
export const AFFIXES: readonly string[] = Object.freeze(['api', 'cargo', 'cli', 'core', 'lib', 'rs', 'rust', 'sys'])

/** The separators between an affix and the rest of the name. */
export const AFFIX_SEPARATORS: readonly string[] = Object.freeze(['-', '_'])

/**
 * A candidate that adds or removes a common affix, as a prefix (`rs-foo` for `foo`) or a suffix
 * (`foo` for `foo-sys`), with either separator.
 */
export const affixes: TyposquatCheck = {
  name: 'affixes',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    for (const separator of AFFIX_SEPARATORS) {
      for (const affix of AFFIXES) {
        const prefix = affix + separator
        const suffix = separator + affix
        const tried: [string, string][] = [
          [candidate.startsWith(prefix) ? candidate.slice(prefix.length) : '', `adds the \`${prefix}\` prefix to`],
          [prefix + candidate, `removes the \`${prefix}\` prefix from`],
          [candidate.endsWith(suffix) ? candidate.slice(0, -suffix.length) : '', `adds the \`${suffix}\` suffix to`],
          [candidate + suffix, `removes the \`${suffix}\` suffix from`],
        ]
        for (const [crate, what] of tried) {
          if (crate !== '' && corpus.byName.has(crate)) yield { crate, edit: `${what} ${showName(crate)}` }
        }
      }
    }
  },
  // The edit says it all: "adds the `-rs` suffix to `foo`".
  message: (_crate, edit) => edit,
}
