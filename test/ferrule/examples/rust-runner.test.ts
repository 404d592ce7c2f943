import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createRustRunner, type RustJob, type RustRunnerOptions } from '../../../tools/ferrule/examples/rust-runner.ts'
import type { RustAttributes } from '../../../tools/ferrule/examples/rust-source.ts'
import { mark } from '../../helpers/mark.ts'
import { hasRustc } from '../../helpers/rustc.ts'

// rustc is not installed everywhere Ferrule is tested; tests that compile Rust skip without it.

const lines = (...text: string[]) => text.join('\n')

let scratch: string
beforeEach(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'ferrule-rust-test-'))
})
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true })
})

/** A runner with a cache of its own, in this test's scratch folder. */
function runner(options: RustRunnerOptions = {}) {
  return createRustRunner({ cacheDir: path.join(scratch, 'cache'), ...options })
}

function job(code: string, attributes: Partial<RustAttributes> = {}, origin?: RustJob['origin']): RustJob {
  return { code, attributes: { mode: 'run', edition: undefined, errorCodes: [], ...attributes }, ...(origin ? { origin } : {}) }
}

/**
 * A stand-in for rustc: answers `-vV`, and otherwise logs `start`/`end` around a short sleep and
 * succeeds, so that tests can count and overlap compiler processes without a real compiler.
 */
async function fakeRustc(): Promise<{ rustc: string; env: NodeJS.ProcessEnv; log: () => Promise<string[]> }> {
  const rustc = path.join(scratch, 'fake-rustc')
  const log = path.join(scratch, 'rustc.log')
  const script = [
    `#!${process.execPath}`,
    "const fs = require('node:fs')",
    "if (process.argv[2] === '-vV') { process.stdout.write('rustc 0.0.0-fake\\nrelease: 0.0.0-fake\\n'); process.exit(0) }",
    "fs.appendFileSync(process.env.FAKE_RUSTC_LOG, 'start\\n')",
    "setTimeout(() => fs.appendFileSync(process.env.FAKE_RUSTC_LOG, 'end\\n'), 150)",
    '',
  ].join('\n')
  await writeFile(rustc, script, { mode: 0o755 })
  await writeFile(log, '')
  return {
    rustc,
    env: { ...process.env, FAKE_RUSTC_LOG: log },
    log: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
  }
}

describe('without rustc', () => {
  test('every job is skipped, saying why; nothing is cached', async () => {
    const emptyPath = await mkdtemp(path.join(scratch, 'path-'))
    const rust = runner({ env: { ...process.env, PATH: emptyPath } })
    expect(await rust.version()).toBeUndefined()
    const outcome = await rust.run(job('panic!()'))
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'rustc not found on PATH', cached: false })
    expect(await readdir(scratch)).not.toContain('cache')
  })

  test('a rustc that cannot be started skips jobs with the spawn error', async () => {
    const rustc = path.join(scratch, 'rustc')
    await writeFile(rustc, '', { mode: 0o644 })
    const outcome = await runner({ rustc }).run(job('let x = 1;'))
    expect(outcome.status).toBe('skipped')
    expect(outcome.reason).toMatch(/^cannot run .*rustc: .*EACCES/)
  })
})

