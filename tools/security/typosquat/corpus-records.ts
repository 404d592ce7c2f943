import { canonicalCrateName, validateCrateName } from '../crate-name/index.ts'
import type { CorpusRecord } from './corpus.ts'

/** A record a loader skipped (`sec.malformed`), with where it was and why. */
export interface MalformedRecord {
  file: string
  /** Where in the file: `[12]` in a JSON array, `line 40` in a CSV file. */
  location: string
  reason: string
}

/** What a loader read: the well-formed records and the malformed ones it skipped. */
export interface LoadedRecords {
  records: CorpusRecord[]
  malformed: MalformedRecord[]
}

const ownerPattern = /^(user|team):[^\s:]+$/

/** Why `owner` is not an owner reference (`user:ID` or `team:ID`), or undefined when it is one. */
export function ownerProblem(owner: unknown): string | undefined {
  if (typeof owner !== 'string') return `an owner must be a string such as \`user:42\`, found ${JSON.stringify(owner) ?? String(owner)}`
  if (!ownerPattern.test(owner)) return `Unexpected owner ${JSON.stringify(owner)}, expected \`user:ID\` or \`team:ID\``
  return undefined
}

/** Why `downloads` is not a download count, or undefined when it is one. */
export function downloadsProblem(downloads: unknown): string | undefined {
  if (typeof downloads !== 'number' || !Number.isSafeInteger(downloads) || downloads < 0) {
    return `downloads must be a non-negative integer, found ${JSON.stringify(downloads) ?? String(downloads)}`
  }
  return undefined
}

/**
 * Collects records, refusing a second record for the same crate (`sec.crate-name.same`): the first
 * one read wins and the later one is malformed, so the outcome does not depend on sorting.
 */
export class RecordCollector {
  readonly records: CorpusRecord[] = []
  readonly malformed: MalformedRecord[] = []
  private readonly seen = new Map<string, string>()

  constructor(readonly file: string) {}

  /** Add a record read at `location`, or report why it is malformed. */
  add(location: string, name: unknown, owners: unknown, downloads: unknown): void {
    const problem = this.problem(name, owners, downloads)
    if (problem !== undefined) {
      this.malformed.push({ file: this.file, location, reason: problem })
      return
    }
    const key = canonicalCrateName(name as string)
    const earlier = this.seen.get(key)
    if (earlier !== undefined) {
      this.malformed.push({ file: this.file, location, reason: `The crate \`${name as string}\` was already read at ${earlier}` })
      return
    }
    this.seen.set(key, location)
    this.records.push({ name: name as string, owners: [...new Set(owners as string[])].sort(), downloads: downloads as number })
  }

  /** Report a record that could not even be split into fields. */
  reject(location: string, reason: string): void {
    this.malformed.push({ file: this.file, location, reason })
  }

  private problem(name: unknown, owners: unknown, downloads: unknown): string | undefined {
    if (typeof name !== 'string') return `name must be a string, found ${JSON.stringify(name) ?? String(name)}`
    const validation = validateCrateName(name, { reserved: [] })
    if (!validation.ok) return validation.reason
    if (!Array.isArray(owners)) return `owners must be an array, found ${JSON.stringify(owners) ?? String(owners)}`
    for (const owner of owners) {
      const problem = ownerProblem(owner)
      if (problem !== undefined) return problem
    }
    return downloadsProblem(downloads)
  }
}
