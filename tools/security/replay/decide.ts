import type { ReplaySignal } from './analyze.ts'
import type { ReplayConfig } from './config.ts'
import { type SquatFinder, type Visibility, visibleSquats } from './squats.ts'

/** What a decision needs of an event, whether it is being replayed or re-derived from the journal. */
export interface DecisionInput {
  crate: string
  owners: readonly string[]
  publisher: string
  /** The signals that do not depend on earlier decisions: package checks and heuristics. */
  fixed: readonly ReplaySignal[]
}

/** A decision with its evidence (`replay.decision`). */
export interface Decision {
  signals: ReplaySignal[]
  score: number
  decision: 'publish' | 'quarantine'
}

/**
 * Decide one event at one threshold (`replay.score`, `replay.decision`): the fixed signals, plus
 * `typosquat` when the name may squat a crate visible at this point; the score is the sum of the
 * signals' weights, and the version is quarantined when it is at or above the threshold
 * (`sec.config.boundary`). The same function decides the replay and every row of the sweep, so
 * the sweep's row at the configured threshold is the replay's outcome.
 */
export function decide(input: DecisionInput, threshold: number, config: ReplayConfig, finder: SquatFinder, visibility: Visibility): Decision {
  const publisherOwners = input.publisher.startsWith('user:') ? [...input.owners, input.publisher] : input.owners
  const squats = visibleSquats(finder, input.crate, publisherOwners, visibility)
  const signals = [...input.fixed]
  if (squats.length > 0) signals.unshift({ id: 'typosquat', weight: config.weights.typosquat, evidence: squats.map((squat) => `${squat.check}: ${squat.message}`) })
  const score = signals.reduce((sum, signal) => sum + signal.weight, 0)
  return { signals, score, decision: score >= threshold ? 'quarantine' : 'publish' }
}
