import type { ReplaySignal } from './analyze.ts'

/**
 * One line of `decisions.jsonl`, the replay's journal (`replay.journal`): an event, its evidence
 * and what was decided. `skipped` is an event whose `.crate` could not be read: it is recorded, so
 * that a resumed replay does not read it again, and decided nothing.
 */
export interface DecisionRecord {
  /** The event's place in replay order, from 0. */
  seq: number
  input: { file: string; line: number }
  crate: string
  version: string
  time: string
  publisher: string
  owners: string[]
  path: string
  label: 'malicious' | 'benign' | null
  sha256: string | null
  signals: ReplaySignal[]
  score: number | null
  threshold: number
  decision: 'publish' | 'quarantine' | 'skipped'
  /** Why an event was skipped. */
  reason?: string
  /** With `review_publisher_crates`, the publisher's other visible crates, when quarantined. */
  review: string[]
  config_digest: string
}

/** A record as one JSON line, keys in the order above. */
export function recordLine(record: DecisionRecord): string {
  return `${JSON.stringify(record)}\n`
}

/** Whether a parsed journal line is a record of `seq` (a line cut short by a crash is not). */
export function isRecord(value: unknown, seq: number): value is DecisionRecord {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Partial<DecisionRecord>
  return record.seq === seq && typeof record.crate === 'string' && typeof record.version === 'string' && Array.isArray(record.signals) && typeof record.decision === 'string'
}
