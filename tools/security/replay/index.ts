// Publish replay and quarantine scoring (spec: security/publish-replay.md): historical publishes
// replayed in time order through the typosquat check, the package checks and the heuristics, each
// scored and published or quarantined, with precision, recall and a threshold sweep when labelled.
export type { EventAnalysis, ReplaySignal } from './analyze.ts'
export { analyzeEvent } from './analyze.ts'
export { sweepChart } from './chart.ts'
export { ConfigError, configDigest, configRecord, defaultReplayConfig, parseReplayConfig, type ReplayConfig } from './config.ts'
export { type Decision, type DecisionInput, decide } from './decide.ts'
export { formatUtc, type MalformedEvent, parsePublishEvents, parseRfc3339, type PublishEvent, replayOrder } from './events.ts'
export { decideAt, type Metrics, metricsOf, ratio, sweep, sweepTable } from './metrics.ts'
export { folderOutput, type ReplayOutput } from './output.ts'
export type { DecisionRecord } from './record.ts'
export { replay, ReplayError, type ReplayInputs, type ReplayReport } from './replay.ts'
export { type RawSquat, SquatFinder, type Visibility, visibleSquats } from './squats.ts'
