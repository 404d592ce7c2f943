/**
 * The floor of the Rust examples figure: rustc alone on the programs `ferrule test-rust` compiles,
 * with the runner's flags and parallelism, and no cache, no book, no bookkeeping in the time.
 *
 * 1. Setup, untimed: compile the book (Ferrule's compileSpec) for its ```` ```rust ```` blocks, turn
 *    each into its program (rustToProgram) and write it to a folder of its own.
 * 2. Timed: at most os.availableParallelism() at once, compile each as the runner does
 *    (`--edition E --crate-type bin`, `--emit=metadata` for `compile_fail` and `no_run`) and run the
 *    binary of `run` and `should_panic` blocks.
 * 3. Check that every block did what its mode says, so that the floor did the same work as the runner.
 * 4. Print `{"rustFloorSeconds": S, "examples": N}` on stdout.
 *
 * Usage: node --import tsx tools/bench/rust-floor.ts CORPUS
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { compileSpec } from '../ferrule/compile/compile.ts'
import { resolveConfig } from '../ferrule/config.ts'
import { rustToProgram, type RustMode } from '../ferrule/examples/rust-source.ts'
import { fsSpecReader } from '../ferrule/site/fs-reader.ts'

const [corpus] = process.argv.slice(2)
if (!corpus) throw new Error('Usage: rust-floor.ts CORPUS')

interface Job {
  dir: string
  mode: RustMode
  edition: string
  where: string
}

/** Exit status of a command; its output is drained, not kept. */
function exitStatus(command: string, args: string[], cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    // Pipes, as the runner uses, read so that a chatty process never blocks on a full one.
    child.stdout.resume()
    child.stderr.resume()
    child.on('error', reject)
    child.on('close', (code) => resolve(code))
  })
}

/** Compile (and maybe run) one program; returns what went differently from its mode, if anything. */
async function check(job: Job): Promise<string | undefined> {
  const binary = path.join(job.dir, 'example')
  const args = ['--edition', job.edition, '--crate-type', 'bin', '--crate-name', 'example', '-o', binary]
  if (job.mode === 'no_run' || job.mode === 'compile_fail') args.push('--emit=metadata')
  args.push('example.rs')
  const compiled = await exitStatus('rustc', args, job.dir)
  if (job.mode === 'compile_fail') return compiled === 0 ? 'compiled, expected a compile error' : undefined
  if (compiled !== 0) return `rustc exited with status ${compiled}`
  if (job.mode === 'no_run') return undefined
  const ran = await exitStatus(binary, [], job.dir)
  const expected = job.mode === 'should_panic' ? 101 : 0
  return ran === expected ? undefined : `exited with status ${ran}, expected ${expected}`
}

// 1. Setup.
const config = resolveConfig(process.cwd(), {}, { root: path.resolve(corpus) })
const spec = await compileSpec(config, fsSpecReader(config.root))
const work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-rust-floor-'))
const jobs: Job[] = []
for (const chapter of spec.chapters) {
  for (const example of chapter.file.data.examples ?? []) {
    const info = example.info
    if (info?.runner !== 'rust' || info.ignore !== undefined) continue
    const dir = path.join(work, String(jobs.length))
    await mkdir(dir)
    await writeFile(path.join(dir, 'example.rs'), rustToProgram(example.node.value).program)
    jobs.push({ dir, mode: info.mode, edition: info.edition ?? '2021', where: `${chapter.path}:${example.position?.start.line}` })
  }
}

try {
  // 2. Timed: a pool of workers, each taking the next job, as many as the runner's limit.
  const started = performance.now()
  const problems: string[] = []
  let next = 0
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const problem = await check(job)
      if (problem) problems.push(`${job.where} (${job.mode}): ${problem}`)
    }
  }
  await Promise.all(Array.from({ length: os.availableParallelism() }, worker))
  const seconds = (performance.now() - started) / 1000

  // 3. A floor that skipped work would flatter the runner.
  if (problems.length > 0) throw new Error(`${problems.length} examples did not behave as marked:\n${problems.join('\n')}`)
  // 4.
  console.log(JSON.stringify({ rustFloorSeconds: seconds, examples: jobs.length }))
} finally {
  await rm(work, { recursive: true, force: true })
}
