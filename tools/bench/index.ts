/**
 * `npm run bench`: the figures the issues ask for, on inputs generated here.
 *
 * 1. Generate a corpus the size of a real language reference (see corpus.ts).
 * 2. Time a cold `ferrule build` of it in a fresh process, several times, and read its peak RSS.
 * 3. Time the floor (floor.ts) the same way.
 * 4. Print the medians, the ratio build/floor and whether the targets hold.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeCorpus } from './corpus.ts'

const repository = fileURLToPath(new URL('../../', import.meta.url))
const runs = Number(process.env.BENCH_RUNS ?? 3)
const targets = { ratio: 1.5, rssMb: 500 }

interface Sample {
  seconds: number
  rssMb: number
}

async function measure(args: string[]): Promise<Sample> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', path.join(repository, 'tools/bench/report-usage.mjs'), ...args], {
    cwd: repository,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const seconds = (performance.now() - started) / 1000
  if (status !== 0) throw new Error(`\`${args.join(' ')}\` failed (${status}):\n${stderr}`)
  const usage = /\{"ferruleBenchMaxRssKb":(\d+)\}/.exec(stderr)
  if (!usage) throw new Error(`No usage line from \`${args.join(' ')}\``)
  return { seconds, rssMb: Number(usage[1]) / 1024 }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function series(name: string, args: string[]): Promise<Sample> {
  const samples: Sample[] = []
  for (let run = 0; run < runs; run++) samples.push(await measure(args))
  const result = { seconds: median(samples.map((s) => s.seconds)), rssMb: Math.max(...samples.map((s) => s.rssMb)) }
  const all = samples.map((s) => s.seconds.toFixed(2)).join(', ')
  console.log(`${name.padEnd(28)} ${result.seconds.toFixed(2)} s wall (median of ${runs}: ${all}), peak RSS ${result.rssMb.toFixed(0)} MB`)
  return result
}

const work = await mkdtemp(path.join(tmpdir(), 'ferrule-bench-'))
try {
  const corpus = path.join(work, 'corpus')
  const stats = await writeCorpus(corpus)
  console.log(
    `corpus: ${stats.chapters} chapters, ${stats.rules} rules, ${(stats.bytes / 1e6).toFixed(2)} MB of Markdown, ` +
      `${stats.rustBlocks} Rust blocks, ${stats.crossLinks} cross-chapter rule links`,
  )
  const tsx = ['--import', 'tsx']
  const build = await series('ferrule build (cold)', [
    path.join(repository, 'bin/ferrule.js'), 'build', '--root', corpus, '--out', path.join(work, 'dist'), '--quiet',
  ])
  const floor = await series('floor (unified + shiki)', [...tsx, path.join(repository, 'tools/bench/floor.ts'), corpus, path.join(work, 'floor')])
  const ratio = build.seconds / floor.seconds
  console.log(`ratio build/floor: ${ratio.toFixed(2)} (target <= ${targets.ratio}: ${ratio <= targets.ratio ? 'met' : 'NOT met'})`)
  console.log(`peak RSS of build: ${build.rssMb.toFixed(0)} MB (target < ${targets.rssMb} MB: ${build.rssMb < targets.rssMb ? 'met' : 'NOT met'})`)
} finally {
  await rm(work, { recursive: true, force: true })
}
