import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { rulesJsonToString, type RulesJsonEntry } from '../ferrule/compile/rules-json.ts'
import { ruleIdsInTitle } from '../ferrule/trace/test-tags.ts'
import { random } from './corpus.ts'

/** The size the matrix issue asks the benchmark to use. */
export const matrixShape = {
  rules: 10_000,
  chapters: 100,
  /** Share of rules that are threats. */
  threats: 0.05,
  tests: 50_000,
  testFiles: 500,
  /** (test, rule) links in all: tests naming no rule, one, two and three, as shares of the tests. */
  links: 60_000,
  rulesPerTest: { 0: 0.1, 1: 0.65, 2: 0.2, 3: 0.05 },
  /** Requirements that no test names (their verdict is `uncovered`). */
  uncovered: 0.15,
} as const

export interface MatrixInputs {
  /** Working folder to run `ferrule matrix` in: holds no `ferrule.config.*`. */
  cwd: string
  /** The rules inventory. */
  rules: string
  /** vitest's JSON report; `rules.json` beside it is read as the rules the run saw, as after `npm test`. */
  results: string
  /** An empty folder, for `--tests`: no test file is scanned for tags. */
  tests: string
  /** An empty folder, for `--root`: no chapter is read (makeMatrix reads only the chapters that exist). */
  root: string
}

export interface MatrixInputStats {
  chapters: number
  rules: number
  threats: number
  /** Rule IDs that the threats link to. */
  mitigations: number
  testFiles: number
  tests: number
  /** (test, rule) links, counted from the titles with the matrix's own parser. */
  links: number
  statuses: { passed: number; failed: number; skipped: number }
  /** Requirements named by no test. */
  uncoveredRequirements: number
  rulesMb: number
  resultsMb: number
}

const words = (
  'value place type trait lifetime borrow reference pointer slice array tuple struct enum union variant field ' +
  'method function closure expression statement pattern binding scope module crate item path generic bound ' +
  'implementation receiver argument parameter operand result panic unwind drop move copy clone layout alignment ' +
  'size niche discriminant representation allocation provenance validity safety invariant evaluation order ' +
  'constant static mutable shared exclusive variance subtyping coercion inference unification projection'
).split(' ')

const owners = ['T-lang', 'T-types', 'T-opsem', 'T-compiler', 'T-libs-api', 'T-spec']
const verbs = ['accepts', 'rejects', 'evaluates', 'lowers', 'infers', 'resolves', 'drops', 'moves', 'reports', 'keeps', 'computes', 'checks']
const fragments = ['`&mut T`', '`a < b`', '`Box<dyn Fn()>`', '`x & y`', '`\'static`', '`impl Trait`', '`unsafe { .. }`', '`[T; N]`']

/**
 * Write the inputs of a `ferrule matrix` run the size of `matrixShape` under `folder`, the same for
 * every `seed`: `rules.json` (rules sorted by ID, keys sorted, as `ferrule build` writes it) and
 * `vitest.json` (vitest's JSON reporter, unindented), in one folder as `npm test` leaves them.
 *
 * Tests name their rules as `[ID]` in their titles. The number of rules each test names is dealt
 * from a shuffled deck with exact counts, and the IDs in one title are distinct, so that the links
 * add up to exactly `matrixShape.links`; `stats.links` recounts them with the matrix's parser.
 */
