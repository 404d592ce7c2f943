import { createHash } from 'node:crypto'
import { compareCrateNames } from '../crate-name/index.ts'
import type { CorpusRecord } from '../typosquat/index.ts'
import { analyzeEvent } from './analyze.ts'
import { sweepChart } from './chart.ts'
import { configDigest, configRecord, type ReplayConfig } from './config.ts'
import { decide } from './decide.ts'
import { type MalformedEvent, parsePublishEvents, type PublishEvent, replayOrder } from './events.ts'
import { type Metrics, metricsOf, sweep, sweepTable } from './metrics.ts'
import type { ReplayOutput } from './output.ts'
import { type DecisionRecord, isRecord, recordLine } from './record.ts'
import { SquatFinder } from './squats.ts'

/** What a replay is given. */
export interface ReplayInputs {
  /** The events file's name (as reports show it) and text. */
  eventsFile: string
  eventsText: string
  /** The registry before the first event: the typosquat corpus's records. Default: none. */
  corpus?: readonly CorpusRecord[]
  config: ReplayConfig
  /** The bytes of an event's `.crate`, by the path the event gives; rejects when it cannot be read. */
  readCrate(eventPath: string): Promise<Uint8Array>
  output: ReplayOutput
  /** Go on from the checkpoint in `output` (`replay.resume`). Default false: an output that holds a replay is refused. */
  resume?: boolean
}

/** The outcome of a replay, as `report.json` holds it (`replay.report`). */
export interface ReplayReport {
  schema: 1
  tool: 'publish-replay'
  events: { file: string; sha256: string; lines: number; accepted: number; malformed: number }
  malformed: MalformedEvent[]
  decisions: { publish: number; quarantine: number; skipped: number }
  quarantined: { crate: string; version: string; score: number; seq: number }[]
  /** At the configured threshold, over the labelled events; null when none is labelled. */
  metrics: Metrics | null
  sweep: Metrics[]
  config: Record<string, unknown>
  config_digest: string
  /** How many events came from the journal of an earlier run (0 for a fresh start); this run replayed the rest. */
  resumed_from: number
}

/** A replay that cannot start or go on: a refused output folder, a checkpoint of other inputs. */
export class ReplayError extends Error {
  override name = 'ReplayError'
}

interface Checkpoint {
  schema: 1
  events_sha256: string
  config_digest: string
  /** Events recorded in the journal when this checkpoint was written, and the journal's bytes then. */
  processed: number
  journal_bytes: number
  complete: boolean
}

const JOURNAL = 'decisions.jsonl'
const CHECKPOINT = 'checkpoint.json'

/**
 * Replay publish events in time order and decide each (`replay.intro`):
 *
 * 1. Read the events (malformed lines reported and skipped) and order them; digest the events and
 *    the configuration.
 * 2. Start, or resume: a checkpoint names the events and configuration it belongs to; resuming
 *    keeps every complete journal line, cuts a line a crash left half-written, and rebuilds the
 *    registry's state from the journal, so no event is processed twice.
 * 3. For each event not yet in the journal: check and scan its `.crate`, decide at the threshold
 *    against the crates visible so far, keep a quarantined version's files and metadata under
 *    `quarantine/`, append the decision to the journal, and every `checkpoint_every` events record
 *    the progress.
 * 4. From the whole journal: the index of visible versions, the metrics and the sweep, the report,
 *    the sweep's table and chart; the checkpoint is marked complete.
 */
