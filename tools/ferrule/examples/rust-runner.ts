/**
 * Compile and run ```` ```rust ```` examples with `rustc`, as rustdoc runs doctests, and cache what
 * they did.
 *
 * Each job:
 * 1. probes `rustc -vV` (once per runner); without rustc every job is skipped, none fails;
 * 2. turns the block into a program (`rustToProgram`) and looks its outcome up in the cache;
 * 3. on a miss, waits for a free slot, compiles in a fresh temporary folder and runs the binary;
 * 4. caches the outcome unless it depended on the machine (a timeout, a killed rustc);
 * 5. rewrites `example.rs:L:C` in the reason to the Markdown file's `file:line:col`.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createDebugger } from '../debug.ts'
import { writeFileAtomically } from '../site/atomic-write.ts'
import { rustToProgram, type RustAttributes, type RustProgram } from './rust-source.ts'

/** One ```` ```rust ```` block to check. */
export interface RustJob {
  /** Block text as written (with `# ` hidden lines). */
  code: string
  attributes: RustAttributes
  /** Where the block's first code line is, to rewrite rustc's `example.rs:L:C` in messages to `file:line:col`. */
  origin?: { file: string; firstLine: number /* 1-based line in the .md file of code line 0 */ }
}

/** What checking a block found. */
export interface RustOutcome {
  status: 'passed' | 'failed' | 'skipped'
  /** Why it failed or was skipped: one line first, then (for failures) compiler/program output. */
  reason?: string
  durationMs: number
  /** True when the outcome came from the cache without running rustc. */
  cached: boolean
}

/** How a runner finds rustc, where it caches, and how much it runs at once. */
export interface RustRunnerOptions {
  /** Cache folder (default: `node_modules/.cache/ferrule/rust` under process.cwd()). */
  cacheDir?: string
  /** Parallel rustc processes (default: os.availableParallelism()). */
  jobs?: number
  /** rustc command (default `rustc`, looked up on PATH of `env`). */
  rustc?: string
  /** Environment for child processes (default process.env); tests pass a PATH without rustc. */
  env?: NodeJS.ProcessEnv
  /** Edition when a block names none (default '2021'). */
  edition?: string
  /** Kill a running example after this long and fail it (default 10_000 ms). Compile has its own generous limit. */
  timeoutMs?: number
}

/** Checks Rust examples; one per build, so that its limit on parallel processes holds for the build. */
export interface RustRunner {
  /** `rustc -vV` output's `release:` line, or undefined when rustc cannot be run. */
  version(): Promise<string | undefined>
  run(job: RustJob): Promise<RustOutcome>
}

/** Bump when the meaning of a cached outcome changes, so old entries stop matching. */
const cacheFormat = 1
/** rustc on a loaded machine can take a while; only a hung rustc should hit this. */
const compileTimeoutMs = 120_000
/** Output kept per stream: enough for any diagnostic, bounded for an example that prints forever. */
const maxOutputBytes = 256 * 1024

const debug = createDebugger('examples')

interface State {
  cacheDir: string
  rustc: string
  env: NodeJS.ProcessEnv
  edition: string
  timeoutMs: number
  limit: Limiter
  probe: () => Promise<Probe>
}

type Probe = { ok: true; verbose: string; release: string | undefined } | { ok: false; reason: string }

/** An outcome before its positions are rewritten and its timing added; this is what the cache holds. */
interface Verdict {
  status: 'passed' | 'failed'
  reason?: string | undefined
}

/** Create a runner. Nothing is spawned until the first `version()` or `run()`. */
export function createRustRunner(options: RustRunnerOptions = {}): RustRunner {
  const env = options.env ?? process.env
  const rustc = options.rustc ?? 'rustc'
  let probed: Promise<Probe> | undefined
  const state: State = {
    cacheDir: options.cacheDir ?? path.join(process.cwd(), 'node_modules/.cache/ferrule/rust'),
    rustc,
    env,
    edition: options.edition ?? '2021',
    timeoutMs: options.timeoutMs ?? 10_000,
    limit: createLimiter(Math.max(1, Math.floor(options.jobs ?? os.availableParallelism()))),
    probe: () => (probed ??= probeRustc(rustc, env)),
  }
  return {
    async version() {
      const probe = await state.probe()
      return probe.ok ? probe.release : undefined
    },
    run: (job) => runJob(state, job),
  }
}