describe('processes and cache (stand-in rustc)', () => {
  test('at most `jobs` compilers run at once across calls', async () => {
    const fake = await fakeRustc()
    const rust = runner({ rustc: fake.rustc, env: fake.env, jobs: 2 })
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((n) => rust.run(job(`let x = ${n};`, { mode: 'no_run' }))))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed'])
    let running = 0
    let most = 0
    for (const entry of await fake.log()) {
      running += entry === 'start' ? 1 : -1
      most = Math.max(most, running)
    }
    expect(most).toBe(2)
  })

  test('a repeated job comes from the cache without spawning rustc; a changed job runs', async () => {
    const fake = await fakeRustc()
    const rust = runner({ rustc: fake.rustc, env: fake.env })
    const first = await rust.run(job('let x = 1;', { mode: 'no_run' }))
    const second = await rust.run(job('let x = 1;', { mode: 'no_run' }))
    expect([first.cached, second.cached]).toEqual([false, true])
    expect(second.status).toBe('passed')
    expect(await fake.log()).toHaveLength(2)

    // Code, mode, edition and error codes each make another program or verdict.
    expect((await rust.run(job('let x = 2;', { mode: 'no_run' }))).cached).toBe(false)
    expect((await rust.run(job('let x = 1;', { mode: 'no_run', edition: '2018' }))).cached).toBe(false)
    expect((await rust.run(job('let x = 1;', { mode: 'compile_fail' }))).cached).toBe(false)
    expect((await rust.run(job('let x = 1;', { mode: 'compile_fail', errorCodes: ['E0308'] }))).cached).toBe(false)
    // Hidden or shown, the program is the same: so is the verdict.
    expect((await rust.run(job('# let x = 1;', { mode: 'no_run' }))).cached).toBe(true)
    expect(await fake.log()).toHaveLength(10)
  })

  test('a new runner reads the same cache; a corrupt entry is a miss and is replaced', async () => {
    const fake = await fakeRustc()
    await runner({ rustc: fake.rustc, env: fake.env }).run(job('let x = 1;', { mode: 'no_run' }))
    expect((await runner({ rustc: fake.rustc, env: fake.env }).run(job('let x = 1;', { mode: 'no_run' }))).cached).toBe(true)

    const cacheDir = path.join(scratch, 'cache')
    const [entry] = await readdir(cacheDir)
    await writeFile(path.join(cacheDir, entry!), '{"status": "pas')
    const outcome = await runner({ rustc: fake.rustc, env: fake.env }).run(job('let x = 1;', { mode: 'no_run' }))
    expect(outcome).toMatchObject({ status: 'passed', cached: false })
    expect(JSON.parse(await readFile(path.join(cacheDir, entry!), 'utf8'))).toEqual({ status: 'passed' })
    // Written by rename: no temporary files are left behind.
    expect(await readdir(cacheDir)).toEqual([entry])
  })
})

