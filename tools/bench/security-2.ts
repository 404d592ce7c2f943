/**
 * The figures of the second security issue, on inputs generated here (`BENCH_ONLY=security2`):
 *
 * 1. Generate a publish history of 10,000 events from a fixed seed, each with its `.crate` on disk,
 *    against a registry of 3,000 crates before the first event (security-inputs.ts): new versions
 *    of known crates by their owners, new crates, name-only typosquats one edit from a known name,
 *    and crates built on the malicious patterns of the heuristics' labelled corpus (some of them
 *    under squatted names); benign contents are the corpus's benign crates, renamed, or generated
 *    libraries. Every event is labelled; a few neighbours are out of time order and a few lines are
 *    malformed, as in a real export.
 * 2. `replay` (the publish replay with the default configuration) on them in fresh processes,
 *    BENCH_RUNS times, each into an empty folder: events per second (median) and peak RSS (highest).
 * 3. The heuristics alone (`readCrateArchive` and `scanCrate`) over every generated `.crate`, from
 *    memory, in one fresh process: crates/s and MB/s of `.crate` and of inflated files.
 *
 * The issue sets no target for either. The same file runs as the child of each measurement:
 * `node --import tsx security-2.ts child MODE ...`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { fileURLToPath } from 'node:url'
import { corpusEntries, SANDPIT_CORPUS, type LabelledCrate } from '../../test/security/helpers/sandpit-corpus.ts'
import { canonicalCrateName, validateCrateName } from '../security/crate-name/index.ts'
import { type CrateEntry, packCrate } from '../security/package-checks/index.ts'
import { defaultReplayConfig, folderOutput, replay } from '../security/replay/index.ts'
import { readCrateArchive, scanCrate } from '../security/sandpit/index.ts'
import type { CorpusRecord } from '../security/typosquat/index.ts'
import { random } from './corpus.ts'
import { candidates, corpusRecords, crateNames } from './security-inputs.ts'
import { label, lastJson, measure, median, runs } from './measure.ts'

const EVENTS = 10_000
const REGISTRY = 3_000
const self = fileURLToPath(import.meta.url)
const tsx = ['--import', 'tsx']

const benignTemplates = SANDPIT_CORPUS.filter((crate) => crate.label === 'benign')
const maliciousTemplates = SANDPIT_CORPUS.filter((crate) => crate.label === 'malicious')

/** A corpus crate's entries under another name and version: the manifest's `[package]` name and version are rewritten. */
function renamed(template: LabelledCrate, name: string, version: string): CrateEntry[] {
  return corpusEntries({ ...template, name, version }).map((entry) =>
    entry.path === `${name}-${version}/Cargo.toml`
      ? { ...entry, content: String(entry.content).replace(/^name = ".*"$/m, `name = "${name}"`).replace(/^version = ".*"$/m, `version = "${version}"`) }
      : entry,
  )
}

/** A generated library of 5 to 80 small functions, with doc comments. */
function generatedLibrary(name: string, version: string, next: () => number): CrateEntry[] {
  const functions: string[] = []
  const count = 5 + Math.floor(next() * 76)
  for (let index = 0; index < count; index++) {
    const factor = Math.floor(next() * 1_000_000)
    functions.push(
      `/// Mixes \`x\` with the constant ${factor}, step ${index} of the ${name} pipeline.\n` +
        `pub fn step_${index}(x: u64) -> u64 {\n    let y = x.wrapping_mul(${factor}).rotate_left(${index % 63});\n    if y % 2 == 0 { y ^ 0x${factor.toString(16)} } else { y.wrapping_add(${index}) }\n}\n`,
    )
  }
  const manifest = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\nlicense = "MIT"\ndescription = "Generated for the bench"\n`
  return [
    { path: `${name}-${version}/Cargo.toml`, content: manifest },
    { path: `${name}-${version}/src/lib.rs`, content: `//! The ${name} crate.\n\n${functions.join('\n')}` },
    { path: `${name}-${version}/README.md`, content: `# ${name}\n\nA generated crate with ${count} functions.\n` },
  ]
}

interface GeneratedHistory {
  events: string
  corpus: string
  crates: string[]
  counts: Record<'new-version' | 'new-crate' | 'squat' | 'malicious' | 'malformed' | 'out-of-order', number>
  bytes: number
}

