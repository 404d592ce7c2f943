import type { Match, TyposquatCheck } from '../check.ts'
import { showName } from '../check.ts'
import { type Corpus, lazyIndex } from '../corpus.ts'

export const ruleId = 'typo.swapped-words'

/** The most words a permutation takes, as Typomania. */
export const MAX_SWAPPED_WORDS = 5

const delimiters = /[-_]/

interface WordIndex {
  /** Corpus names of two or more words joined by one delimiter, by their words sorted. */
  byWords: Map<string, string[]>
  /** Every word of those names. */
  words: Set<string>
}

/**
 * Typomania splits the candidate on `-` and `_`, takes every permutation of k = min(n, 5) of its n
 * words and joins each with each delimiter. Those joins are exactly the corpus names of k words,
 * joined by one delimiter, whose words are a sub-multiset of the candidate's; so the corpus is
 * indexed by sorted words once, and the candidate's k-word subsets are looked up instead of
 * building up to P(n, 5) * 2 strings (for a 32-word name, 48 million).
 */
function wordIndex(corpus: Corpus): WordIndex {
  return lazyIndex(corpus, 'swapped-words', () => {
    const index: WordIndex = { byWords: new Map(), words: new Set() }
    for (const { name } of corpus.records) {
      const words = name.split(delimiters)
      if (words.length < 2) continue
      // A name that mixes delimiters is no single join.
      if (name.includes('-') && name.includes('_')) continue
      const key = [...words].sort().join('\0')
      const names = index.byWords.get(key)
      if (names) names.push(name)
      else index.byWords.set(key, [name])
      for (const word of words) index.words.add(word)
    }
    return index
  })
}

/** Every k-element subset of `items` (by position), in lexicographic order of positions. */
function* subsets<T>(items: readonly T[], k: number, start = 0, chosen: T[] = []): Generator<T[]> {
  if (chosen.length === k) {
    yield chosen
    return
  }
  for (let index = start; index <= items.length - (k - chosen.length); index++) {
    chosen.push(items[index]!)
    yield* subsets(items, k, index + 1, chosen)
    chosen.pop()
  }
}

/** A candidate whose words are those of a corpus name in another order, or joined by the other delimiter. */
export const swappedWords: TyposquatCheck = {
  name: 'swapped-words',
  ruleId,
  *matches(corpus, candidate): Iterable<Match> {
    const words = candidate.split(delimiters)
    if (words.length < 2) return
    const k = Math.min(words.length, MAX_SWAPPED_WORDS)
    const index = wordIndex(corpus)
    // Words in no multi-word corpus name cannot be part of a match.
    const known = words.filter((word) => index.words.has(word))
    if (known.length < k) return
    const seen = new Set<string>()
    for (const subset of subsets(known, k)) {
      const key = [...subset].sort().join('\0')
      if (seen.has(key)) continue
      seen.add(key)
      for (const crate of index.byWords.get(key) ?? []) yield { crate, edit: describe(candidate, words, crate, k) }
    }
  },
  message: (crate, edit) => `swaps words in ${showName(crate)}: ${edit}`,
}

function describe(candidate: string, words: readonly string[], crate: string, k: number): string {
  const crateWords = crate.split(delimiters)
  const delimiter = crate.includes('-') ? '-' : '_'
  if (k < words.length) return `${showName(candidate)} holds the words of ${showName(crate)} among ${words.length} words`
  if (crateWords.join('\0') === words.join('\0')) {
    const used = candidate.includes('-') && candidate.includes('_') ? 'both `-` and `_`' : `\`${delimiter === '-' ? '_' : '-'}\``
    return `${showName(candidate)} joins the words of ${showName(crate)} with ${used} instead of \`${delimiter}\``
  }
  return `${showName(candidate)} has the words of ${showName(crate)} in another order`
}