describe('with rustc', () => {
  test.skipIf(!hasRustc)('version is the release of `rustc -vV`', async () => {
    expect(await runner().version()).toMatch(/^\d+\.\d+\.\d+/)
  })

  test.skipIf(!hasRustc)('run: passes when it compiles and exits 0, with hidden lines compiled and `##` unescaped', async () => {
    const code = lines(
      '# #![allow(dead_code)]',
      '# fn double(x: i32) -> i32 { x * 2 }',
      '#[derive(Debug, PartialEq)]',
      'struct Wrapper(i32);',
      'let text = r"',
      '## heading',
      '";',
      'assert_eq!(text, "\\n# heading\\n");',
      'assert_eq!(Wrapper(double(2)), Wrapper(4));',
    )
    expect(await runner().run(job(code))).toMatchObject({ status: 'passed', cached: false })
  })

  test.skipIf(!hasRustc)('run: a compile error fails and points at the Markdown line, hidden lines included', async () => {
    const chapter = mark(
      lines(
        '# Values', // 1
        '', // 2
        '```rust', // 3
        '# let hidden: i32 = ‸"b";', // 4
        'let shown: i32 = ‸"a";', // 5
        '```',
      ),
    )
    const code = chapter.text.split('\n').slice(3, 5).join('\n')
    const rust = runner()
    const outcome = await rust.run(job(code, {}, { file: 'chapter.md', firstLine: 4 }))
    expect(outcome.status).toBe('failed')
    expect(outcome.reason?.split('\n')[0]).toBe('example failed to compile')
    const [hidden, shown] = chapter.places
    expect(outcome.reason).toContain(`--> chapter.md:${hidden!.line}:${hidden!.column}`)
    expect(outcome.reason).toContain(`--> chapter.md:${shown!.line}:${shown!.column}`)
    expect(outcome.reason).not.toContain('example.rs')

    // Failures are cached as rustc said them, so a block that moved still points at itself.
    const moved = await rust.run(job(code, {}, { file: 'chapter.md', firstLine: 14 }))
    expect(moved).toMatchObject({ status: 'failed', cached: true })
    expect(moved.reason).toContain(`--> chapter.md:${shown!.line + 10}:${shown!.column}`)
  })

  test.skipIf(!hasRustc)('run: a panic or a non-zero exit fails with the program output', async () => {
    const rust = runner()
    const [panicked, exited] = await Promise.all([
      rust.run(job('panic!("boom");', {}, { file: 'chapter.md', firstLine: 7 })),
      rust.run(job('eprintln!("bad input"); std::process::exit(3);')),
    ])
    expect(panicked.status).toBe('failed')
    expect(panicked.reason).toMatch(/^example panicked\n[^]*panicked at chapter\.md:7:1:\nboom/)
    expect(exited.status).toBe('failed')
    expect(exited.reason).toBe('example exited with status 3\nbad input')
  })

  test.skipIf(!hasRustc)('no_run: passes when it compiles, without running; fails on a compile error', async () => {
    const rust = runner({ timeoutMs: 200 })
    const [endless, broken] = await Promise.all([
      rust.run(job('loop {}', { mode: 'no_run' })),
      rust.run(job('let x: u8 = 256u16;', { mode: 'no_run' })),
    ])
    expect(endless.status).toBe('passed')
    expect(broken.status).toBe('failed')
    expect(broken.reason).toMatch(/^example failed to compile\nerror\[E0308\]/)
  })

  test.skipIf(!hasRustc)('compile_fail: passes on a compile error with the expected codes; fails otherwise', async () => {
    const moved = lines('let v = vec![1];', 'let w = v;', 'println!("{v:?}");')
    const rust = runner()
    const [anyError, rightCode, wrongCode, compiles] = await Promise.all([
      rust.run(job(moved, { mode: 'compile_fail' })),
      rust.run(job(moved, { mode: 'compile_fail', errorCodes: ['E0382'] })),
      rust.run(job(moved, { mode: 'compile_fail', errorCodes: ['E0499', 'E0382'] })),
      rust.run(job('let v = vec![1];', { mode: 'compile_fail' })),
    ])
    expect(anyError.status).toBe('passed')
    expect(rightCode.status).toBe('passed')
    expect(wrongCode.status).toBe('failed')
    expect(wrongCode.reason).toMatch(/^expected error E0499 but rustc reported E0382\nerror\[E0382\]/)
    expect(compiles).toMatchObject({ status: 'failed', reason: 'expected a compile error, but the example compiled' })
  })

  test.skipIf(!hasRustc)('should_panic: passes on a panic; fails when the example exits normally', async () => {
    const rust = runner()
    const [panics, returns] = await Promise.all([
      rust.run(job('let v: Vec<i32> = Vec::new();\nv[0];', { mode: 'should_panic' })),
      rust.run(job('println!("fine");', { mode: 'should_panic' })),
    ])
    expect(panics.status).toBe('passed')
    expect(returns).toMatchObject({ status: 'failed', reason: 'expected a panic, but the example exited normally\nstdout:\nfine' })
  })

  test.skipIf(!hasRustc)('editions: a bare trait object is a warning in 2018 and an error from 2021', async () => {
    const bare = lines('trait Shape {}', 'impl Shape for () {}', 'let shape: Box<Shape> = Box::new(());')
    const rust = runner()
    const [in2018, in2021, byDefault, runnerDefault2018] = await Promise.all([
      rust.run(job(bare, { mode: 'no_run', edition: '2018' })),
      rust.run(job(bare, { mode: 'no_run', edition: '2021' })),
      rust.run(job(bare, { mode: 'no_run' })),
      runner({ edition: '2018' }).run(job(bare, { mode: 'no_run' })),
    ])
    expect(in2018.status).toBe('passed')
    expect(in2021.status).toBe('failed')
    expect(in2021.reason).toContain('error[E0782]')
    expect(byDefault.status).toBe('failed')
    expect(runnerDefault2018.status).toBe('passed')
  })

  test.skipIf(!hasRustc)('wrapping: examples with `fn main`, with crate attributes, and ending in `Ok(())` all run', async () => {
    const rust = runner()
    const outcomes = await Promise.all([
      rust.run(job(lines('fn main() {', '    assert_eq!(1 + 1, 2);', '}'))),
      rust.run(job(lines('#![forbid(unsafe_code)]', 'extern crate core;', '', 'let x = core::cmp::max(1, 2);', 'assert_eq!(x, 2);'))),
      rust.run(job(lines('let n: i32 = "42".parse()?;', 'assert_eq!(n, 42);', 'Ok::<(), std::num::ParseIntError>(())'))),
      rust.run(job(lines('let n: i32 = "x".parse()?;', 'Ok::<(), std::num::ParseIntError>(())'), { mode: 'should_panic' })),
    ])
    expect(outcomes.map((outcome) => [outcome.status, outcome.reason])).toEqual([
      ['passed', undefined],
      ['passed', undefined],
      ['passed', undefined],
      ['passed', undefined],
    ])
  })

  test.skipIf(!hasRustc)('timeout: an example that runs too long is stopped, fails, and is not cached', async () => {
    const rust = runner({ timeoutMs: 300 })
    const first = await rust.run(job('loop {}'))
    expect(first).toMatchObject({ status: 'failed', reason: 'example did not finish within 300 ms and was stopped', cached: false })
    expect((await rust.run(job('loop {}'))).cached).toBe(false)
  })
})
