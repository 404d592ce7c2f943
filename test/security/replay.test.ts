import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  type DecisionRecord,
  defaultReplayConfig,
  folderOutput,
  replay,
  type ReplayConfig,
  ReplayError,
  type ReplayOutput,
  type ReplayReport,
} from '../../tools/security/replay/index.ts'
import type { CorpusRecord } from '../../tools/security/typosquat/index.ts'
import { manifest } from './helpers/crate-files.ts'
import { corpusPublish, minutesAfterNoon, plainEntries, type Publish, writeScenario } from './helpers/replay-events.ts'
import { killMidway } from './helpers/kill-midway.ts'


let work: string
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-replay-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

interface Run {
  report: ReplayReport
  out: string
  records: DecisionRecord[]
  /** The records by crate name (the last one of a crate published twice). */
  byCrate: Map<string, DecisionRecord>
  /** The `.crate` paths read, in order. */
  reads: string[]
}

/** Replay `events` (written by writeScenario into `work`) into `work/OUT`. */
async function run(
  events: { file: string; text: string },
  config: ReplayConfig = defaultReplayConfig(),
  options: { out?: string; corpus?: CorpusRecord[]; resume?: boolean; output?: (output: ReplayOutput) => ReplayOutput } = {},
): Promise<Run> {
  const out = path.join(work, options.out ?? 'out')
  const reads: string[] = []
  const folder = folderOutput(out)
  const report = await replay({
    eventsFile: 'events.jsonl',
    eventsText: events.text,
    corpus: options.corpus,
    config,
    readCrate: async (eventPath) => {
      reads.push(eventPath)
      return readFile(path.resolve(path.dirname(events.file), eventPath))
    },
    output: options.output ? options.output(folder) : folder,
    resume: options.resume,
  })
  const records = await journal(out)
  return { report, out, records, byCrate: new Map(records.map((record) => [record.crate, record])), reads }
}

async function journal(out: string): Promise<DecisionRecord[]> {
  // A replay of no events appends nothing, so it has no journal.
  const text = await readFile(path.join(out, 'decisions.jsonl'), 'utf8').catch(() => '')
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as DecisionRecord)
}

/** Every file under `folder`, by relative path, as bytes. */
async function tree(folder: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {}
  for (const entry of (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())) {
    const full = path.join(entry.parentPath, entry.name)
    files[path.relative(folder, full)] = await readFile(full)
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))
}

const signalIds = (record: DecisionRecord | undefined) => record?.signals.map((signal) => signal.id) ?? []
const config = (change: (config: ReplayConfig) => void = () => undefined): ReplayConfig => {
  const value = defaultReplayConfig()
  change(value)
  return value
}

describe('the order of a replay', () => {
  test('[replay.events] [replay.intro] events are replayed in time order whatever their order in the file; equal times keep the file order', async () => {
    const events = await writeScenario(work, [
      { crate: 'charlie', at: 30 },
      { crate: 'alpha', at: 10 },
      // 13:00 at +02:00 is 11:00 UTC: before every other event.
      { crate: 'zulu', at: '2024-03-01T13:00:00+02:00' },
      { crate: 'bravo', at: 20 },
      { crate: 'echo', at: 20 },
      { crate: 'delta', at: 20 },
    ])
    const { records, report } = await run(events)
    expect(records.map((record) => record.crate)).toEqual(['zulu', 'alpha', 'bravo', 'echo', 'delta', 'charlie'])
    expect(records.map((record) => record.seq)).toEqual([0, 1, 2, 3, 4, 5])
    // Each record says where its event was read and gives the time in UTC.
    expect(records[0]).toMatchObject({ crate: 'zulu', time: '2024-03-01T11:00:00Z', input: { file: 'events.jsonl', line: 3 } })
    expect(records.at(-1)).toMatchObject({ crate: 'charlie', input: { line: 1 } })
    expect(report.decisions).toEqual({ publish: 6, quarantine: 0, skipped: 0 })
  })
})