export async function writeMatrixInputs(folder: string, seed = 2027): Promise<{ inputs: MatrixInputs; stats: MatrixInputStats }> {
  const next = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1))
  const sentence = (count: number) => {
    const chosen = Array.from({ length: count }, () => (next() < 0.06 ? pick(fragments) : pick(words)))
    chosen[0] = chosen[0]!.charAt(0).toUpperCase() + chosen[0]!.slice(1)
    return chosen.join(' ') + '.'
  }
  const shuffle = <T>(items: T[]): T[] => {
    for (let index = items.length - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1))
      ;[items[index], items[other]] = [items[other]!, items[index]!]
    }
    return items
  }

  // Rules: chapters in parts, sections in chapters; a chapter's owner is every one of its rules' owner.
  const rulesPerChapter = matrixShape.rules / matrixShape.chapters
  const rules: RulesJsonEntry[] = []
  const chapterRequirements: string[][] = []
  for (let index = 0; index < matrixShape.chapters; index++) {
    const slug = `${pick(words)}-${index}`
    const chapter = `part-${Math.floor(index / 10)}/${slug}.md`
    const owner = next() < 0.05 ? null : pick(owners)
    const requirements: string[] = []
    let line = between(5, 12)
    let section = `${pick(words)}-0`
    let sectionNumber = 0
    let threat = 0
    for (let n = 0; n < rulesPerChapter; n++) {
      if (n > 0 && next() < 0.12) section = `${pick(words)}-${++sectionNumber}`
      const isThreat = next() < matrixShape.threats
      const id = isThreat ? `threat.${slug}.t${threat++}` : `${slug}.${section}.r${n}`
      const text = Array.from({ length: between(1, 3) }, () => sentence(between(9, 22))).join(' ')
      rules.push({
        chapter,
        fingerprint: createHash('sha256').update(text).digest('hex'),
        id,
        kind: isThreat ? 'threat' : 'requirement',
        line,
        links: [],
        owner,
        parent: null,
        text,
      })
      if (!isThreat) requirements.push(id)
      line += between(3, 14)
    }
    chapterRequirements.push(requirements)
  }
  const requirements = chapterRequirements.flat()
  // Threats link to the rules that mitigate them, mostly of their own chapter; a few requirements link onwards.
  let mitigations = 0
  for (const [index, rule] of rules.entries()) {
    const home = chapterRequirements[Math.floor(index / rulesPerChapter)]!
    if (rule.kind === 'threat') {
      const links = new Set<string>()
      const count = between(2, 3)
      while (links.size < count) links.add(next() < 0.8 ? pick(home) : pick(requirements))
      rule.links = [...links]
      mitigations += links.size
    } else if (next() < 0.1) {
      rule.links = [pick(requirements)].filter((id) => id !== rule.id)
    }
  }
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  // Which requirements tests name: most of each chapter's, some more often than others.
  const covered = chapterRequirements.map((ids) => shuffle(ids.filter(() => next() >= matrixShape.uncovered)))
  const uncoveredRequirements = requirements.length - covered.reduce((sum, ids) => sum + ids.length, 0)
  const skewed = (ids: readonly string[]) => ids[Math.floor(ids.length * next() ** 1.6)]!
  const allCovered = covered.flat()

  // The deck of rules-per-test, exact counts.
  const deck: number[] = []
  for (const [count, share] of Object.entries(matrixShape.rulesPerTest)) {
    for (let n = 0; n < Math.round(share * matrixShape.tests); n++) deck.push(Number(count))
  }
  const dealt = deck.reduce((sum, count) => sum + count, 0)
  if (deck.length !== matrixShape.tests || dealt !== matrixShape.links) {
    throw new Error(`Bug in the bench: matrixShape.rulesPerTest deals ${deck.length} tests and ${dealt} links, not ${matrixShape.tests} and ${matrixShape.links}`)
  }
  shuffle(deck)

  const cwd = folder
  const testsPerFile = matrixShape.tests / matrixShape.testFiles
  const chaptersPerFile = matrixShape.testFiles / matrixShape.chapters
  const statuses = { passed: 0, failed: 0, skipped: 0 }
  let links = 0
  let dealtIndex = 0
  const known = new Set(rules.map((rule) => rule.id))
  const testResults = []
  let clock = 1_767_225_600_000
  for (let fileIndex = 0; fileIndex < matrixShape.testFiles; fileIndex++) {
    const home = covered[Math.floor(fileIndex / chaptersPerFile)]!
    const name = path.join(cwd, 'test', pick(words), `${pick(words)}-${fileIndex}.test.ts`)
    const assertionResults = []
    const titles = new Set<string>()
    let line = between(3, 10)
    let suites: string[] = []
    for (let n = 0; n < testsPerFile; n++) {
      if (n === 0 || next() < 0.1) {
        suites = next() < 0.3 ? [`${pick(words)} ${pick(words)}`, `${pick(words)} of ${pick(words)}`] : [`${pick(words)} ${pick(words)}`]
        line += 2
      }
      const ids = new Set<string>()
      const count = deck[dealtIndex++]!
      while (ids.size < count) ids.add(next() < 0.85 && home.length > 0 ? skewed(home) : pick(allCovered))
      let title = `${pick(verbs)} ${Array.from({ length: between(2, 7) }, () => pick(words)).join(' ')}`
      while (titles.has(title)) title += ` ${pick(words)}`
      titles.add(title)
      title += [...ids].map((id) => ` [${id}]`).join('')
      const draw = next()
      const status = draw < 0.93 ? 'passed' : draw < 0.95 ? 'failed' : next() < 0.8 ? 'skipped' : 'todo'
      const ran = status === 'passed' || status === 'failed'
      // Mostly a few milliseconds, now and then a slow one.
      const duration = next() < 0.05 ? 50 + next() * 900 : next() ** 3 * 12
      assertionResults.push({
        ancestorTitles: suites,
        fullName: [...suites, title].join(' '),
        status,
        title,
        ...(ran ? { duration: Math.round(duration * 10_000) / 10_000 } : {}),
        failureMessages:
          status === 'failed'
            ? [`AssertionError: expected ${between(0, 99)} to be ${between(0, 99)} // Object.is equality\n    at ${name}:${line + 2}:${between(5, 30)}\n    at file:///node_modules/@vitest/runner/dist/index.js:155:14`]
            : [],
        location: { line, column: 3 },
        meta: {},
      })
      // Recount with the matrix's own parser, so the figure printed is what the matrix will see.
      const parsed = ruleIdsInTitle([...suites, title].join(' '))
      if (parsed.some((id) => !known.has(id))) throw new Error(`Bug in the bench: a test title names an unknown rule: ${title}`)
      links += parsed.length
      statuses[ran ? (status as 'passed' | 'failed') : 'skipped']++
      line += between(4, 25)
    }
    const failed = assertionResults.some((result) => result.status === 'failed')
    const duration = assertionResults.reduce((sum, result) => sum + (result.duration ?? 0), 0)
    testResults.push({ assertionResults, startTime: clock, endTime: clock + Math.round(duration), status: failed ? 'failed' : 'passed', message: '', name })
    clock += Math.round(duration) + 7
  }
  const report = {
    numTotalTestSuites: testResults.length,
    numPassedTestSuites: testResults.filter((file) => file.status === 'passed').length,
    numFailedTestSuites: testResults.filter((file) => file.status === 'failed').length,
    numPendingTestSuites: 0,
    numTotalTests: matrixShape.tests,
    numPassedTests: statuses.passed,
    numFailedTests: statuses.failed,
    numPendingTests: statuses.skipped,
    numTodoTests: 0,
    snapshot: { added: 0, failure: false, filesAdded: 0, filesRemoved: 0, filesRemovedList: [], filesUnmatched: 0, filesUpdated: 0, matched: 0, total: 0, unchecked: 0, uncheckedKeysByFile: [], unmatched: 0, updated: 0, didUpdate: false },
    startTime: 1_767_225_600_000,
    success: statuses.failed === 0,
    testResults,
  }

  const inputs: MatrixInputs = {
    cwd,
    rules: path.join(cwd, 'test-results', 'rules.json'),
    results: path.join(cwd, 'test-results', 'vitest.json'),
    tests: path.join(cwd, 'no-tests'),
    root: path.join(cwd, 'no-spec'),
  }
  for (const empty of [inputs.tests, inputs.root]) await mkdir(empty, { recursive: true })
  await mkdir(path.dirname(inputs.rules), { recursive: true })
  const rulesText = rulesJsonToString({ rules })
  const resultsText = JSON.stringify(report)
  await writeFile(inputs.rules, rulesText)
  await writeFile(inputs.results, resultsText)

  return {
    inputs,
    stats: {
      chapters: matrixShape.chapters,
      rules: rules.length,
      threats: rules.length - requirements.length,
      mitigations,
      testFiles: testResults.length,
      tests: testResults.reduce((sum, file) => sum + file.assertionResults.length, 0),
      links,
      statuses,
      uncoveredRequirements,
      rulesMb: Buffer.byteLength(rulesText) / 1e6,
      resultsMb: Buffer.byteLength(resultsText) / 1e6,
    },
  }
}
