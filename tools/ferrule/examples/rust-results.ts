/**
 * `test-results/rust.json`: the outcome of every Rust example, written both by `ferrule test-rust`
 * and by the vitest run (through `RustResultsReporter`), in one format that the matrix reads.
 */

/** The outcome of one Rust example, bound to its rule. */
export interface RustExampleResult {
  /** Stable across runs: `rust:` chapter path `:` line. */
  id: string
  /** `[RULE-ID] chapter-path:line`, the title of its vitest test. */
  title: string
  /** The rule the example verifies, or `null` when it stands in none. */
  rule: string | null
  /** Every rule ID the test names (the one rule, or none). */
  rules: string[]
  /** Chapter path relative to the spec root, as in `rules.json`. */
  file: string
  /** Line of the opening fence. */
  line: number
  /** Fingerprint of the rule's text the example was checked against, when the rule is in its chapter. */
  fingerprint: string | null
  status: 'passed' | 'failed' | 'skipped'
  reason?: string
  durationMs: number
  /** Whether the outcome came from the cache without running rustc. */
  cached: boolean
}

export interface RustResults {
  /** `rustc` release that produced the results, or `null` when rustc is missing. */
  rustc: string | null
  examples: RustExampleResult[]
}

/** Fill in the derived fields of a result. */
export function rustResult(fields: Omit<RustExampleResult, 'id' | 'title' | 'rules'>): RustExampleResult {
  const title = `[${fields.rule ?? 'no rule'}] ${fields.file}:${fields.line}`
  const result: RustExampleResult = { id: `rust:${fields.file}:${fields.line}`, title, rules: fields.rule === null ? [] : [fields.rule], ...fields }
  if (result.reason === undefined) delete result.reason
  return result
}

/** The JSON text of `rust.json`: examples in chapter path and line order, keys sorted. */
export function rustResultsToJson(results: RustResults): string {
  const examples = [...results.examples].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
  const sorted = { examples: examples.map((example) => sortKeys(example)), rustc: results.rustc }
  return JSON.stringify(sorted, null, 2) + '\n'
}

/** What `ferrule test-rust --json` prints for each example. */
export function rustResultsToSummary(results: RustResults): Array<Pick<RustExampleResult, 'rule' | 'file' | 'line' | 'status' | 'reason'>> {
  return results.examples.map(({ rule, file, line, status, reason }) => (reason === undefined ? { rule, file, line, status } : { rule, file, line, status, reason }))
}

function sortKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) as T
}
