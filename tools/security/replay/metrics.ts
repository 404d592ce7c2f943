import type { ReplayConfig } from './config.ts'
import { decide } from './decide.ts'
import type { DecisionRecord } from './record.ts'
import type { SquatFinder } from './squats.ts'

/** Precision, recall and F1 of quarantining against the labels (`replay.metrics`). */
export interface Metrics {
  threshold: number
  quarantined: number
  tp: number
  fp: number
  fn: number
  tn: number
  /** Three decimals (`"0.875"`), or null when undefined (no version quarantined, no malicious one labelled). */
  precision: string | null
  recall: string | null
  f1: string | null
}

/** `numerator / denominator` with three decimals, in integer arithmetic (`sec.determinism.numbers`); null for 0/0. */
export function ratio(numerator: number, denominator: number): string | null {
  if (denominator === 0) return null
  const thousandths = Math.round((numerator * 1000) / denominator)
  return `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`
}

/** The metrics of decisions over the labelled records: `quarantine` is a positive, `malicious` a true label. */
export function metricsOf(threshold: number, labelled: readonly { label: string | null; decision: string }[]): Metrics {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  let quarantined = 0
  for (const { label, decision } of labelled) {
    if (decision === 'quarantine') quarantined++
    if (label === null) continue
    const positive = decision === 'quarantine'
    if (positive && label === 'malicious') tp++
    else if (positive) fp++
    else if (label === 'malicious') fn++
    else tn++
  }
  // F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN), which needs no rounded intermediate.
  return { threshold, quarantined, tp, fp, fn, tn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) }
}

/**
 * Re-derive every decision at `threshold` from the journal (`replay.sweep`): each record's fixed
 * signals are its evidence; the typosquat signal is decided again against the crates visible under
 * this threshold's own earlier decisions, which may differ from the replay's.
 */
export function decideAt(threshold: number, records: readonly DecisionRecord[], config: ReplayConfig, finder: SquatFinder, initialOwners: ReadonlyMap<string, readonly string[]>) {
  const owners = new Map(initialOwners)
  return records.map((record) => {
    if (record.decision === 'skipped') return { label: record.label, decision: 'skipped' }
    const fixed = record.signals.filter((signal) => signal.id !== 'typosquat')
    const { decision } = decide({ crate: record.crate, owners: record.owners, publisher: record.publisher, fixed }, threshold, config, finder, { owners })
    if (decision === 'publish') owners.set(record.crate, record.owners)
    return { label: record.label, decision }
  })
}

/** The sweep: the metrics at each threshold from `config.sweep.from` to `to` by `step`. */
export function sweep(records: readonly DecisionRecord[], config: ReplayConfig, finder: SquatFinder, initialOwners: ReadonlyMap<string, readonly string[]>): Metrics[] {
  const rows: Metrics[] = []
  for (let threshold = config.sweep.from; threshold <= config.sweep.to; threshold += config.sweep.step) {
    rows.push(metricsOf(threshold, decideAt(threshold, records, config, finder, initialOwners)))
  }
  return rows
}

/** The sweep as a Markdown table. */
export function sweepTable(rows: readonly Metrics[], chosen: number): string {
  const show = (value: string | null) => value ?? '–'
  return [
    '| threshold | quarantined | TP | FP | FN | TN | precision | recall | F1 |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row.threshold}${row.threshold === chosen ? ' (chosen)' : ''} | ${row.quarantined} | ${row.tp} | ${row.fp} | ${row.fn} | ${row.tn} | ${show(row.precision)} | ${show(row.recall)} | ${show(row.f1)} |`),
    '',
  ].join('\n')
}