export async function replay(inputs: ReplayInputs): Promise<ReplayReport> {
  const { config, output } = inputs
  // 1.
  const parsed = parsePublishEvents(inputs.eventsText, inputs.eventsFile)
  const events = replayOrder(parsed.events)
  const eventsSha256 = createHash('sha256').update(inputs.eventsText).digest('hex')
  const digest = configDigest(config)
  const corpus = inputs.corpus ?? []
  const finder = new SquatFinder(corpus, events.map((event) => event.crate))
  const initialOwners = new Map(corpus.map((record) => [record.name, record.owners]))

  // 2.
  const records = await startOrResume(inputs, events, eventsSha256, digest)
  const resumedFrom = records.length
  const owners = new Map(initialOwners)
  for (const record of records) {
    if (record.decision === 'publish') owners.set(record.crate, record.owners)
  }
  let journalBytes = Buffer.byteLength(records.map(recordLine).join(''))

  // 3.
  for (let seq = records.length; seq < events.length; seq++) {
    const event = events[seq]!
    const { record, kept } = await replayEvent(inputs, event, seq, digest, finder, owners)
    if (record.decision === 'quarantine' && kept) await keepQuarantined(inputs.output, event, record, kept)
    const line = recordLine(record)
    await output.append(JOURNAL, line)
    journalBytes += Buffer.byteLength(line)
    records.push(record)
    if (record.decision === 'publish') owners.set(event.crate, event.owners)
    if ((seq + 1) % config.checkpointEvery === 0) await writeCheckpoint(output, eventsSha256, digest, seq + 1, journalBytes, false)
  }

  // 4.
  const index = records
    .filter((record) => record.decision === 'publish')
    .sort((a, b) => compareCrateNames(a.crate, b.crate) || a.seq - b.seq)
    .map((record) => `${JSON.stringify({ crate: record.crate, version: record.version, time: record.time, owners: record.owners, sha256: record.sha256 })}\n`)
  await output.write('index.jsonl', index.join(''))
  const labelled = records.some((record) => record.label !== null)
  const rows = labelled ? sweep(records, config, finder, initialOwners) : []
  const count = (decision: DecisionRecord['decision']) => records.filter((record) => record.decision === decision).length
  const report: ReplayReport = {
    schema: 1,
    tool: 'publish-replay',
    events: { file: inputs.eventsFile, sha256: eventsSha256, lines: events.length + parsed.malformed.length, accepted: events.length, malformed: parsed.malformed.length },
    malformed: parsed.malformed,
    decisions: { publish: count('publish'), quarantine: count('quarantine'), skipped: count('skipped') },
    quarantined: records.filter((r) => r.decision === 'quarantine').map((r) => ({ crate: r.crate, version: r.version, score: r.score!, seq: r.seq })),
    metrics: labelled ? metricsOf(config.threshold, records) : null,
    sweep: rows,
    config: configRecord(config),
    config_digest: digest,
    resumed_from: resumedFrom,
  }
  // `resumed_from` differs between a resumed run and a whole one; the report file leaves it out, so both write the same bytes.
  const { resumed_from: _, ...stored } = report
  await output.write('report.json', `${JSON.stringify(stored, null, 2)}\n`)
  if (labelled) {
    await output.write('sweep.md', `# Quarantine threshold sweep\n\n${sweepTable(rows, config.threshold)}`)
    await output.write('sweep.svg', sweepChart(rows, config.threshold))
  }
  await writeCheckpoint(output, eventsSha256, digest, records.length, journalBytes, true)
  return report
}