describe('the typosquat check during a replay', () => {
  test('[replay.typosquat] a squat of a crate published later is not flagged; one of a crate published earlier is', async () => {
    const events = await writeScenario(work, [
      // `sedre` comes before `serde` does, so it imitates nothing yet.
      { crate: 'serde', at: 20, publisher: 'user:dtolnay' },
      { crate: 'sedre', at: 10, publisher: 'user:mallory' },
      // `tokoi` comes after `tokio`.
      { crate: 'tokio', at: 30, publisher: 'user:carllerche' },
      { crate: 'tokoi', at: 40, publisher: 'user:mallory' },
    ])
    const { byCrate } = await run(events)
    expect(signalIds(byCrate.get('sedre'))).toEqual([])
    expect(byCrate.get('sedre')!.decision).toBe('publish')
    const tokoi = byCrate.get('tokoi')!
    expect(signalIds(tokoi)).toEqual(['typosquat'])
    expect(tokoi.signals[0]!.evidence).toEqual(['swapped-characters: swaps characters in `tokio`: `tokoi` has `o` and `i` swapped at positions 4 and 5'])
    // Squats are judged against what was visible then: by now `sedre` is, and `serde` is one edit from it.
    expect(signalIds(byCrate.get('serde'))).toEqual(['typosquat'])
  })

  test('[replay.typosquat] crates of the initial corpus count from the start; a crate whose owners include the publisher is no squat', async () => {
    const events = await writeScenario(work, [
      { crate: 'rnad', at: 10, publisher: 'user:mallory' },
      { crate: 'tokio-rs', at: 20, publisher: 'user:carllerche' },
      { crate: 'serde-rs', at: 30, owners: ['user:someone'], publisher: 'user:dtolnay' },
    ])
    const corpus: CorpusRecord[] = [
      { name: 'rand', owners: ['user:rand-owner'], downloads: 1000 },
      { name: 'tokio', owners: ['user:carllerche'], downloads: 1000 },
      { name: 'serde', owners: ['user:dtolnay'], downloads: 1000 },
    ]
    const { byCrate } = await run(events, defaultReplayConfig(), { corpus })
    expect(signalIds(byCrate.get('rnad'))).toEqual(['typosquat'])
    // Published by an owner of `tokio`, and by an owner of `serde` (the publisher counts as an owner).
    expect(signalIds(byCrate.get('tokio-rs'))).toEqual([])
    expect(signalIds(byCrate.get('serde-rs'))).toEqual([])
  })

  test('[replay.quarantine] a quarantined crate is not visible: a later look-alike of it is not a squat, while one of a published crate is', async () => {
    const events = await writeScenario(work, [
      corpusPublish('fast-hashmap', 10, { publisher: 'user:mallory' }),
      { crate: 'fast-hashmapp', at: 20, publisher: 'user:bob' },
      { crate: 'quick-map', at: 30, publisher: 'user:carol' },
      { crate: 'quick-mapp', at: 40, publisher: 'user:bob' },
    ])
    const { byCrate, report } = await run(events)
    expect(report.events.accepted).toBe(4)
    expect(byCrate.get('fast-hashmap')!.decision).toBe('quarantine')
    expect(signalIds(byCrate.get('fast-hashmapp'))).toEqual([])
    expect(byCrate.get('fast-hashmapp')!.decision).toBe('publish')
    expect(signalIds(byCrate.get('quick-mapp'))).toEqual(['typosquat'])
  })
})

