import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { main, type Io } from '../../tools/ferrule/cli.ts'
import { resolveConfig } from '../../tools/ferrule/config.ts'
import { testRust } from '../../tools/ferrule/test-rust.ts'
import { fixturesRoot } from '../helpers/fixtures.ts'
import { hasRustc } from '../helpers/rustc.ts'


let work: string
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-test-rust-'))
  await cp(path.join(fixturesRoot, 'examples/book'), path.join(work, 'spec'), { recursive: true })
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

const config = () => resolveConfig(work, {})
const cacheDir = () => path.join(work, 'cache')

describe('ferrule test-rust', () => {
  test('without rustc on PATH every Rust example is skipped with that reason, and the run passes', async () => {
    const result = await testRust({ config: config(), runner: { cacheDir: cacheDir(), env: { ...process.env, PATH: work } } })
    expect(result.rustc).toBeNull()
    expect(result.examples.map((example) => [example.title, example.status, example.reason])).toEqual([
      ['[ex.rust.run] rust.md:6', 'skipped', 'rustc not found on PATH'],
      ['[ex.rust.compile-fail] rust.md:14', 'skipped', 'rustc not found on PATH'],
      ['[ex.rust.compile-fail] rust.md:18', 'skipped', 'rustc not found on PATH'],
      ['[ex.rust.panic] rust.md:25', 'skipped', 'rustc not found on PATH'],
      ['[ex.rust.panic] rust.md:29', 'skipped', 'rustc not found on PATH'],
    ])
  })

  // Reason: the tests below compile with rustc; without it, the test above is what applies.
  test.skipIf(!hasRustc)('results are bound to rules, written to test-results/rust.json, and cached by example text', async () => {
    const first = await testRust({ config: config(), runner: { cacheDir: cacheDir() } })
    expect(first.examples.map((example) => [example.rule, example.line, example.status, example.cached])).toEqual([
      ['ex.rust.run', 6, 'passed', false],
      ['ex.rust.compile-fail', 14, 'passed', false],
      ['ex.rust.compile-fail', 18, 'failed', false],
      ['ex.rust.panic', 25, 'passed', false],
      ['ex.rust.panic', 29, 'failed', false],
    ])
    const written = JSON.parse(await readFile(path.join(work, 'dist/test-results/rust.json'), 'utf8'))
    expect(written.rustc).toMatch(/^\d+\.\d+\.\d+/)
    expect(written.examples[0]).toMatchObject({ id: 'rust:rust.md:6', title: '[ex.rust.run] rust.md:6', rules: ['ex.rust.run'], file: 'rust.md', line: 6, status: 'passed' })

    // Change one example: only it runs again.
    const chapter = path.join(work, 'spec/rust.md')
    await writeFile(chapter, (await readFile(chapter, 'utf8')).replace('assert_eq!(double(21), 42);', 'assert_eq!(double(2), 4);'))
    const second = await testRust({ config: config(), runner: { cacheDir: cacheDir() } })
    expect(second.examples.map((example) => [example.line, example.cached])).toEqual([
      [6, false],
      [14, true],
      [18, true],
      [25, true],
      [29, true],
    ])
    expect(second.examples[0]!.status).toBe('passed')
    // The unchanged chapter's examples came from the examples cache, with the same diagnostics.
    const diagnostics = (run: typeof first) => run.files.flatMap((file) => file.messages.map((message) => `${file.path}:${message.line}:${message.column} ${message.ruleId}`))
    expect(diagnostics(second)).toEqual(diagnostics(first))
    expect(diagnostics(first)).toEqual([
      'spec/ts.md:49:1 ignore-without-reason',
      'spec/ts.md:60:1 example-outside-rule',
      'spec/ts.md:65:1 unknown-rule',
    ])
  }, 60_000)

  test.skipIf(!hasRustc)('--json prints one object per example, and the exit status is 1 when one failed', async () => {
    let stdout = ''
    let stderr = ''
    const io: Io = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: work, color: false }
    const status = await main(['test-rust', '--json'], io)
    expect(status).toBe(1)
    const printed = JSON.parse(stdout) as Array<Record<string, unknown>>
    expect(printed).toHaveLength(5)
    expect(printed[0]).toEqual({ rule: 'ex.rust.run', file: 'rust.md', line: 6, status: 'passed' })
    expect(printed[2]).toMatchObject({ rule: 'ex.rust.compile-fail', file: 'rust.md', line: 18, status: 'failed' })
    expect(printed[2]!.reason).toMatch(/expected a compile error/)
    expect(stderr).toMatch(/rust examples: 3 passed, 2 failed, 0 skipped/)
  }, 60_000)
})