async function runJob(state: State, job: RustJob): Promise<RustOutcome> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const probe = await state.probe()
  if (!probe.ok) return { status: 'skipped', reason: probe.reason, durationMs: elapsed(), cached: false }

  const source = rustToProgram(job.code)
  const edition = job.attributes.edition ?? state.edition
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        format: cacheFormat,
        rustc: probe.verbose,
        program: source.program,
        mode: job.attributes.mode,
        edition,
        errorCodes: job.attributes.errorCodes,
      }),
    )
    .digest('hex')
  const cacheFile = path.join(state.cacheDir, `${key}.json`)

  // The cache holds rustc's own `example.rs` positions: a block that moves in its chapter still hits.
  const hit = await readVerdict(cacheFile)
  if (hit) return { ...locate(hit, source, job.origin), durationMs: elapsed(), cached: true }

  const { verdict, cacheable } = await state.limit(() => compileAndRun(state, source.program, job.attributes, edition))
  if (cacheable) await writeVerdict(cacheFile, verdict)
  return { ...locate(verdict, source, job.origin), durationMs: elapsed(), cached: false }
}

/** Compile (and maybe run) one program in a temporary folder of its own, and judge the result by its mode. */
async function compileAndRun(
  state: State,
  program: string,
  attributes: RustAttributes,
  edition: string,
): Promise<{ verdict: Verdict; cacheable: boolean }> {
  const { mode, errorCodes } = attributes
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ferrule-rust-'))
  try {
    await writeFile(path.join(dir, 'example.rs'), program)
    const binary = path.join(dir, 'example')
    const args = ['--edition', edition, '--crate-type', 'bin', '--crate-name', 'example', '-o', binary]
    // As rustdoc: examples that are not run stop after type checking and borrow checking.
    if (mode === 'no_run' || mode === 'compile_fail') args.push('--emit=metadata')
    args.push('example.rs')
    // The relative path makes rustc name the file `example.rs`, which `locate` rewrites.
    const compile = await execute(state.rustc, args, { cwd: dir, env: state.env, timeoutMs: compileTimeoutMs })
    if (compile.timedOut) return uncached(`rustc did not finish within ${compileTimeoutMs / 1000} s and was stopped`)
    // A rustc killed from outside (out of memory, say) says nothing about the example.
    if (compile.signal) return uncached(`rustc was killed by ${compile.signal}`, compile.stderr)

    if (mode === 'compile_fail') {
      if (compile.code === 0) return cached('expected a compile error, but the example compiled')
      const reported = [...new Set(Array.from(compile.stderr.matchAll(/\berror\[(E\d{4})\]/g), (match) => match[1]!))]
      const missing = errorCodes.filter((code) => !reported.includes(code))
      if (missing.length > 0) {
        const expected = `expected error${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
        const got = reported.length > 0 ? `rustc reported ${reported.join(', ')}` : 'rustc reported no error code'
        return cached(`${expected} but ${got}`, compile.stderr)
      }
      return { verdict: { status: 'passed' }, cacheable: true }
    }
    if (compile.code !== 0) return cached('example failed to compile', compile.stderr)
    if (mode === 'no_run') return { verdict: { status: 'passed' }, cacheable: true }

    const run = await execute(binary, [], { cwd: dir, env: state.env, timeoutMs: state.timeoutMs })
    const output = [run.stderr, run.stdout && `stdout:\n${run.stdout}`]
    if (run.timedOut) return uncached(`example did not finish within ${state.timeoutMs} ms and was stopped`, ...output)
    const exit = run.code === null ? `was killed by ${run.signal}` : `exited with status ${run.code}`
    if (mode === 'should_panic') {
      if (run.code === 101) return { verdict: { status: 'passed' }, cacheable: true }
      if (run.code === 0) return cached('expected a panic, but the example exited normally', ...output)
      return cached(`expected a panic (exit status 101), but the example ${exit}`, ...output)
    }
    if (run.code === 0) return { verdict: { status: 'passed' }, cacheable: true }
    return cached(run.code === 101 ? 'example panicked' : `example ${exit}`, ...output)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function failure(summary: string, details: string[]): Verdict {
  const text = details.map((detail) => detail.trimEnd()).filter(Boolean)
  return { status: 'failed', reason: [summary, ...text].join('\n') }
}

function cached(summary: string, ...details: string[]): { verdict: Verdict; cacheable: boolean } {
  return { verdict: failure(summary, details), cacheable: true }
}

function uncached(summary: string, ...details: string[]): { verdict: Verdict; cacheable: boolean } {
  return { verdict: failure(summary, details), cacheable: false }
}

/**
 * Point rustc's `example.rs:L:C` (diagnostics, panic locations) at the Markdown source. Lines the
 * wrapper generated have no source, and keep `example.rs`.
 */
function locate(verdict: Verdict, source: RustProgram, origin: RustJob['origin']): Verdict {
  if (!origin || verdict.reason === undefined) return verdict
  const reason = verdict.reason.replace(/\bexample\.rs:(\d+):(\d+)/g, (whole, line: string, column: string) => {
    const index = Number(line) - 1
    const codeLine = source.lineMap[index]
    if (codeLine === undefined) return whole
    return `${origin.file}:${origin.firstLine + codeLine}:${Number(column) + (source.columnShift[index] ?? 0)}`
  })
  return { ...verdict, reason }
}

async function readVerdict(file: string): Promise<Verdict | undefined> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(file, 'utf8'))
  } catch {
    // Missing, unreadable or half-written by a crashed process: all mean "run it".
    return undefined
  }
  if (typeof data !== 'object' || data === null) return undefined
  const { status, reason } = data as Record<string, unknown>
  if (status !== 'passed' && status !== 'failed') return undefined
  if (reason !== undefined && typeof reason !== 'string') return undefined
  return { status, reason }
}

/** Write the whole entry or none, so that a parallel reader never sees half of one. */
async function writeVerdict(file: string, verdict: Verdict): Promise<void> {
  try {
    await writeFileAtomically(file, JSON.stringify({ status: verdict.status, reason: verdict.reason }) + '\n')
  } catch (error) {
    // The cache only saves time: an unwritable cache folder must not fail a build.
    debug?.('cannot write', file, error)
  }
}

async function probeRustc(rustc: string, env: NodeJS.ProcessEnv): Promise<Probe> {
  let result: Exit
  try {
    result = await execute(rustc, ['-vV'], { cwd: process.cwd(), env, timeoutMs: 30_000 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { ok: false, reason: rustc.includes(path.sep) ? `${rustc} not found` : `${rustc} not found on PATH` }
    return { ok: false, reason: `cannot run ${rustc}: ${(error as Error).message}` }
  }
  if (result.code !== 0) {
    const status = result.timedOut ? 'did not answer' : result.code === null ? `was killed by ${result.signal}` : `exited with status ${result.code}`
    return { ok: false, reason: [`\`${rustc} -vV\` ${status}`, result.stderr.trimEnd()].filter(Boolean).join('\n') }
  }
  const release = /^release:\s*(\S+)/m.exec(result.stdout)?.[1]
  return { ok: true, verbose: result.stdout, release }
}

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/**
 * Run `command` without a shell, collecting its output. Rejects only when it cannot be started;
 * a timeout kills it and resolves with `timedOut`.
 */
