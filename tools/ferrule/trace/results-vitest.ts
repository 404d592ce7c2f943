import path from 'node:path'
import { ruleIdsInTitle } from './test-tags.ts'
import type { Finding, TestResult, TestStatus } from './types.ts'

/** The part of vitest's JSON reporter output the matrix reads. */
interface VitestReport {
  testResults: Array<{
    name: string
    /** `failed` also when the file failed outside its tests, then with a `message`. */
    status?: string
    message?: string
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
export function vitestJsonToResults(text: string, file: string, cwd: string): { tests: TestResult[]; findings: Finding[] } {
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
  const findings: Finding[] = []
  report.testResults.forEach((module, index) => {
    const where = `${file}: testResults[${index}]`
    if (typeof module !== 'object' || module === null || typeof module.name !== 'string') throw new Error(`${where} is not a test file's results (an object with a \`name\`)`)
    if (module.assertionResults !== undefined && !Array.isArray(module.assertionResults)) throw new Error(`${where}.assertionResults is not a list`)
    const testFile = toRelative(module.name, cwd)
    // A file that failed outside its tests (it did not load, a hook threw) may have run none of them.
    if (module.status === 'failed' && !(module.assertionResults ?? []).some((assertion) => assertion?.status === 'failed')) {
      findings.push({
        rule: 'ferrule:failed-suite',
        severity: 'error',
        file: testFile,
        line: null,
        message: `Test file \`${testFile}\` failed outside its tests${typeof module.message === 'string' && module.message !== '' ? ` (${firstLine(module.message)})` : ''}; its tests may not have run, so the rules they verify are not known to be verified`,
        ruleId: null,
        testId: null,
      })
    }
    const seen = new Map<string, number>()
    ;(module.assertionResults ?? []).forEach((assertion, position) => {
      if (typeof assertion !== 'object' || assertion === null || typeof assertion.title !== 'string' || typeof assertion.status !== 'string') {
        throw new Error(`${where}.assertionResults[${position}] is not a test's result (an object with a \`title\` and a \`status\`)`)
      }
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
    })
  })
  return { tests, findings }
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim()
  return line.length > 200 ? `${line.slice(0, 200)}...` : line
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
