import path from 'node:path'
import type { VFile } from 'vfile'
import type { SpecReader } from './compile/compile.ts'
import type { ResolvedConfig } from './config.ts'
import { collectExamples } from './examples/collect.ts'
import { createRustRunner, type RustRunnerOptions } from './examples/rust-runner.ts'
import { rustResult, rustResultsToJson, type RustExampleResult, type RustResults } from './examples/rust-results.ts'
import { countMessages, type Counts } from './report.ts'
import { writeFileAtomically } from './site/atomic-write.ts'
import { fsSpecReader } from './site/fs-reader.ts'

export interface TestRustOptions {
  config: ResolvedConfig
  /** How the runner finds rustc, caches and runs (default: rustc on PATH, cache under node_modules). */
  runner?: RustRunnerOptions
  /** Where each chapter's examples are cached by its text (default: under node_modules). */
  examplesCacheDir?: string
  reader?: SpecReader
  /** Called with each result as it arrives. */
  onResult?: (result: RustExampleResult) => void
}

export interface TestRustResult extends RustResults {
  /** Files with their diagnostics. */
  files: VFile[]
  counts: Counts
  /** Where the results were written. */
  resultsFile: string
}

/**
 * Check every ` ```rust ` example of the spec with rustc.
 *
 * 1. Collect the examples of every chapter, with the rules they stand in and the diagnostics about
 *    them (cached per chapter text: parsing is most of a run whose outcomes are all cached).
 * 2. Check each example through one runner (cached, at most the core count at once).
 * 3. Write `test-results/rust.json` into the output folder.
 */
export async function testRust(options: TestRustOptions): Promise<TestRustResult> {
  const { config } = options
  const collected = await collectExamples(config, options.reader ?? fsSpecReader(config.root), { cacheDir: options.examplesCacheDir })
  const runner = createRustRunner(options.runner)

  const pending: Array<Promise<RustExampleResult>> = []
  for (const example of collected.examples) {
    const { info, line } = example
    if (info.runner !== 'rust') continue
    const base = { rule: example.rule ?? null, file: example.chapter, line, fingerprint: example.fingerprint }
    if (info.ignore !== undefined) {
      const result = rustResult({ ...base, status: 'skipped', reason: info.ignore || 'ignored, with no reason given', durationMs: 0, cached: false })
      options.onResult?.(result)
      pending.push(Promise.resolve(result))
      continue
    }
    const job = {
      code: example.code,
      attributes: { mode: info.mode, edition: info.edition, errorCodes: info.errorCodes },
      origin: { file: path.relative(config.cwd, path.join(config.root, example.chapter)), firstLine: line + 1 },
    }
    pending.push(
      runner.run(job).then((outcome) => {
        const result = rustResult({ ...base, ...outcome })
        options.onResult?.(result)
        return result
      }),
    )
  }
  const examples = await Promise.all(pending)
  const results: RustResults = { rustc: (await runner.version()) ?? null, examples }
  const resultsFile = path.join(config.outDir, 'test-results', 'rust.json')
  await writeFileAtomically(resultsFile, rustResultsToJson(results))
  return { ...results, files: collected.files, counts: countMessages(collected.files), resultsFile }
}
