import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { startVitest, type TestCase } from 'vitest/node'
import ferruleExamples from '../../../tools/ferrule/examples/vite-plugin.ts'
import { fixturesRoot } from '../../helpers/fixtures.ts'
import { hasRustc } from '../../helpers/rustc.ts'

const book = path.join(fixturesRoot, 'examples/book')

interface Outcome {
  state: string
  errors: string[]
  /** `file:line` of the first stack frame of the first error, after source maps. */
  at: string | undefined
  note: string | undefined
  rules: string[] | undefined
  location: string | undefined
}

/** Run the fixture book's chapters as vitest runs this repository's spec: through the plugin, in a vitest of its own. */
async function runBook(rustc: string): Promise<Map<string, Outcome>> {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'ferrule-rust-cache-'))
  const vitest = await startVitest(
    'test',
    [],
    { watch: false, config: false, reporters: [{ onInit() {} }], root: process.cwd() },
    { plugins: [ferruleExamples({ root: book, rust: { cacheDir, rustc } })] },
  )
  const outcomes = new Map<string, Outcome>()
  try {
    for (const module of vitest.state.getTestModules()) {
      for (const test of module.children.allTests()) outcomes.set(test.name, outcomeOf(test))
    }
  } finally {
    await vitest.close()
    rmSync(cacheDir, { recursive: true, force: true })
  }
  return outcomes
}

function outcomeOf(test: TestCase): Outcome {
  const result = test.result()
  const errors = result.state === 'failed' ? result.errors : []
  const frame = errors[0]?.stacks?.[0]
  return {
    state: result.state,
    errors: errors.map((error) => error.message),
    at: frame ? `${path.basename(frame.file)}:${frame.line}` : undefined,
    note: result.state === 'skipped' ? result.note : undefined,
    rules: test.meta().rules,
    location: test.location ? `${test.location.line}` : undefined,
  }
}

describe('chapters as vitest test modules', () => {
  let outcomes: Map<string, Outcome>
  beforeAll(async () => {
    outcomes = await runBook('rustc')
  }, 120_000)

  const get = (title: string): Outcome => {
    const outcome = outcomes.get(title)
    if (!outcome) throw new Error(`No test titled ${title}; there are: ${[...outcomes.keys()].join(', ')}`)
    return outcome
  }

  test('each example is one test titled `[RULE-ID] chapter-path:line`, placed on its fence', () => {
    expect([...outcomes.keys()].filter((title) => title.includes('ts.md')).sort()).toEqual([
      '[ex.fail] ts.md:17',
      '[ex.ignored] ts.md:45',
      '[ex.ignored] ts.md:49',
      '[ex.pass] ts.md:55',
      '[ex.pass] ts.md:6',
      '[ex.throws] ts.md:27',
      '[ex.throws] ts.md:31',
      '[ex.types] ts.md:38',
      '[ex.nope] ts.md:65',
      '[no rule] ts.md:60',
    ].sort())
    expect(get('[ex.fail] ts.md:17').location).toBe('17')
    expect(get('[ex.pass] ts.md:6').rules).toEqual(['ex.pass'])
  })

  test('a passing example imports project modules by package name and may use top-level await', () => {
    expect(get('[ex.pass] ts.md:6')).toMatchObject({ state: 'passed' })
    expect(get('[ex.pass] ts.md:55')).toMatchObject({ state: 'passed' })
  })

  test('a failing example points at the line of the chapter, not of a generated file', () => {
    const failed = get('[ex.fail] ts.md:17')
    expect(failed.state).toBe('failed')
    expect(failed.errors[0]).toMatch(/Expected values to be strictly equal/)
    expect(failed.at).toBe('ts.md:21')
  })

  test('`should-throw` passes only when the example throws', () => {
    expect(get('[ex.throws] ts.md:27').state).toBe('passed')
    const quiet = get('[ex.throws] ts.md:31')
    expect(quiet.state).toBe('failed')
    expect(quiet.errors[0]).toContain('ts.md:31: expected the example to throw')
  })

  test('a type error fails the example, at its place in the chapter', () => {
    const typed = get('[ex.types] ts.md:38')
    expect(typed.state).toBe('failed')
    expect(typed.errors[0]).toMatch(/ts\.md:39:7: TS2322: Type 'string' is not assignable to type 'number'/)
  })

  test('`ignore` with a reason is skipped with it; without one it fails with a diagnostic', () => {
    expect(get('[ex.ignored] ts.md:45')).toMatchObject({ state: 'skipped', note: 'needs network access' })
    const bare = get('[ex.ignored] ts.md:49')
    expect(bare.state).toBe('failed')
    expect(bare.errors[0]).toContain('ts.md:49:1: Expected a reason after `ignore`')
    expect(bare.errors[0]).toContain('(ferrule:ignore-without-reason)')
  })

  test('an example outside any rule, or naming an unknown one, fails with a diagnostic', () => {
    expect(get('[no rule] ts.md:60').errors[0]).toContain('(ferrule:example-outside-rule)')
    expect(get('[ex.nope] ts.md:65').errors[0]).toContain('Unknown rule ID `ex.nope` in the `rule=` of an example')
  })

  // Reason: these need a Rust toolchain; without one, the next test shows they are skipped instead.
  test.skipIf(!hasRustc)('Rust examples run under rustc with rustdoc’s words', () => {
    expect(get('[ex.rust.run] rust.md:6').state).toBe('passed')
    expect(get('[ex.rust.compile-fail] rust.md:14').state).toBe('passed')
    expect(get('[ex.rust.compile-fail] rust.md:18').errors[0]).toMatch(/rust\.md:18: .*expected a compile error/i)
    expect(get('[ex.rust.panic] rust.md:25').state).toBe('passed')
    expect(get('[ex.rust.panic] rust.md:29').errors[0]).toMatch(/expected a panic/i)
  })
})

test('without rustc, Rust examples are skipped with the reason and nothing fails', async () => {
  const outcomes = await runBook(path.join(os.tmpdir(), 'no-such-dir', 'rustc'))
  const rust = [...outcomes].filter(([title]) => title.includes('rust.md'))
  expect(rust).toHaveLength(5)
  for (const [, outcome] of rust) {
    expect(outcome.state).toBe('skipped')
    expect(outcome.note).toMatch(/rustc/)
  }
}, 120_000)
