import { compareCrateNames } from '../crate-name/index.ts'
import { CHECKS, type CheckName, type Corpus, type CorpusRecord, createCorpus } from '../typosquat/index.ts'

/** A corpus name that a candidate may imitate, by one check, before visibility and owners are known. */
export interface RawSquat {
  check: CheckName
  crate: string
  message: string
}

/**
 * The typosquat checks of a replay, against every name the replay can know: the initial corpus and
 * every crate that any event publishes. Which of those names a candidate may squat depends on
 * which were visible before it (`replay.typosquat`), which depends on earlier decisions and so on
 * the threshold; the matches do not. So the checks run once per candidate, against this one corpus
 * (each check's `matches`, the typosquat module's own), and each threshold of the sweep filters them.
 */
export class SquatFinder {
  readonly corpus: Corpus
  private readonly cache = new Map<string, RawSquat[]>()

  constructor(initial: readonly CorpusRecord[], names: Iterable<string>) {
    const records = new Map(initial.map((record) => [record.name, record]))
    for (const name of names) if (!records.has(name)) records.set(name, { name, owners: [], downloads: 0 })
    this.corpus = createCorpus(records.values(), { top: records.size })
  }

  /** One match per check and crate (the first edit found), ordered by check then crate name, as `checkName` orders them. */
  matches(candidate: string): RawSquat[] {
    let found = this.cache.get(candidate)
    if (found !== undefined) return found
    found = []
    for (const check of CHECKS) {
      const crates = new Map<string, string>()
      for (const { crate, edit } of check.matches(this.corpus, candidate)) if (crate !== candidate && !crates.has(crate)) crates.set(crate, edit)
      for (const crate of [...crates.keys()].sort(compareCrateNames)) found.push({ check: check.name, crate, message: check.message(crate, crates.get(crate)!) })
    }
    this.cache.set(candidate, found)
    return found
  }
}

/** What a replay knows of the registry at a point: the visible crates and their owners. */
export interface Visibility {
  /** Owners of each visible crate, by exact name. */
  owners: ReadonlyMap<string, readonly string[]>
}

/**
 * The squats of `candidate` at a point of the replay (`replay.typosquat`): none when the candidate
 * is itself visible (a new version of a known crate, `typo.known`); else the matches on visible
 * crates that share no owner with the publisher (`typo.not-a-squat`).
 */
export function visibleSquats(finder: SquatFinder, candidate: string, publisherOwners: readonly string[], visibility: Visibility): RawSquat[] {
  if (visibility.owners.has(candidate)) return []
  const mine = new Set(publisherOwners)
  return finder.matches(candidate).filter((squat) => {
    const owners = visibility.owners.get(squat.crate)
    return owners !== undefined && !owners.some((owner) => mine.has(owner))
  })
}