describe('scores and decisions', () => {
  test('[replay.score] [replay.weights] the score is the sum of the weights of the signals, and the weights are those configured', async () => {
    const events = await writeScenario(work, [corpusPublish('postgress', 10, { publisher: 'user:mallory' })])
    const byDefault = (await run(events, defaultReplayConfig(), { out: 'default' })).byCrate.get('postgress')!
    const heuristics = byDefault.signals.filter((signal) => signal.id.startsWith('heuristic.'))
    expect(heuristics.length).toBeGreaterThanOrEqual(2)
    const defaults = defaultReplayConfig().heuristicWeights
    for (const signal of heuristics) expect(signal.weight).toBe(defaults[signal.id.slice('heuristic.'.length)])
    expect(byDefault.score).toBe(byDefault.signals.reduce((sum, signal) => sum + signal.weight, 0))
    // Each heuristic's evidence names the file and the line.
    for (const signal of heuristics) for (const evidence of signal.evidence) expect(evidence).toMatch(/^(build\.rs|src\/lib\.rs|Cargo\.toml)(:\d+)? \S/)

    // Weights of 1, 2, 3... by heuristic: the score says which ones fired, and nothing else counts.
    const names = Object.keys(defaults)
    const weighted = config((c) => names.forEach((name, index) => (c.heuristicWeights[name] = 2 ** index)))
    const reweighed = (await run(events, weighted, { out: 'weighted' })).byCrate.get('postgress')!
    expect(signalIds(reweighed)).toEqual(signalIds(byDefault))
    expect(reweighed.score).toBe(heuristics.reduce((sum, signal) => sum + 2 ** names.indexOf(signal.id.slice('heuristic.'.length)), 0))
  })

  test('[replay.signals] [replay.weights] a package the package checks reject scores the `package` weight, even when it is not an archive at all', async () => {
    const events = await writeScenario(work, [
      // The manifest says another version than the event.
      { crate: 'mismatch', version: '0.1.0', at: 10, entries: [{ path: 'mismatch-0.1.0/Cargo.toml', content: manifest('mismatch', '0.2.0') }] },
      { crate: 'garbage', at: 20, bytes: new TextEncoder().encode('this is not a gzip file\n') },
    ])
    const { byCrate } = await run(events, config((c) => (c.weights.package = 33)))
    for (const crate of ['mismatch', 'garbage']) {
      const record = byCrate.get(crate)!
      expect(signalIds(record)).toEqual(['package'])
      expect(record.score).toBe(33)
      expect(record.signals[0]!.evidence.length).toBeGreaterThan(0)
    }
  })

  test('[replay.decision] [sec.config.boundary] a score exactly at the threshold quarantines; one below publishes', async () => {
    const publishes: Publish[] = [
      { crate: 'tokio', at: 10, publisher: 'user:carllerche' },
      { crate: 'tokoi', at: 20, publisher: 'user:mallory' },
    ]
    const events = await writeScenario(work, publishes)
    const at = (await run(events, config((c) => ((c.weights.typosquat = 42), (c.threshold = 42))), { out: 'at' })).byCrate.get('tokoi')!
    expect(at).toMatchObject({ score: 42, threshold: 42, decision: 'quarantine' })
    const above = (await run(events, config((c) => ((c.weights.typosquat = 42), (c.threshold = 43))), { out: 'above' })).byCrate.get('tokoi')!
    expect(above).toMatchObject({ score: 42, threshold: 43, decision: 'publish' })
  })
})