/** Step 2: the records already in the journal (none for a fresh start). */
async function startOrResume(inputs: ReplayInputs, events: readonly PublishEvent[], eventsSha256: string, digest: string): Promise<DecisionRecord[]> {
  const { output } = inputs
  const text = await output.read(CHECKPOINT)
  const journal = await output.read(JOURNAL)
  if (text === undefined) {
    if (journal !== undefined) throw new ReplayError(`${JOURNAL} exists without ${CHECKPOINT}: not a replay's output folder, or one from another tool`)
    await writeCheckpoint(output, eventsSha256, digest, 0, 0, false)
    return []
  }
  if (!inputs.resume) throw new ReplayError(`the output folder already holds a replay (${CHECKPOINT}); pass --resume to go on with it, or choose another folder`)
  let checkpoint: Checkpoint
  try {
    checkpoint = JSON.parse(text) as Checkpoint
  } catch (error) {
    throw new ReplayError(`${CHECKPOINT} is not JSON: ${(error as Error).message}`)
  }
  if (checkpoint.events_sha256 !== eventsSha256) throw new ReplayError(`${CHECKPOINT} belongs to other events (sha256 ${checkpoint.events_sha256}, these are ${eventsSha256})`)
  if (checkpoint.config_digest !== digest) throw new ReplayError(`${CHECKPOINT} belongs to another configuration (${checkpoint.config_digest}, this one is ${digest})`)
  const records: DecisionRecord[] = []
  let bytes = 0
  for (const line of (journal ?? '').split('\n')) {
    // Only whole lines count: the last one may have been cut short by the crash.
    const end = bytes + Buffer.byteLength(line) + 1
    if (end > Buffer.byteLength(journal ?? '')) break
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      break
    }
    const event = events[records.length]
    if (!isRecord(value, records.length) || event === undefined || value.crate !== event.crate || value.version !== event.version) {
      throw new ReplayError(`${JOURNAL} line ${records.length + 1} is not the record of event ${records.length} (${event?.crate} ${event?.version})`)
    }
    records.push(value)
    bytes = end
  }
  if (records.length < checkpoint.processed) throw new ReplayError(`${JOURNAL} holds ${records.length} records, fewer than the ${checkpoint.processed} its checkpoint recorded`)
  if (journal !== undefined && bytes < Buffer.byteLength(journal)) await output.truncate(JOURNAL, bytes)
  return records
}

/** Step 3 for one event. */
async function replayEvent(
  inputs: ReplayInputs,
  event: PublishEvent,
  seq: number,
  digest: string,
  finder: SquatFinder,
  owners: ReadonlyMap<string, readonly string[]>,
): Promise<{ record: DecisionRecord; kept?: { bytes: Uint8Array; files: { path: string; size: number }[] } }> {
  const { config } = inputs
  const base: DecisionRecord = {
    seq,
    input: { file: event.file, line: event.line },
    crate: event.crate,
    version: event.version,
    time: event.time,
    publisher: event.publisher,
    owners: event.owners,
    path: event.path,
    label: event.label ?? null,
    sha256: null,
    signals: [],
    score: null,
    threshold: config.threshold,
    decision: 'skipped',
    review: [],
    config_digest: digest,
  }
  let bytes: Uint8Array
  try {
    bytes = await inputs.readCrate(event.path)
  } catch (error) {
    return { record: { ...base, reason: `cannot read ${event.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } }
  }
  const analysis = await analyzeEvent(event, bytes, config)
  const decision = decide({ crate: event.crate, owners: event.owners, publisher: event.publisher, fixed: analysis.signals }, config.threshold, config, finder, { owners })
  const review =
    decision.decision === 'quarantine' && config.reviewPublisherCrates
      ? [...owners].filter(([crate, crateOwners]) => crate !== event.crate && crateOwners.includes(event.publisher)).map(([crate]) => crate).sort(compareCrateNames)
      : []
  return {
    record: { ...base, sha256: analysis.sha256, signals: decision.signals, score: decision.score, decision: decision.decision, review },
    kept: { bytes, files: analysis.files },
  }
}

/** A quarantined version stays whole (`replay.quarantine`): its `.crate` and a record of its metadata, evidence and files. */
async function keepQuarantined(output: ReplayOutput, event: PublishEvent, record: DecisionRecord, kept: { bytes: Uint8Array; files: { path: string; size: number }[] }): Promise<void> {
  const folder = `quarantine/${event.crate}-${event.version}`
  await output.write(`${folder}/${event.crate}-${event.version}.crate`, kept.bytes)
  await output.write(`${folder}/record.json`, `${JSON.stringify({ ...record, files: kept.files }, null, 2)}\n`)
}

async function writeCheckpoint(output: ReplayOutput, eventsSha256: string, digest: string, processed: number, journalBytes: number, complete: boolean): Promise<void> {
  const checkpoint: Checkpoint = { schema: 1, events_sha256: eventsSha256, config_digest: digest, processed, journal_bytes: journalBytes, complete }
  await output.write(CHECKPOINT, `${JSON.stringify(checkpoint, null, 2)}\n`)
}
