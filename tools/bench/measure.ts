import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder, `/`-terminated. */
export const repository = fileURLToPath(new URL('../../', import.meta.url))

/** Fresh processes per timed series (`BENCH_RUNS`, default 3). */
export const runs = Number(process.env.BENCH_RUNS ?? 3)

export interface Sample {
  seconds: number
  rssMb: number
  stdout: string
}

/** Run Node with `args` in a fresh process (in `cwd`, default the repository); its wall time, peak RSS and stdout. */
export async function measure(args: string[], cwd = repository): Promise<Sample> {
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

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** `name` padded so that the figures after it line up. */
export const label = (name: string) => name.padEnd(28)

/** Time `args` in `runs` fresh processes (in `cwd`); print and return the median wall time and the highest peak RSS. */
export async function series(name: string, args: string[], cwd = repository): Promise<Pick<Sample, 'seconds' | 'rssMb'>> {
  const samples: Sample[] = []
  for (let run = 0; run < runs; run++) samples.push(await measure(args, cwd))
  const result = { seconds: median(samples.map((s) => s.seconds)), rssMb: Math.max(...samples.map((s) => s.rssMb)) }
  const all = samples.map((s) => s.seconds.toFixed(2)).join(', ')
  console.log(`${label(name)} ${result.seconds.toFixed(2)} s wall (median of ${runs}: ${all}), peak RSS ${result.rssMb.toFixed(0)} MB`)
  return result
}

/** The JSON line a helper script prints last on stdout. */
export function lastJson<T>(sample: Sample): T {
  const line = sample.stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as T
}
