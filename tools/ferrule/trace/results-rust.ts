import path from 'node:path'
import type { RustResults } from '../examples/rust-results.ts'
import type { TestResult, TestStatus } from './types.ts'

const statuses: readonly TestStatus[] = ['passed', 'failed', 'skipped']

/**
 * Tests from `rust.json` (written by `ferrule test-rust` and by the vitest run). Their IDs are those
 * the same examples have in vitest's report, so a run that wrote both lists each example once.
 * `file` is the chapter under `root`, relative to `cwd`.
 */
export function rustJsonToResults(text: string, file: string, root: string, cwd: string): TestResult[] {
  let results: RustResults
  try {
    results = JSON.parse(text) as RustResults
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}); expected the rust.json of \`ferrule test-rust\``)
  }
  if (!results || !Array.isArray(results.examples)) throw new Error(`${file}: expected the rust.json of \`ferrule test-rust\`, with an \`examples\` list`)
  results.examples.forEach((example, index) => {
    const valid =
      typeof example === 'object' && example !== null && typeof example.id === 'string' && typeof example.title === 'string' && typeof example.file === 'string' &&
      (typeof example.line === 'number' || example.line === null) && (statuses as readonly unknown[]).includes(example.status) && Array.isArray(example.rules)
    if (!valid) throw new Error(`${file}: examples[${index}] is not an example's result (\`id\`, \`title\`, \`file\`, \`line\`, \`status\` passed, failed or skipped, \`rules\`)`)
  })
  return results.examples.map((example) => ({
    id: example.id,
    title: example.title,
    name: example.title,
    file: path.relative(cwd, path.join(root, example.file)).split(path.sep).join('/'),
    line: example.line,
    status: example.status,
    durationMs: typeof example.durationMs === 'number' ? Math.round(example.durationMs) : null,
    source: 'rust',
    rules: example.rules,
    ruleFingerprints: example.rule !== null && example.fingerprint ? { [example.rule]: example.fingerprint } : null,
  }))
}
