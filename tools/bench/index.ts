/**
 * `npm run bench`: the figures the issues ask for, on inputs generated here.
 *
 * 1. Generate a corpus the size of a real language reference (see corpus.ts).
 * 2. Time a cold `ferrule build` of it in a fresh process, BENCH_RUNS times, and read its peak RSS.
 * 3. Time the floor (floor.ts) the same way; print the medians, the ratio build/floor and whether
 *    the targets hold.
 * 4. Unless rustc is missing: time `ferrule test-rust` on the corpus's 600 Rust examples in a fresh
 *    process, once with an empty cache (cold) and once more in the same folder (warm), checking from
 *    `rust.json` that all passed and what came from the cache.
 * 5. Time the Rust floor (rust-floor.ts: rustc alone on the same programs); print it and cold/floor.
 * 6. Write books of 1 and of 200 trivial ```` ```ts ```` examples (ts-book.ts), run each through vitest
 *    with the plugin in a fresh process (ts-examples.ts), and print both and the time per example.
 * 7. Generate the inputs of a certification matrix: 10,000 rules, 50,000 test results, 60,000
 *    links (matrix-inputs.ts), and print what was generated.
 * 8. Time `ferrule matrix` on them in fresh processes, BENCH_RUNS times: all five formats, then
 *    `--format json,csv,html`; median wall time and peak RSS.
 * 9. Time reading + building and each exporter alone, in one process (matrix-exporters.ts), and
 *    print whether the matrix targets hold (matrix.ts).
 *
 * 10. The live preview (dev.ts): cold start, edit-to-DOM times in headless Chromium, memory after
 *     200 edits.
 * 11. The reader's site (site.ts): the bytes a first search fetches on the 3,000-rule corpus.
 * 12. The security tools (security.ts): typosquat names/s and peak RSS on 3,000 and 150,000 names,
 *     MB/s checking a 10 MB crate, time and memory on a 10 GiB decompression bomb.
 *
 * Steps 4 to 6 are single runs: a cold Rust run takes a minute or more on 2 cores.
 * `BENCH_ONLY=matrix,dev` runs those groups alone (see `groups`); `BENCH_RUNS` (default 3) sets the
 * runs per series.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { RustResults } from '../ferrule/examples/rust-results.ts'
import { writeCorpus } from './corpus.ts'
import { benchDev } from './dev.ts'
import { benchGrammar } from './grammar.ts'
import { benchSite } from './site.ts'
import { benchMatrix } from './matrix.ts'
import { label, lastJson, measure, repository, series } from './measure.ts'
import { benchSecurity } from './security.ts'
import { benchSecurity2 } from './security-2.ts'
import { benchSecurity3 } from './security-3.ts'
import { writeTsBook } from './ts-book.ts'

const targets = { ratio: 1.5, rssMb: 500, warmRustSeconds: 2 }

/** `rustc --version`, or undefined when rustc cannot be run. */
function rustcVersion(): string | undefined {
  const result = spawnSync('rustc', ['--version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

/** Steps 4 and 5. */
async function benchRust(work: string, corpus: string): Promise<void> {
  const rustc = rustcVersion()
  if (!rustc) {
    console.log('Rust examples: skipped, `rustc --version` failed (is rustc on PATH?)')
    return
  }
  console.log(`Rust examples (single runs; ${rustc}, ${os.availableParallelism()} rustc at once):`)
  // A folder of its own, so that the cache (under its node_modules) starts empty.
  const cwd = path.join(work, 'rust-cwd')
  await mkdir(cwd)
  const out = path.join(work, 'rust-out')
  const testRust = [path.join(repository, 'bin/ferrule.js'), 'test-rust', '--root', corpus, '--out', out, '--quiet']
  const run = async (name: string) => {
    const sample = await measure(testRust, cwd)
    const results = JSON.parse(await readFile(path.join(out, 'test-results/rust.json'), 'utf8')) as RustResults
    const passed = results.examples.filter((example) => example.status === 'passed').length
    const cached = results.examples.filter((example) => example.cached).length
    console.log(`${label(name)} ${sample.seconds.toFixed(2)} s wall (${passed} of ${results.examples.length} passed, ${cached} from cache), peak RSS ${sample.rssMb.toFixed(0)} MB`)
    return sample
  }
  const cold = await run('test-rust, cold cache')
  const warm = await run('test-rust, warm cache')
  const floor = lastJson<{ rustFloorSeconds: number; examples: number }>(
    await measure(['--import', 'tsx', path.join(repository, 'tools/bench/rust-floor.ts'), corpus]),
  )
  console.log(`${label('floor (rustc alone)')} ${floor.rustFloorSeconds.toFixed(2)} s (${floor.examples} examples; setup not timed)`)
  console.log(`ratio cold/floor: ${(cold.seconds / floor.rustFloorSeconds).toFixed(2)}`)
  const warmMet = warm.seconds < targets.warmRustSeconds
  console.log(`warm cache: ${warm.seconds.toFixed(2)} s (target < ${targets.warmRustSeconds} s: ${warmMet ? 'met' : 'NOT met'})`)
}

/** Step 6. */
async function benchTsExamples(work: string): Promise<void> {
  console.log('TypeScript examples (single runs; vitest with the plugin, in a fresh process):')
  const time = async (count: number) => {
    const book = path.join(work, `ts-${count}`)
    await writeTsBook(book, count)
    const sample = await measure(['--import', 'tsx', path.join(repository, 'tools/bench/ts-examples.ts'), book])
    const { tests, seconds } = lastJson<{ tests: number; seconds: number }>(sample)
    if (tests !== count) throw new Error(`Expected ${count} tests from the book of ${count} examples, vitest ran ${tests}`)
    console.log(`${label(`${count} example${count === 1 ? '' : 's'}`)} ${sample.seconds.toFixed(2)} s wall (vitest run ${seconds.toFixed(2)} s; all passed)`)
    return sample.seconds
  }
  const one = await time(1)
  const many = await time(200)
  console.log(`per example: (T200 - T1) / 199 = ${(((many - one) / 199) * 1000).toFixed(1)} ms`)
}

/** Steps 1 to 6. */
async function benchBook(work: string): Promise<void> {
  // 1.
  const corpus = path.join(work, 'corpus')
  const stats = await writeCorpus(corpus)
  const modes = Object.entries(stats.rustModes).map(([mode, count]) => `${count} ${mode}`).join(', ')
  console.log(
    `corpus: ${stats.chapters} chapters, ${stats.rules} rules, ${(stats.bytes / 1e6).toFixed(2)} MB of Markdown, ` +
      `${stats.rustBlocks} Rust blocks (${modes}), ${stats.crossLinks} cross-chapter rule links`,
  )
  // 2 and 3.
  const tsx = ['--import', 'tsx']
  const build = await series('ferrule build (cold)', [
    path.join(repository, 'bin/ferrule.js'), 'build', '--root', corpus, '--out', path.join(work, 'dist'), '--quiet',
  ])
  const floor = await series('floor (unified + shiki)', [...tsx, path.join(repository, 'tools/bench/floor.ts'), corpus, path.join(work, 'floor')])
  const ratio = build.seconds / floor.seconds
  console.log(`ratio build/floor: ${ratio.toFixed(2)} (target <= ${targets.ratio}: ${ratio <= targets.ratio ? 'met' : 'NOT met'})`)
  console.log(`peak RSS of build: ${build.rssMb.toFixed(0)} MB (target < ${targets.rssMb} MB: ${build.rssMb < targets.rssMb ? 'met' : 'NOT met'})`)
  // 4 and 5.
  await benchRust(work, corpus)
  // 6.
  await benchTsExamples(work)
}

/**
 * The groups of figures, in the order they run. To add one: 1. write `bench<Name>(work)` in a file of
 * its own; 2. add it here under the name `BENCH_ONLY` selects it by.
 */
const groups: Record<string, (work: string) => Promise<void>> = {
  // 1 to 6.
  book: benchBook,
  // 7 to 9.
  matrix: benchMatrix,
  // 10.
  dev: benchDev,
  // 11.
  site: benchSite,
  // 12.
  security: benchSecurity,
  // Publish replay and heuristics (security-2.ts): events/s on 10,000 generated events, peak RSS, crates/s and MB/s scanned.
  security2: benchSecurity2,
  // Download counting (security-3.ts): MB/s per log format against the floor, SQLite rows/s.
  security3: benchSecurity3,
  // Grammar blocks (grammar.ts): 1,000 productions parsed and rendered, and their share of a build.
  grammar: benchGrammar,
}

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim())
const unknown = only?.find((name) => !Object.hasOwn(groups, name))
if (unknown !== undefined) throw new Error(`Unexpected BENCH_ONLY \`${unknown}\`, expected some of ${Object.keys(groups).join(', ')} (or unset: all)`)
const work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-bench-'))
try {
  for (const [name, run] of Object.entries(groups)) if (!only || only.includes(name)) await run(work)
} finally {
  await rm(work, { recursive: true, force: true })
}
