import path from 'node:path'
import { ruleIdsInTitle } from './test-tags.ts'
import type { TestResult, TestStatus } from './types.ts'

/** The part of vitest's JSON reporter output the matrix reads. */
interface VitestReport {
  testResults: Array<{
    name: string
    assertionResults: Array<{
      ancestorTitles?: string[]
      fullName?: string
      title: string
      status: string
      duration?: number | null
      location?: { line: number; column: number } | null
      meta?: { id?: unknown; rules?: unknown; example?: { fingerprint?: unknown } } | null
    }>
  }>
}

/**
 * Tests from a file of vitest's JSON reporter. A test is named by its `meta.id` when it has one
 * (spec examples: `ts:` or `rust:` chapter `:` line), else by its file and full title, which stay
 * the same from run to run; a repeated full title in one file gets `#2`, `#3`... Rule IDs come from
 * `meta.rules`, else from `[ID]` in the titles.
 *
 * Throws when `text` is not such a report, naming `file`.
 */
export function vitestJsonToResults(text: string, file: string, cwd: string): TestResult[] {
  let report: VitestReport
  try {
    report = JSON.parse(text) as VitestReport
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}); expected the output of vitest's JSON reporter`)
  }
  if (!report || !Array.isArray(report.testResults)) {
    throw new Error(`${file}: expected the output of vitest's JSON reporter, with a \`testResults\` list`)
  }
  const tests: TestResult[] = []
  for (const module of report.testResults) {
    const testFile = toRelative(module.name, cwd)
    const seen = new Map<string, number>()
    for (const assertion of module.assertionResults ?? []) {
      const titles = [...(assertion.ancestorTitles ?? []), assertion.title]
      const fullName = assertion.fullName ?? titles.join(' ')
      const count = (seen.get(fullName) ?? 0) + 1
      seen.set(fullName, count)
      const metaId = typeof assertion.meta?.id === 'string' ? assertion.meta.id : undefined
      const metaRules = Array.isArray(assertion.meta?.rules) ? assertion.meta.rules.filter((id): id is string => typeof id === 'string') : undefined
      tests.push({
        id: metaId ?? `${testFile}#${fullName}${count > 1 ? `#${count}` : ''}`,
        title: fullName,
        name: assertion.title,
        file: testFile,
        line: assertion.location?.line ?? null,
        status: statusOf(assertion.status),
        durationMs: typeof assertion.duration === 'number' ? Math.round(assertion.duration) : null,
        source: 'vitest',
        rules: metaRules ?? ruleIdsInTitle(titles.join(' ')),
        ruleFingerprints: exampleFingerprints(metaRules, assertion.meta?.example?.fingerprint),
      })
    }
  }
  return tests
}

/** A spec example records the fingerprint of the one rule it verifies, as it ran. */
function exampleFingerprints(rules: string[] | undefined, fingerprint: unknown): Record<string, string> | null {
  return rules?.length === 1 && typeof fingerprint === 'string' ? { [rules[0]!]: fingerprint } : null
}

function statusOf(status: string): TestStatus {
  if (status === 'passed') return 'passed'
  if (status === 'failed') return 'failed'
  // `skipped`, `pending`, `todo`, `disabled`: it did not run.
  return 'skipped'
}

function toRelative(file: string, cwd: string): string {
  return (path.isAbsolute(file) ? path.relative(cwd, file) : file).split(path.sep).join('/')
}
