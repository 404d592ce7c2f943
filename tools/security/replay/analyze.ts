import { createHash } from 'node:crypto'
import { checkPackage } from '../package-checks/index.ts'
import { CrateReadError, readCrateArchive, scanCrate } from '../sandpit/index.ts'
import type { ReplayConfig } from './config.ts'
import type { PublishEvent } from './events.ts'

/** One contribution to a score, with the evidence behind it (`sec.evidence.contents`). */
export interface ReplaySignal {
  /** `typosquat`, `package`, or `heuristic.NAME`. */
  id: string
  weight: number
  /** What was observed, each item a sentence or a `file:line evidence`. */
  evidence: string[]
}

/** What the package checks and the heuristics say of one event's `.crate`: the signals that do not depend on earlier decisions. */
export interface EventAnalysis {
  sha256: string
  size: number
  /** The package's files with their sizes, for the quarantine record. */
  files: { path: string; size: number }[]
  signals: ReplaySignal[]
}

const MAX_EVIDENCE = 5

/**
 * Check and scan one published `.crate` (`replay.signals`): the package checks against the
 * event's name and version (`package` when they reject it) and the heuristics with the
 * configuration's weights (`heuristic.NAME` for each that found anything). A file that is not a
 * readable archive is a package finding, and the heuristics have nothing to read.
 */
export async function analyzeEvent(event: PublishEvent, bytes: Uint8Array, config: ReplayConfig): Promise<EventAnalysis> {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const signals: ReplaySignal[] = []
  const report = await checkPackage(bytes, { name: event.crate, version: event.version })
  if (!report.accepted) {
    signals.push({ id: 'package', weight: config.weights.package, evidence: report.findings.slice(0, MAX_EVIDENCE).map((f) => `${f.check}: ${f.message}`) })
  }
  let files: EventAnalysis['files'] = []
  try {
    const contents = await readCrateArchive(bytes, event.path)
    files = contents.files.map((file) => ({ path: file.path, size: file.size }))
    const scan = scanCrate(contents, { weights: config.heuristicWeights })
    for (const signal of scan.signals) {
      const findings = scan.findings.filter((finding) => finding.heuristic === signal.heuristic).slice(0, MAX_EVIDENCE)
      signals.push({ id: `heuristic.${signal.heuristic}`, weight: signal.weight, evidence: findings.map((f) => `${f.file}${f.line === null ? '' : `:${f.line}`} ${f.evidence}`) })
    }
  } catch (error) {
    if (!(error instanceof CrateReadError)) throw error
  }
  return { sha256, size: bytes.length, files, signals }
}