/** Step 1: the registry, the `.crate` files and the events file, under `folder`. */
async function writeHistory(folder: string, seed = 7): Promise<GeneratedHistory> {
  const next = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  // Names crates.io would refuse (`core`, `test`) are left out: they are no publish.
  const valid = (name: string) => validateCrateName(name).ok
  const registry = corpusRecords(crateNames(REGISTRY + 20, seed + 1).filter(valid).slice(0, REGISTRY), seed + 2)
  const known = new Set(registry.map((record) => record.name))
  const freshNames = crateNames(REGISTRY + EVENTS, seed + 3).filter((name) => valid(name) && !known.has(name))
  // The most downloaded names draw the squats, as they do on crates.io.
  const popular = [...registry].sort((a, b) => b.downloads - a.downloads).slice(0, 300).map((record) => record.name)
  const squatNames = candidates(popular, 2_000, seed + 4).filter((name, index) => index % 2 === 0 && valid(name) && !known.has(name))
  const owners = new Map<string, readonly string[]>(registry.map((record) => [record.name, record.owners]))
  // Names taken, in canonical form: `foo-bar` and `foo_bar` are one crate to crates.io.
  const taken = new Set(registry.map((record) => canonicalCrateName(record.name)))
  const versions = new Map<string, number>()
  const published: string[] = [...known]
  const counts: GeneratedHistory['counts'] = { 'new-version': 0, 'new-crate': 0, squat: 0, malicious: 0, malformed: 0, 'out-of-order': 0 }
  const lines: string[] = []
  const crates: string[] = []
  let bytes = 0
  let time = Date.UTC(2024, 0, 1)
  await mkdir(path.join(folder, 'crates'), { recursive: true })
  for (let index = 0; index < EVENTS; index++) {
    time += 1_000 + Math.floor(next() * 120_000)
    const draw = next()
    let name: string
    let kind: 'new-version' | 'new-crate' | 'squat' | 'malicious'
    let eventOwners: readonly string[]
    let publisher: string
    if (draw < 0.6) {
      kind = 'new-version'
      name = pick(published)
      eventOwners = owners.get(name)!
      const users = eventOwners.filter((owner) => owner.startsWith('user:'))
      publisher = users.length > 0 && next() < 0.8 ? pick(users) : `trusted:github:${name}`
    } else {
      kind = draw < 0.97 ? 'new-crate' : draw < 0.99 ? 'squat' : 'malicious'
      const squatting = kind === 'squat' || (kind === 'malicious' && next() < 0.5)
      do name = squatting ? squatNames.pop()! : freshNames.pop()!
      while (taken.has(canonicalCrateName(name)))
      taken.add(canonicalCrateName(name))
      publisher = `user:${kind === 'new-crate' ? Math.floor(next() * 50_000) : 90_000 + Math.floor(next() * 100)}`
      eventOwners = [publisher]
      owners.set(name, eventOwners)
      published.push(name)
    }
    counts[kind]++
    const release = versions.get(canonicalCrateName(name)) ?? 0
    versions.set(canonicalCrateName(name), release + 1)
    const version = `${known.has(name) ? 1 : 0}.${release}.${Math.floor(next() * 3)}`
    const entries =
      kind === 'malicious'
        ? renamed(pick(maliciousTemplates), name, version)
        : kind === 'squat' || next() < 0.5
          ? generatedLibrary(name, version, next)
          : renamed(pick(benignTemplates), name, version)
    const crate = `crates/${name}-${version}.crate`
    const file = await buffer(packCrate(entries))
    await writeFile(path.join(folder, crate), file)
    crates.push(path.join(folder, crate))
    bytes += file.length
    const event = { crate: name, version, time: new Date(time).toISOString(), owners: eventOwners, publisher, path: crate, label: kind === 'squat' || kind === 'malicious' ? 'malicious' : 'benign' }
    lines.push(JSON.stringify(event))
    // One pair in fifty is written in the wrong order, one line in five hundred is cut short.
    if (lines.length > 1 && next() < 0.02) {
      ;[lines[lines.length - 1], lines[lines.length - 2]] = [lines[lines.length - 2]!, lines[lines.length - 1]!]
      counts['out-of-order']++
    }
    if (next() < 0.002) {
      lines.push(JSON.stringify(event).slice(0, 40))
      counts.malformed++
    }
  }
  const events = path.join(folder, 'events.jsonl')
  await writeFile(events, `${lines.join('\n')}\n`)
  const corpus = path.join(folder, 'registry.json')
  await writeFile(corpus, JSON.stringify(registry))
  return { events, corpus, crates, counts, bytes }
}

// ---- Children ----

