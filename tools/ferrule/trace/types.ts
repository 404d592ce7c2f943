/**
 * The certification matrix: every rule, the tests that verify it, their outcomes and the verdict.
 * `buildMatrix` makes one; every exporter (`exporters/*.ts`) only reads one, so that every format
 * carries the same content.
 */

/** What a test run said about a test. */
export type TestStatus = 'passed' | 'failed' | 'skipped'

/** Where a test outcome came from. */
export type TestSource = 'vitest' | 'rust' | 'junit'

/** A test that ran (or was skipped) in one of the result files. */
export interface MatrixTest {
  /** Stable across runs: vitest `meta.id`, `rust:chapter:line`, `junit:classname/name`. */
  id: string
  /** Full title, suites included. */
  title: string
  /** Test file relative to the working folder (a chapter for spec examples), `/`-separated. */
  file: string
  /** Line of the test in `file`, when known. */
  line: number | null
  status: TestStatus
  /** Rounded to whole milliseconds; `null` when the result file says nothing. */
  durationMs: number | null
  source: TestSource
}

/** How a test came to be linked to a rule. */
export type LinkVia = 'title' | 'reference' | 'example'

/** A test linked to a rule, as a row of the matrix lists it. */
export interface RowTest {
  id: string
  title: string
  file: string
  line: number | null
  status: TestStatus
  via: LinkVia
  /**
   * The rule's text changed since this test last passed against it (against the baseline, or
   * against the rules the run recorded): the link does not count until the test passes again.
   */
  suspect: boolean
}

/**
 * A rule's verdict. Requirements: `verified` (a linked test ran and passed, none failed, none of the
 * passes suspect), `failing`, `untested` (linked tests exist but none ran and passed), `uncovered`
 * (no links), `waived` (verified by review, see the waiver). Threats: `mitigated` when every rule
 * that mitigates them is verified or waived, else `unmitigated`.
 */
export type Verdict = 'verified' | 'failing' | 'untested' | 'uncovered' | 'waived' | 'mitigated' | 'unmitigated'

export const verdicts: readonly Verdict[] = ['verified', 'failing', 'untested', 'uncovered', 'waived', 'mitigated', 'unmitigated']

/** A rule verified by review or not testable, from `waivers.yaml`. */
export interface Waiver {
  reason: string
  reviewer: string
  /** `YYYY-MM-DD`. */
  date: string
}

/** What happened to a rule since the baseline. */
export type RuleChange = 'added' | 'changed' | 'unchanged'

export interface MatrixRow {
  id: string
  /** Chapter path relative to the spec root. */
  chapter: string
  /** Line of the rule marker in the chapter. */
  line: number
  /** The chapter's owner team, from its front matter. */
  owner: string | null
  /** `requirement`, `threat`... (from ID prefixes in the configuration). */
  kind: string
  fingerprint: string
  /** First sentence of the rule's text. */
  summary: string
  /** Linked tests, by test ID. */
  tests: RowTest[]
  verdict: Verdict
  waiver: Waiver | null
  /** Threats: the rules that mitigate it (rule links inside the threat), sorted. */
  mitigatedBy: string[]
  /** `null` without a baseline. */
  change: RuleChange | null
  /** Link to the rule in the published site, relative to the matrix folder. */
  href: string
}

/** Something a reviewer must look at: an integrity problem of the trace, not of the spec text. */
export interface Finding {
  /** Stable name: `ferrule:unknown-rule-in-test`, `ferrule:waived-and-tested`, `ferrule:failing-test`... */
  rule: string
  severity: 'error' | 'warning'
  file: string
  line: number | null
  message: string
  /** The rule concerned, when there is one. */
  ruleId: string | null
  /** The test concerned, when there is one. */
  testId: string | null
}

/** Rules and percentages per verdict, for one slice of the matrix. */
export interface Tally {
  rules: number
  /** Rules per verdict; every verdict is present, zero or not. */
  counts: Record<Verdict, number>
  /** Per verdict, rounded to two decimals. */
  percent: Record<Verdict, number>
  /** Share of rules whose verdict is `verified`, `waived` or `mitigated`, rounded to two decimals. */
  coverage: number
}

/** The rule-level difference between a baseline and now. */
export interface RulesDiff {
  added: string[]
  removed: Array<{ id: string; chapter: string }>
  changed: string[]
}

export interface Impact extends RulesDiff {
  /** File name of the baseline, as given. */
  baseline: string
  /** Links marked suspect: their rule's text is not the one their test last ran against. */
  suspectLinks: number
  /** `coverage` before (the baseline's rules with these tests, no link suspect) and after. */
  coverageBefore: number
  coverageAfter: number
}

export interface Matrix {
  /** Format version of this structure; `matrix.schema.json` describes it. */
  formatVersion: 1
  /** Title of the spec. */
  title: string
  rules: MatrixRow[]
  /** Every test of the results, linked or not, sorted by ID. */
  tests: MatrixTest[]
  findings: Finding[]
  summary: {
    overall: Tally
    byChapter: Record<string, Tally>
    byOwner: Record<string, Tally>
  }
  impact: Impact | null
}

/** A test as read from a result file, before it is linked to rules. */
export interface TestResult extends MatrixTest {
  /** The test's own name, without its suites: what a `//@ reference:` tag before it is matched by. */
  name: string
  /** Rule IDs the test names itself: `[ID]` in its title, or its vitest `meta.rules`. */
  rules: string[]
  /**
   * Rule fingerprints as they were when the test ran, when the run recorded them: a spec example's
   * of its one rule; else, of every rule, from the `rules.json` beside the result file.
   */
  ruleFingerprints: Readonly<Record<string, string>> | null
  /** A JUnit test whose `file` the report gave (its `file` is otherwise its classname): a tag in another file is not its. */
  fileGiven?: boolean
  /** Where a JUnit report has the test: what a finding about a test without a file points at. */
  reportPlace?: { file: string; line: number | null }
}

/** A `//@ reference: ID` comment line in a test file: the test after it verifies rule `ID`. */
export interface ReferenceTag {
  rule: string
  /** File relative to the working folder, `/`-separated. */
  file: string
  /** Line of the comment. */
  line: number
  /** Name of the test that follows: a Rust `fn` name, or the title of a `test(...)`/`it(...)` call. */
  test: string | null
  /**
   * JavaScript: the titles of the `describe(...)` calls around that test, outermost first, so that
   * the tag links that test and not one of the same name in another `describe`; `null` when one is
   * computed. Absent for Rust.
   */
  suites?: string[] | null
  /**
   * JavaScript: `test` or one of `suites` is the title template of a `.each(...)` or `.for(...)`,
   * whose placeholders (`%s`, `%i`, `%#`, `$name`...) the results have filled in.
   */
  template?: true
}