describe('quarantine', () => {
  test('[replay.quarantine] [replay.report] a quarantined version is left out of the index and kept with its .crate, metadata, evidence and files', async () => {
    const events = await writeScenario(work, [
      { crate: 'serde', at: 10, publisher: 'user:dtolnay' },
      corpusPublish('postgress', 20, { publisher: 'user:mallory', owners: ['user:mallory', 'team:pg'] }),
      { crate: 'anyhow', at: 30, publisher: 'user:dtolnay' },
    ])
    const { out, report, byCrate } = await run(events)
    expect(report.decisions).toEqual({ publish: 2, quarantine: 1, skipped: 0 })
    expect(report.quarantined).toEqual([{ crate: 'postgress', version: '0.1.3', score: byCrate.get('postgress')!.score, seq: 1 }])
    const index = (await readFile(path.join(out, 'index.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
    expect(index.map((entry) => `${entry.crate} ${entry.version}`)).toEqual(['anyhow 0.1.0', 'serde 0.1.0'])

    const kept = path.join(out, 'quarantine/postgress-0.1.3')
    expect((await readdir(kept)).sort()).toEqual(['postgress-0.1.3.crate', 'record.json'])
    expect(await readFile(path.join(kept, 'postgress-0.1.3.crate'))).toEqual(await readFile(path.join(work, 'crates/postgress-0.1.3.crate')))
    const record = JSON.parse(await readFile(path.join(kept, 'record.json'), 'utf8'))
    expect(record).toMatchObject({
      crate: 'postgress',
      version: '0.1.3',
      time: minutesAfterNoon(20),
      owners: ['team:pg', 'user:mallory'],
      publisher: 'user:mallory',
      label: 'malicious',
      decision: 'quarantine',
      signals: byCrate.get('postgress')!.signals,
      sha256: byCrate.get('postgress')!.sha256,
    })
    expect(record.files.map((file: { path: string }) => file.path)).toEqual(['Cargo.toml', 'build.rs', 'src/lib.rs'])
    for (const file of record.files) expect(file.size).toBeGreaterThan(0)
    // Nothing is kept of a published version.
    expect(await readdir(path.join(out, 'quarantine'))).toEqual(['postgress-0.1.3'])
  })

  test('[replay.review] with the option, a quarantine lists the publisher\'s other visible crates for review', async () => {
    const publishes: Publish[] = [
      { crate: 'mallory-a', at: 10, publisher: 'user:mallory' },
      { crate: 'shared-tool', at: 20, owners: ['user:bob', 'user:mallory'], publisher: 'user:bob' },
      { crate: 'bobs-crate', at: 30, publisher: 'user:bob' },
      corpusPublish('if-cfg', 40, { publisher: 'user:mallory' }),
      // Published after the quarantine: not yet visible when it was decided.
      { crate: 'mallory-b', at: 50, publisher: 'user:mallory' },
    ]
    const events = await writeScenario(work, publishes)
    const withReview = (await run(events, config((c) => (c.reviewPublisherCrates = true)), { out: 'review', corpus: [{ name: 'old-mallory', owners: ['user:mallory'], downloads: 5 }] }))
      .byCrate.get('if-cfg')!
    expect(withReview.decision).toBe('quarantine')
    expect(withReview.review).toEqual(['mallory-a', 'old-mallory', 'shared-tool'])
    const without = (await run(events, defaultReplayConfig(), { out: 'plain' })).byCrate.get('if-cfg')!
    expect(without.decision).toBe('quarantine')
    expect(without.review).toEqual([])
  })
})

describe('metrics against labels', () => {
  /** 3 malicious crates the heuristics catch, 2 malicious ones that look plain, 1 benign squat with a broken manifest, 3 benign crates, 1 unlabelled. */
  const labelled = (): Publish[] => [
    corpusPublish('serde', 10),
    corpusPublish('libc', 11),
    corpusPublish('tokio', 12, { publisher: 'user:carllerche' }),
    corpusPublish('postgress', 20, { publisher: 'user:m1' }),
    corpusPublish('if-cfg', 21, { publisher: 'user:m2' }),
    corpusPublish('rustdecimal', 22, { publisher: 'user:m3' }),
    { crate: 'quiet-stealer', at: 30, label: 'malicious', publisher: 'user:m4' },
    { crate: 'sleeper-cell', at: 31, label: 'malicious', publisher: 'user:m5' },
    // A squat of `tokio` (35) whose manifest gives another version (40): 75, though labelled benign.
    { crate: 'tokoi', version: '0.1.0', at: 40, label: 'benign', publisher: 'user:b1', entries: [...plainEntries('tokoi', '0.1.0').slice(1), { path: 'tokoi-0.1.0/Cargo.toml', content: manifest('tokoi', '0.9.0') }] },
    { crate: 'unlabelled', at: 50 },
  ]
  const sweepConfig = () => config((c) => (c.sweep = { from: 0, to: 1000, step: 50 }))

  test('[replay.metrics] precision, recall and F1 at the threshold count quarantines of malicious versions as true positives', async () => {
    const { report, byCrate } = await run(await writeScenario(work, labelled()), sweepConfig())
    for (const crate of ['postgress', 'if-cfg', 'rustdecimal', 'tokoi']) expect(byCrate.get(crate)!.decision, crate).toBe('quarantine')
    for (const crate of ['serde', 'libc', 'tokio', 'quiet-stealer', 'sleeper-cell', 'unlabelled']) expect(byCrate.get(crate)!.decision, crate).toBe('publish')
    expect(report.metrics).toEqual({ threshold: 50, quarantined: 4, tp: 3, fp: 1, fn: 2, tn: 3, precision: '0.750', recall: '0.600', f1: '0.667' })
  })

  test('[replay.sweep] the sweep decides every threshold again: its table and its chart', async () => {
    const { report, out, records } = await run(await writeScenario(work, labelled()), sweepConfig())
    const thresholds = report.sweep.map((row) => row.threshold)
    expect(thresholds).toEqual(Array.from({ length: 21 }, (_, index) => index * 50))
    // The row at the configured threshold is the replay's own outcome.
    expect(report.sweep.find((row) => row.threshold === 50)).toEqual(report.metrics)
    // At 0 every version is quarantined; above the highest score none is.
    expect(report.sweep[0]).toMatchObject({ quarantined: 10, tp: 5, fp: 4, fn: 0, tn: 0, precision: '0.556', recall: '1.000', f1: '0.714' })
    const highest = Math.max(...records.map((record) => record.score ?? 0))
    expect(highest).toBeLessThan(1000)
    for (const row of report.sweep.filter((r) => r.threshold > highest)) expect(row).toMatchObject({ quarantined: 0, tp: 0, fp: 0, fn: 5, tn: 4, precision: null, recall: '0.000', f1: '0.000' })
    // Fewer versions are quarantined as the threshold rises.
    for (let index = 1; index < report.sweep.length; index++) expect(report.sweep[index]!.quarantined).toBeLessThanOrEqual(report.sweep[index - 1]!.quarantined)

    const table = await readFile(path.join(out, 'sweep.md'), 'utf8')
    const rows = table.split('\n').filter((line) => /^\| \d/.test(line))
    expect(rows).toHaveLength(21)
    expect(rows.filter((line) => line.includes('(chosen)'))).toEqual(['| 50 (chosen) | 4 | 3 | 1 | 2 | 3 | 0.750 | 0.600 | 0.667 |'])
    expect(rows.at(-1)).toBe('| 1000 | 0 | 0 | 0 | 5 | 4 | – | 0.000 | 0.000 |')

    const svg = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await readFile(path.join(out, 'sweep.svg'), 'utf8')).svg
    expect(svg.xmlns).toBe('http://www.w3.org/2000/svg')
    const polylines = [svg.polyline].flat() as { stroke: string; points: string }[]
    const points = (line: { points: string }) => line.points.split(' ').map((pair) => pair.split(',').map(Number) as [number, number])
    // Precision, recall, F1: one line each; precision has no point where nothing is quarantined.
    expect(polylines).toHaveLength(3)
    const [precision, recall, f1] = polylines.map(points)
    expect(recall).toHaveLength(21)
    expect(f1).toHaveLength(21)
    expect(precision).toHaveLength(report.sweep.filter((row) => row.precision !== null).length)
    for (const line of [precision!, recall!, f1!]) for (let index = 1; index < line.length; index++) expect(line[index]![0]).toBeGreaterThan(line[index - 1]![0])
    // Recall is 1 at the left end and 0 at the right: the top and the bottom of the plot.
    const top = recall![0]![1]
    const bottom = recall!.at(-1)![1]
    expect(bottom).toBeGreaterThan(top)
    // F1 0.714 at threshold 0 sits that far up.
    expect((bottom - f1![0]![1]) / (bottom - top)).toBeCloseTo(0.714, 2)
    const texts = ([svg.text].flat() as (string | { '#text': string | number })[]).map((text) => String(typeof text === 'object' ? text['#text'] : text))
    expect(texts).toContain('chosen 50')
    expect(texts).toEqual(expect.arrayContaining(['precision', 'recall', 'F1']))
  })

  test('[replay.metrics] without labels there are no metrics, no sweep and no chart', async () => {
    const { report, out } = await run(await writeScenario(work, [{ crate: 'alpha', at: 1 }, corpusPublish('postgress', 2, { label: undefined })]))
    expect(report.metrics).toBeNull()
    expect(report.sweep).toEqual([])
    expect((await readdir(out)).sort()).toEqual(['checkpoint.json', 'decisions.jsonl', 'index.jsonl', 'quarantine', 'report.json'])
  })
})

describe('determinism', () => {
  test('[replay.determinism] [sec.determinism] two replays of the same events give byte-identical outputs', async () => {
    const publishes: Publish[] = [
      corpusPublish('serde', 10),
      corpusPublish('postgress', 20, { publisher: 'user:m1' }),
      corpusPublish('derive-getters-impl', 21, { publisher: 'user:m1' }),
      { crate: 'sedre', at: 30, label: 'malicious', publisher: 'user:m2' },
      { crate: 'broken', at: 40, missing: true },
    ]
    const events = await writeScenario(work, publishes, [{ at: 2, text: '{"crate": "half' }])
    const c = config((value) => ((value.reviewPublisherCrates = true), (value.sweep = { from: 0, to: 200, step: 25 })))
    const first = await tree((await run(events, c, { out: 'first' })).out)
    const second = await tree((await run(events, c, { out: 'second' })).out)
    expect(Object.keys(first)).toEqual(['checkpoint.json', 'decisions.jsonl', 'index.jsonl', 'quarantine/derive-getters-impl-0.2.0/derive-getters-impl-0.2.0.crate', 'quarantine/derive-getters-impl-0.2.0/record.json', 'quarantine/postgress-0.1.3/postgress-0.1.3.crate', 'quarantine/postgress-0.1.3/record.json', 'report.json', 'sweep.md', 'sweep.svg'])
    expect(second).toEqual(first)
  })
})

describe('crash and resume', () => {
  const publishes = (): Publish[] => [
    corpusPublish('serde', 1),
    corpusPublish('libc', 2),
    corpusPublish('postgress', 3, { publisher: 'user:m1' }),
    { crate: 'alpha', at: 4 },
    { crate: 'sedre', at: 5, publisher: 'user:m2', label: 'malicious' },
    corpusPublish('log-macros', 6, { publisher: 'user:m3' }),
    { crate: 'bravo', at: 7 },
    { crate: 'charlie', at: 8, label: 'benign' },
  ]
  const crashConfig = () => config((c) => (c.checkpointEvery = 2))

  test('[replay.resume] [replay.journal] [replay.outputs] a replay that fails half-way through a journal line resumes from its checkpoint: no event processed twice, the same outputs as one whole run', async () => {
    const events = await writeScenario(work, publishes())
    const whole = await run(events, crashConfig(), { out: 'whole' })

    // The fifth append writes half its line and fails, as a crash in the middle of the write would.
    let appends = 0
    const failing = (output: ReplayOutput): ReplayOutput => ({
      ...output,
      async append(name, text) {
        if (++appends === 5) {
          await output.append(name, text.slice(0, Math.floor(text.length / 2)))
          throw new Error('injected crash')
        }
        await output.append(name, text)
      },
    })
    await expect(run(events, crashConfig(), { out: 'crashed', output: failing })).rejects.toThrow('injected crash')
    const out = path.join(work, 'crashed')
    const cut = await readFile(path.join(out, 'decisions.jsonl'), 'utf8')
    expect(cut.split('\n')).toHaveLength(5)
    expect(JSON.parse(await readFile(path.join(out, 'checkpoint.json'), 'utf8'))).toMatchObject({ processed: 4, complete: false })

    // Without --resume the folder is refused; with it, only the events after the last whole line are read.
    await expect(run(events, crashConfig(), { out: 'crashed' })).rejects.toThrow(ReplayError)
    const resumed = await run(events, crashConfig(), { out: 'crashed', resume: true })
    expect(resumed.report.resumed_from).toBe(4)
    expect(resumed.reads).toEqual(whole.reads.slice(4))
    expect(resumed.records.map((record) => record.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(await tree(out)).toEqual(await tree(whole.out))
  })

  test('[replay.resume] a replay killed mid-run and resumed processes every event exactly once and ends as a whole run does', async () => {
    const events = await writeScenario(work, publishes())
    const whole = await run(events, crashConfig(), { out: 'whole' })
    const out = path.join(work, 'killed')
    // The child records 5 events (a checkpoint after the fourth), says so, and waits to be killed.
    expect(await killMidway('test/security/helpers/replay-and-hang.ts', [events.file, out, '5', '2'], 'mid-replay')).toBe('SIGKILL')

    const killed = await journal(out)
    expect(killed.map((record) => record.seq)).toEqual([0, 1, 2, 3, 4])
    expect(JSON.parse(await readFile(path.join(out, 'checkpoint.json'), 'utf8'))).toMatchObject({ processed: 4, complete: false })
    await expect(readFile(path.join(out, 'report.json'))).rejects.toThrow()

    const resumed = await run(events, crashConfig(), { out: 'killed', resume: true })
    expect(resumed.reads).toEqual(whole.reads.slice(5))
    expect(resumed.records.map((record) => `${record.seq} ${record.crate}`)).toEqual(whole.records.map((record) => `${record.seq} ${record.crate}`))
    expect(await tree(out)).toEqual(await tree(whole.out))
    // And resuming a finished replay reads nothing and changes nothing.
    const again = await run(events, crashConfig(), { out: 'killed', resume: true })
    expect(again.reads).toEqual([])
    expect(await tree(out)).toEqual(await tree(whole.out))
  }, 60_000)

  test('[replay.resume] a checkpoint of other events or another configuration is refused, naming which; so is a journal without a checkpoint', async () => {
    const events = await writeScenario(work, publishes())
    await run(events, crashConfig(), { out: 'done' })
    await expect(run(events, config((c) => (c.checkpointEvery = 3)), { out: 'done', resume: true })).rejects.toThrow(/belongs to another configuration/)
    const other = { file: events.file, text: `${events.text}\n` }
    await expect(run(other, crashConfig(), { out: 'done', resume: true })).rejects.toThrow(/belongs to other events/)
    await rm(path.join(work, 'done/checkpoint.json'))
    await expect(run(events, crashConfig(), { out: 'done', resume: true })).rejects.toThrow('decisions.jsonl exists without checkpoint.json')
  })
})

describe('bad input', () => {
  test('[replay.events] [sec.malformed] malformed lines are reported with their line numbers and counted, and the rest is replayed', async () => {
    const events = await writeScenario(
      work,
      [
        { crate: 'alpha', at: 1 },
        { crate: 'bravo', at: 2 },
        { crate: 'alpha', at: 3 },
      ],
      [
        { at: 1, text: 'not json at all' },
        { at: 2, text: '' },
        { at: 3, text: '[1, 2]' },
        { at: 4, text: JSON.stringify({ crate: 'c', version: '1', time: minutesAfterNoon(1), owners: ['user:a'], publisher: 'user:a', path: 'x.crate' }) },
        { at: 5, text: JSON.stringify({ crate: 'c', version: '1.0.0', time: '2024-02-30T00:00:00Z', owners: ['user:a'], publisher: 'user:a', path: 'x.crate' }) },
        { at: 6, text: JSON.stringify({ crate: 'c', version: '1.0.0', time: minutesAfterNoon(1), owners: [], publisher: 'user:a', path: 'x.crate' }) },
        { at: 7, text: JSON.stringify({ crate: 'c', version: '1.0.0', time: minutesAfterNoon(1), owners: ['user:a'], publisher: 'alice', path: 'x.crate' }) },
        { at: 8, text: JSON.stringify({ crate: 'c', version: '1.0.0', time: minutesAfterNoon(1), owners: ['user:a'], publisher: 'user:a', path: 'x.crate', label: 'evil' }) },
        { at: 9, text: JSON.stringify({ crate: 'bad name!', version: '1.0.0', time: minutesAfterNoon(1), owners: ['user:a'], publisher: 'user:a', path: 'x.crate' }) },
      ],
    )
    const { report, records } = await run(events)
    expect(events.text.split('\n')[11]).toContain('"alpha"')
    expect(report.malformed.map((m) => [m.file, m.line])).toEqual([
      ['events.jsonl', 2],
      ['events.jsonl', 4],
      ['events.jsonl', 5],
      ['events.jsonl', 6],
      ['events.jsonl', 7],
      ['events.jsonl', 8],
      ['events.jsonl', 9],
      ['events.jsonl', 10],
      // The same version of `alpha` again.
      ['events.jsonl', 12],
    ])
    const reasons = report.malformed.map((m) => m.reason)
    expect(reasons[0]).toMatch(/^not JSON/)
    expect(reasons[1]).toBe('expected a JSON object')
    expect(reasons[2]).toMatch(/`version` must be a semantic version, found "1"/)
    expect(reasons[3]).toMatch(/`time` must be an RFC 3339 time/)
    expect(reasons[4]).toMatch(/`owners` must be a non-empty array/)
    expect(reasons[5]).toMatch(/`publisher` must be/)
    expect(reasons[6]).toMatch(/`label` must be "malicious" or "benign"/)
    expect(reasons[7]).toMatch(/^`crate`: /)
    expect(reasons[8]).toBe('alpha 0.1.0 was already published at line 1')
    expect(report.events).toMatchObject({ lines: 11, accepted: 2, malformed: 9 })
    expect(records.map((record) => record.crate)).toEqual(['alpha', 'bravo'])
  })

  test('[replay.events] an event whose .crate cannot be read is recorded as skipped with the reason, and counted', async () => {
    const events = await writeScenario(work, [
      { crate: 'alpha', at: 1 },
      { crate: 'ghost', at: 2, missing: true },
      { crate: 'bravo', at: 3 },
    ])
    const { report, byCrate } = await run(events)
    expect(report.decisions).toEqual({ publish: 2, quarantine: 0, skipped: 1 })
    expect(byCrate.get('ghost')).toMatchObject({ decision: 'skipped', score: null, reason: 'cannot read crates/ghost-0.1.0.crate (ENOENT)' })
  })

  test('[replay.events] an empty events file replays nothing and still writes a report', async () => {
    const { report, out } = await run(await writeScenario(work, []))
    expect(report.events).toMatchObject({ lines: 0, accepted: 0, malformed: 0 })
    expect(JSON.parse(await readFile(path.join(out, 'checkpoint.json'), 'utf8'))).toMatchObject({ processed: 0, complete: true })
  })
})