async function child(mode: string, args: string[]): Promise<void> {
  if (mode === 'replay') {
    const [events, corpus, out] = args as [string, string, string]
    const eventsText = await readFile(events, 'utf8')
    const records = JSON.parse(await readFile(corpus, 'utf8')) as CorpusRecord[]
    const started = performance.now()
    const report = await replay({
      eventsFile: path.basename(events),
      eventsText,
      corpus: records,
      config: defaultReplayConfig(),
      readCrate: (eventPath) => readFile(path.resolve(path.dirname(events), eventPath)),
      output: folderOutput(out),
    })
    const ms = performance.now() - started
    console.log(JSON.stringify({ ms, accepted: report.events.accepted, malformed: report.events.malformed, decisions: report.decisions, metrics: report.metrics }))
  } else if (mode === 'scan') {
    const [list, times] = args as [string, string]
    const files = (await readFile(list, 'utf8')).split('\n').filter((line) => line !== '')
    const crates = await Promise.all(files.map(async (file) => ({ file, bytes: await readFile(file) })))
    const ms: number[] = []
    let inflated = 0
    let suspicious = 0
    for (let run = 0; run < Number(times); run++) {
      inflated = 0
      suspicious = 0
      const started = performance.now()
      for (const crate of crates) {
        const contents = await readCrateArchive(crate.bytes, crate.file)
        for (const file of contents.files) inflated += file.size
        if (scanCrate(contents).verdict === 'suspicious') suspicious++
      }
      ms.push(performance.now() - started)
    }
    console.log(JSON.stringify({ ms, crates: crates.length, bytes: crates.reduce((sum, crate) => sum + crate.bytes.length, 0), inflated, suspicious }))
  } else {
    throw new Error(`Unexpected mode \`${mode}\`, expected replay or scan`)
  }
}

// ---- The parent ----

/** Steps 1 to 3, in `work`. */
export async function benchSecurity2(work: string): Promise<void> {
  const folder = path.join(work, 'security-2')
  await mkdir(folder, { recursive: true })
  console.log('Security tools II (publish replay, heuristics):')
  // 1.
  const started = performance.now()
  const history = await writeHistory(folder)
  const c = history.counts
  console.log(
    `${label('generated history')} ${EVENTS.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s against a registry of ${REGISTRY.toLocaleString('en')} crates: ` +
      `${c['new-version']} new versions, ${c['new-crate']} new crates, ${c.squat} name-only squats, ${c.malicious} malicious contents; ` +
      `${c['out-of-order']} pairs out of order, ${c.malformed} malformed lines; ${(history.bytes / 1e6).toFixed(1)} MB of .crate files`,
  )
  // 2.
  const samples: { perSecond: number; rssMb: number; figures: { ms: number; accepted: number; malformed: number; decisions: Record<string, number>; metrics: Record<string, unknown> | null } }[] = []
  for (let run = 0; run < runs; run++) {
    const sample = await measure([...tsx, self, 'child', 'replay', history.events, history.corpus, path.join(folder, `out-${run}`)])
    const figures = lastJson<(typeof samples)[number]['figures']>(sample)
    if (figures.accepted !== EVENTS || figures.malformed !== c.malformed) throw new Error(`The replay read ${figures.accepted} events and ${figures.malformed} malformed lines, expected ${EVENTS} and ${c.malformed}`)
    samples.push({ perSecond: figures.accepted / (figures.ms / 1000), rssMb: sample.rssMb, figures })
  }
  const perSecond = median(samples.map((s) => s.perSecond))
  const { figures } = samples[0]!
  const m = figures.metrics
  console.log(
    `${label('replay, 10,000 events')} ${Math.round(perSecond).toLocaleString('en')} events/s (median of ${runs}: ${samples.map((s) => Math.round(s.perSecond)).join(', ')}; ` +
      `${(figures.ms / 1000).toFixed(1)} s), peak RSS ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB; ` +
      `${figures.decisions.publish} published, ${figures.decisions.quarantine} quarantined, ${figures.decisions.skipped} unreadable` +
      (m === null ? '' : `; at threshold ${m.threshold}: precision ${m.precision}, recall ${m.recall}, F1 ${m.f1} (TP ${m.tp}, FP ${m.fp}, FN ${m.fn})`),
  )
  // 3.
  const list = path.join(folder, 'crates.txt')
  await writeFile(list, `${history.crates.join('\n')}\n`)
  const scanning = await measure([...tsx, self, 'child', 'scan', list, String(runs)])
  const scan = lastJson<{ ms: number[]; crates: number; bytes: number; inflated: number; suspicious: number }>(scanning)
  const scanMs = median(scan.ms)
  console.log(
    `${label('heuristics, 10,000 crates')} ${Math.round(scan.crates / (scanMs / 1000)).toLocaleString('en')} crates/s, ${(scan.bytes / 1e6 / (scanMs / 1000)).toFixed(1)} MB/s of .crate ` +
      `(${(scan.inflated / 1e6 / (scanMs / 1000)).toFixed(1)} MB/s inflated; ${(scan.bytes / 1e6).toFixed(1)} MB, ${(scan.inflated / 1e6).toFixed(1)} MB inflated, ` +
      `median of ${scan.ms.length} in one process: ${scan.ms.map((ms) => ms.toFixed(0)).join(', ')} ms), ${scan.suspicious} suspicious, peak RSS ${scanning.rssMb.toFixed(0)} MB`,
  )
  console.log('publish replay and heuristics: the issue sets no target')
}

if (process.argv[1] === self && process.argv[2] === 'child') await child(process.argv[3]!, process.argv.slice(4))
