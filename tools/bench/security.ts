import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { pipeline } from 'node:stream/promises'
import { DEFAULT_MAX_BYTES, packCrate } from '../security/package-checks/index.ts'
import { DEFAULT_TOP_CRATES } from '../security/typosquat/index.ts'
import { largeCrateEntries } from './security-inputs.ts'
import { label, lastJson, measure, median, repository, runs } from './measure.ts'

/** The security issue's targets, and the memory bound chosen for the bomb (the issue asks only that it be bounded). */
const targets = { defaultNamesPerSecond: 10_000, registryNamesPerSecond: 2_000, registryRssMb: 1024, bombRssMb: 256 }

const met = (ok: boolean) => (ok ? 'met' : 'NOT met')
const tsx = ['--import', 'tsx']

interface TyposquatFigures {
  corpus: number
  names: number
  corpusMs: number
  checkMs: number
  squats: number
  flagged: number
}

/** Typosquat figures for a corpus of `size` names, in `runs` fresh processes: median names/s, highest peak RSS. */
async function benchTyposquat(name: string, size: number, count: number) {
  const samples: { perSecond: number; rssMb: number; figures: TyposquatFigures }[] = []
  for (let run = 0; run < runs; run++) {
    const sample = await measure([...tsx, path.join(repository, 'tools/bench/security-typosquat.ts'), String(size), String(count)])
    const figures = lastJson<TyposquatFigures>(sample)
    samples.push({ perSecond: figures.names / (figures.checkMs / 1000), rssMb: sample.rssMb, figures })
  }
  const perSecond = median(samples.map((s) => s.perSecond))
  const rssMb = Math.max(...samples.map((s) => s.rssMb))
  const { figures } = samples[0]!
  console.log(
    `${label(name)} ${Math.round(perSecond).toLocaleString('en')} names/s (median of ${runs}: ${samples.map((s) => Math.round(s.perSecond)).join(', ')}), ` +
      `peak RSS ${rssMb.toFixed(0)} MB; corpus built in ${figures.corpusMs.toFixed(0)} ms; ${figures.flagged} of ${figures.names} names flagged, ${figures.squats} results`,
  )
  return { perSecond, rssMb }
}

/**
 * The security figures, in `work`:
 *
 * 1. Typosquat: names checked per second and peak RSS against the default 3,000-name corpus and a
 *    generated 150,000-name corpus (the size of the whole registry), candidates half one edit from a
 *    corpus name and half new (security-inputs.ts), each in fresh processes (security-typosquat.ts).
 * 2. Package checks: generate a 10 MB `.crate` and time checking it from memory (security-package.ts).
 * 3. Generate a decompression bomb, a `.crate` holding 10 GiB of zeros (gzip'd to about 10 MB), and
 *    check it with the default limit in a fresh process: time to stop and peak RSS.
 * 4. Print whether the targets hold.
 */
export async function benchSecurity(work: string): Promise<void> {
  const folder = path.join(work, 'security')
  await mkdir(folder, { recursive: true })
  console.log('Security tools:')

  // 1.
  const defaultCorpus = await benchTyposquat(`typosquat, ${DEFAULT_TOP_CRATES.toLocaleString('en')} names`, DEFAULT_TOP_CRATES, 20_000)
  const registry = await benchTyposquat('typosquat, 150,000 names', 150_000, 10_000)

  // 2.
  const crate = path.join(folder, 'large-0.1.0.crate')
  await writeFile(crate, await buffer(packCrate(largeCrateEntries(10))))
  const checking = await measure([...tsx, path.join(repository, 'tools/bench/security-package.ts'), 'crate', crate, String(Math.max(runs, 3))])
  const crateFigures = lastJson<{ ms: number[]; size: number; bytes: number; entries: number; accepted: boolean }>(checking)
  if (!crateFigures.accepted) throw new Error('The generated 10 MB crate was rejected; it should be well-formed')
  const crateMs = median(crateFigures.ms)
  const mbPerSecond = crateFigures.size / 1e6 / (crateMs / 1000)
  console.log(
    `${label('check-package, 10 MB crate')} ${mbPerSecond.toFixed(1)} MB/s of .crate (${(crateFigures.bytes / 1e6 / (crateMs / 1000)).toFixed(1)} MB/s decompressed): ` +
      `${(crateFigures.size / 1e6).toFixed(1)} MB, ${crateFigures.entries} entries, ${(crateFigures.bytes / 1e6).toFixed(1)} MB decompressed, ` +
      `${crateMs.toFixed(0)} ms (median of ${crateFigures.ms.length} in one process: ${crateFigures.ms.map((ms) => ms.toFixed(0)).join(', ')}), peak RSS ${checking.rssMb.toFixed(0)} MB`,
  )

  // 3.
  const bomb = path.join(folder, 'bomb-0.1.0.crate')
  const size = 10 * 1024 ** 3
  const zeros = Buffer.alloc(1 << 20)
  let made = 0
  const started = performance.now()
  async function* content() {
    for (; made < size; made += zeros.length) yield zeros
  }
  const manifest = '[package]\nname = "bomb"\nversion = "0.1.0"\n'
  await pipeline(packCrate([{ path: 'bomb-0.1.0/Cargo.toml', content: manifest }, { path: 'bomb-0.1.0/zeros', content: content(), size }], { level: 6 }), createWriteStream(bomb))
  const generated = (performance.now() - started) / 1000
  const bombRun = await measure([...tsx, path.join(repository, 'tools/bench/security-package.ts'), 'bomb', bomb])
  const bombFigures = lastJson<{ ms: number; size: number; findings: string[]; bytes: number }>(bombRun)
  const stopped = bombFigures.findings.includes('too-large') && bombFigures.bytes === DEFAULT_MAX_BYTES + 1
  console.log(
    `${label('check-package, bomb')} ${(bombFigures.size / 1e6).toFixed(1)} MB that inflates to ${(made / 1024 ** 3).toFixed(1)} GiB (made in ${generated.toFixed(1)} s): ` +
      `stopped ${stopped ? 'at' : 'NOT at'} the ${DEFAULT_MAX_BYTES / 1024 ** 2} MiB limit in ${(bombFigures.ms / 1000).toFixed(2)} s, peak RSS ${bombRun.rssMb.toFixed(0)} MB`,
  )

  // 4.
  console.log(
    `typosquat, default corpus: ${Math.round(defaultCorpus.perSecond).toLocaleString('en')} names/s ` +
      `(target >= ${targets.defaultNamesPerSecond.toLocaleString('en')}: ${met(defaultCorpus.perSecond >= targets.defaultNamesPerSecond)})`,
  )
  console.log(
    `typosquat, 150,000 names: ${Math.round(registry.perSecond).toLocaleString('en')} names/s, peak RSS ${registry.rssMb.toFixed(0)} MB ` +
      `(target >= ${targets.registryNamesPerSecond.toLocaleString('en')} names/s and < ${targets.registryRssMb} MB: ` +
      `${met(registry.perSecond >= targets.registryNamesPerSecond && registry.rssMb < targets.registryRssMb)})`,
  )
  console.log(`check-package, 10 MB crate: ${mbPerSecond.toFixed(1)} MB/s (the issue sets no target)`)
  console.log(
    `check-package, bomb: peak RSS ${bombRun.rssMb.toFixed(0)} MB, stopped at the limit: ${stopped ? 'yes' : 'no'} ` +
      `(bound < ${targets.bombRssMb} MB and stopped at the limit: ${met(stopped && bombRun.rssMb < targets.bombRssMb)})`,
  )
}
