import path from 'node:path'
import type { Reporter, TestCase, TestModule } from 'vitest/node'
import { writeFileAtomically } from '../site/atomic-write.ts'
import { rustResult, rustResultsToJson, type RustExampleResult } from './rust-results.ts'
import type {} from './runtime.ts'

export interface Options {
  /** Where to write (default: `dist/test-results/rust.json` under the working folder). */
  outputFile?: string
}

/**
 * Vitest reporter that writes the Rust examples of a run to `rust.json`, in the format of
 * `ferrule test-rust`. A run that reaches no Rust example (a filtered run, say) writes nothing, so
 * it never replaces a full set of results with an empty one.
 */
export default class RustResultsReporter implements Reporter {
  readonly #outputFile: string

  constructor(options: Options = {}) {
    this.#outputFile = path.resolve(options.outputFile ?? 'dist/test-results/rust.json')
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const examples: RustExampleResult[] = []
    let rustc: string | null = null
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = test.meta().example
        if (meta?.runner !== 'rust') continue
        rustc ??= meta.rustc ?? null
        examples.push(toResult(test))
      }
    }
    if (examples.length === 0) return
    await writeFileAtomically(this.#outputFile, rustResultsToJson({ rustc, examples }))
  }
}

function toResult(test: TestCase): RustExampleResult {
  const meta = test.meta().example!
  const result = test.result()
  const status = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped'
  const reason = result.state === 'failed' ? result.errors.map((error) => error.message).join('\n') : result.state === 'skipped' ? (meta.skipReason ?? result.note) : undefined
  return rustResult({
    rule: test.meta().rules?.[0] ?? null,
    file: meta.chapter,
    line: meta.line,
    fingerprint: meta.fingerprint ?? null,
    status,
    reason,
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    cached: meta.cached ?? false,
  })
}