function execute(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout = collect(child.stdout)
    const stderr = collect(child.stderr)
    let timedOut = false
    let settled = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
      // A grandchild that inherited the pipes would otherwise hold `close` back.
      child.stdout.destroy()
      child.stderr.destroy()
    }, options.timeoutMs)
    child.on('error', (error) => {
      // Also emitted when a kill fails; only a failed start leaves nothing to wait for.
      if (settled || child.pid !== undefined) return
      settled = true
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ code, signal, stdout: stdout(), stderr: stderr(), timedOut })
    })
  })
}

function collect(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = []
  let size = 0
  let truncated = false
  stream.on('data', (chunk: Buffer) => {
    if (size >= maxOutputBytes) {
      truncated = true
      return
    }
    chunks.push(chunk)
    size += chunk.length
  })
  return () => {
    const text = Buffer.concat(chunks).subarray(0, maxOutputBytes).toString('utf8')
    return truncated || size > maxOutputBytes ? `${text}\n[output truncated]` : text
  }
}

type Limiter = <T>(task: () => Promise<T>) => Promise<T>

/** Run at most `limit` tasks at once; a finished task hands its slot straight to the oldest waiter. */
function createLimiter(limit: number): Limiter {
  let active = 0
  const waiting: Array<() => void> = []
  return async (task) => {
    if (active < limit) active++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}
