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
 *
 * Steps 4 to 6 are single runs: a cold Rust run takes a minute or more on 2 cores.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RustResults } from '../ferrule/examples/rust-results.ts'
import { writeCorpus } from './corpus.ts'
import { writeTsBook } from './ts-book.ts'

const repository = fileURLToPath(new URL('../../', import.meta.url))
const runs = Number(process.env.BENCH_RUNS ?? 3)
const targets = { ratio: 1.5, rssMb: 500, warmRustSeconds: 2 }

interface Sample {
  seconds: number
  rssMb: number
  stdout: string
}

/** Run Node with `args` in a fresh process (in `cwd`, default the repository); its wall time, peak RSS and stdout. */
async function measure(args: string[], cwd = repository): Promise<Sample> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', path.join(repository, 'tools/bench/report-usage.mjs'), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const seconds = (performance.now() - started) / 1000
  if (status !== 0) throw new Error(`\`${args.join(' ')}\` failed (${status}):\n${stderr}`)
  const usage = /\{"ferruleBenchMaxRssKb":(\d+)\}/.exec(stderr)
  if (!usage) throw new Error(`No usage line from \`${args.join(' ')}\``)
  return { seconds, rssMb: Number(usage[1]) / 1024, stdout }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const label = (name: string) => name.padEnd(28)

async function series(name: string, args: string[]): Promise<Pick<Sample, 'seconds' | 'rssMb'>> {
  const samples: Sample[] = []
  for (let run = 0; run < runs; run++) samples.push(await measure(args))
  const result = { seconds: median(samples.map((s) => s.seconds)), rssMb: Math.max(...samples.map((s) => s.rssMb)) }
  const all = samples.map((s) => s.seconds.toFixed(2)).join(', ')
  console.log(`${label(name)} ${result.seconds.toFixed(2)} s wall (median of ${runs}: ${all}), peak RSS ${result.rssMb.toFixed(0)} MB`)
  return result
}

/** `rustc --version`, or undefined when rustc cannot be run. */
function rustcVersion(): string | undefined {
  const result = spawnSync('rustc', ['--version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

/** The JSON line a helper script prints last on stdout. */
function lastJson<T>(sample: Sample): T {
  const line = sample.stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as T
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

const work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-bench-'))
try {
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
} finally {
  await rm(work, { recursive: true, force: true })
}
