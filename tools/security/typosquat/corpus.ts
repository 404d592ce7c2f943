import { canonicalCrateName, compareCrateNames } from '../crate-name/index.ts'

/** One popular crate, as a corpus holds it. */
export interface CorpusRecord {
  /** The crate's name, exactly as the registry spells it. */
  name: string
  /** Its owners, `user:ID` or `team:ID`. */
  owners: readonly string[]
  /** Its all-time download count. */
  downloads: number
}

/** The default number of crates a corpus keeps (`typo.corpus.top`). */
export const DEFAULT_TOP_CRATES = 3000

/** Options of {@link createCorpus}. */
export interface CorpusOptions {
  /** How many of the most downloaded records to keep. Default: {@link DEFAULT_TOP_CRATES}. */
  top?: number
}

/**
 * The corpus of popular crates that candidate names are compared with. Built once per run; the
 * indexes that only some checks need are made the first time one of those checks runs.
 */
export interface Corpus {
  /** The kept records, most downloaded first, ties in crate-name order. */
  readonly records: readonly CorpusRecord[]
  /** Records by exact name. */
  readonly byName: ReadonlyMap<string, CorpusRecord>
  /**
   * A bit set of the names' {@link nameHash}es (see {@link mayHaveHash}), so that a check that tries
   * many edits of a candidate (each alphabet character inserted at each position) can compute each
   * edit's hash in constant time and build only the strings that may be in the corpus.
   */
  readonly hashFilter: Uint32Array
  /** Lazily built indexes, keyed by the check that owns them. */
  readonly lazy: Map<string, unknown>
}

/**
 * Keep the `top` most downloaded of `records` (ties broken by crate-name order, so the cut is
 * deterministic) and index them. Records must already be well-formed (see the loaders).
 */
export function createCorpus(records: Iterable<CorpusRecord>, options?: CorpusOptions): Corpus {
  const top = options?.top ?? DEFAULT_TOP_CRATES
  if (!Number.isSafeInteger(top) || top < 0) throw new RangeError(`Expected \`top\` to be a non-negative integer, got ${top}`)
  const kept = [...records].sort(byPopularity).slice(0, top)
  const byName = new Map<string, CorpusRecord>()
  // About 64 bits per name: one lookup in 64 of a name not in the corpus passes the filter.
  let bits = 1 << 16
  while (bits < kept.length * 64 && bits < 1 << 30) bits *= 2
  const hashFilter = new Uint32Array(bits / 32)
  for (const record of kept) {
    byName.set(record.name, record)
    const bit = nameHash(record.name) & (bits - 1)
    hashFilter[bit >>> 5]! |= 1 << (bit & 31)
  }
  return { records: kept, byName, hashFilter, lazy: new Map() }
}

/** Most downloads first, then crate-name order (`sec.crate-name.order`). */
export function byPopularity(a: CorpusRecord, b: CorpusRecord): number {
  return b.downloads - a.downloads || compareCrateNames(a.name, b.name)
}

/**
 * Whether `corpusName` is a crate that `candidate`, published by `owners`, may be squatting
 * (`typo.not-a-squat`): it is in the corpus, it is not the candidate itself, and the two share no owner.
 */
export function isPossibleSquat(corpus: Corpus, corpusName: string, candidate: string, owners: ReadonlySet<string>): boolean {
  if (corpusName === candidate) return false
  const record = corpus.byName.get(corpusName)
  if (record === undefined) return false
  for (const owner of record.owners) if (owners.has(owner)) return false
  return true
}

/**
 * Whether some name of `corpus` may have the {@link nameHash} `hash`: false means none has; true
 * means one may, and the string must be looked up.
 */
export function mayHaveHash(corpus: Corpus, hash: number): boolean {
  const bit = hash & (corpus.hashFilter.length * 32 - 1)
  return (corpus.hashFilter[bit >>> 5]! & (1 << (bit & 31))) !== 0
}

/** A lazily built index of `corpus`, made by `build` the first time `key` is asked for. */
export function lazyIndex<T>(corpus: Corpus, key: string, build: (corpus: Corpus) => T): T {
  let index = corpus.lazy.get(key) as T | undefined
  if (index === undefined) {
    index = build(corpus)
    corpus.lazy.set(key, index)
  }
  return index
}

/** Names grouped by canonical form (`sec.crate-name.canonical`). */
export function canonicalIndex(corpus: Corpus): ReadonlyMap<string, readonly string[]> {
  return lazyIndex(corpus, 'canonical', () => {
    const index = new Map<string, string[]>()
    for (const { name } of corpus.records) {
      const key = canonicalCrateName(name)
      const names = index.get(key)
      if (names) names.push(name)
      else index.set(key, [name])
    }
    return index
  })
}

/** The multiplier of {@link nameHash}: odd, so that multiplying is a bijection modulo 2^32. */
export const HASH_BASE = 0x01000193

/**
 * A polynomial hash of a string's UTF-16 code units modulo 2^32: for code units `c[0..n)`,
 * `sum of c[k] * HASH_BASE^(n-1-k)`. Polynomial, so the hash of an edited string follows from the
 * hashes of its unchanged prefix and suffix.
 */
export function nameHash(name: string): number {
  let hash = 0
  for (let index = 0; index < name.length; index++) hash = (Math.imul(hash, HASH_BASE) + name.charCodeAt(index)) >>> 0
  return hash
}
