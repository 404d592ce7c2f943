import { describe, expect, test } from 'vitest'
import { buildMatrix, type TraceInputs, type TraceRule } from '../../../tools/ferrule/trace/matrix.ts'
import { readBaseline } from '../../../tools/ferrule/trace/rules-diff.ts'
import type { TestResult } from '../../../tools/ferrule/trace/types.ts'

const fp = (text: string) => text.padEnd(64, '0')

function rule(id: string, fields: Partial<TraceRule> = {}): TraceRule {
  return { id, chapter: 'ch.md', line: 1, kind: 'requirement', fingerprint: fp('a'), owner: 'T-lang', text: `Rule ${id}. More.`, mitigatedBy: [], href: `../site/ch.html#r-${id}`, ...fields }
}

function result(id: string, status: TestResult['status'], rules: string[], fields: Partial<TestResult> = {}): TestResult {
  return { id, title: `${id} [${rules.join('] [')}]`, name: id, file: 'test/a.test.ts', line: 3, status, durationMs: 1, source: 'vitest', rules, ruleFingerprints: null, ...fields }
}

function inputs(fields: Partial<TraceInputs>): TraceInputs {
  return { title: 'T', rules: [], tests: [], references: [], waivers: new Map(), baseline: null, findings: [], ...fields }
}

describe('verdicts', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.verified'), rule('a.failing'), rule('a.untested'), rule('a.uncovered'), rule('a.waived'), rule('a.skipped-and-passed')],
      tests: [
        result('t1', 'passed', ['a.verified']),
        result('t2', 'passed', ['a.failing']),
        result('t3', 'failed', ['a.failing']),
        result('t4', 'skipped', ['a.untested']),
        result('t5', 'skipped', ['a.skipped-and-passed']),
        result('t6', 'passed', ['a.skipped-and-passed']),
      ],
      waivers: new Map([['a.waived', { reason: 'Reviewed.', reviewer: 'R', date: '2026-01-01', file: 'spec/waivers.yaml', line: 1 }]]),
    }),
  )
  const verdictOf = (id: string) => matrix.rules.find((row) => row.id === id)!.verdict

  test('verified: a linked test passed and none failed; failing: any failed', () => {
    expect(verdictOf('a.verified')).toBe('verified')
    expect(verdictOf('a.skipped-and-passed')).toBe('verified')
    expect(verdictOf('a.failing')).toBe('failing')
  })

  test('untested: links but nothing ran; uncovered: no links; waived: a waiver', () => {
    expect(verdictOf('a.untested')).toBe('untested')
    expect(verdictOf('a.uncovered')).toBe('uncovered')
    expect(verdictOf('a.waived')).toBe('waived')
  })

  test('the summary counts and percentages per verdict, overall, per chapter and per owner', () => {
    expect(matrix.summary.overall.rules).toBe(6)
    expect(matrix.summary.overall.counts).toMatchObject({ verified: 2, failing: 1, untested: 1, uncovered: 1, waived: 1 })
    expect(matrix.summary.overall.percent.verified).toBe(33.33)
    expect(matrix.summary.overall.coverage).toBe(50)
    expect(Object.keys(matrix.summary.byChapter)).toEqual(['ch.md'])
    expect(Object.keys(matrix.summary.byOwner)).toEqual(['T-lang'])
  })

  test('a failing test is a finding at its place', () => {
    expect(matrix.findings.filter((finding) => finding.rule === 'ferrule:failing-test')).toEqual([
      expect.objectContaining({ file: 'test/a.test.ts', line: 3, testId: 't3', ruleId: 'a.failing' }),
    ])
  })
})

test('a test naming an unknown rule, by title or by tag, is an error finding at its place', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one')],
      tests: [result('t1', 'passed', ['a.onw'])],
      references: [{ rule: 'a.tow', file: 'tests/lex.rs', line: 7, test: 'lexes' }],
    }),
  )
  expect(matrix.findings.map((finding) => [finding.rule, finding.severity, finding.file, finding.line, finding.ruleId])).toEqual([
    ['ferrule:unknown-rule-in-test', 'error', 'test/a.test.ts', 3, 'a.onw'],
    ['ferrule:unknown-rule-in-test', 'error', 'tests/lex.rs', 7, 'a.tow'],
  ])
})

test('`//@ reference:` tags link the test they precede, in the same file or a JUnit result by name', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one'), rule('a.two')],
      tests: [result('t1', 'passed', [], { name: 'first', file: 'test/x.test.ts' }), result('junit:lex/lexes', 'passed', [], { name: 'lexes', file: 'lex', source: 'junit' })],
      references: [
        { rule: 'a.one', file: 'test/x.test.ts', line: 2, test: 'first' },
        { rule: 'a.two', file: 'tests/lex.rs', line: 7, test: 'lexes' },
      ],
    }),
  )
  expect(matrix.rules.map((row) => [row.id, row.verdict, row.tests.map((link) => [link.id, link.via])])).toEqual([
    ['a.one', 'verified', [['t1', 'reference']]],
    ['a.two', 'verified', [['junit:lex/lexes', 'reference']]],
  ])
})

test('a tag links the test of its full title, not one of the same name in another describe; without one, every test of the name', () => {
  const vitest = (id: string, status: TestResult['status'], title: string) => result(id, status, [], { name: 'same', title, file: 'test/x.test.ts' })
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one'), rule('a.two')],
      tests: [vitest('t1', 'passed', 'lexer identifiers same'), vitest('t2', 'failed', 'lexer numbers same'), vitest('t3', 'passed', 'table 1 same'), vitest('t4', 'passed', 'table 2 same')],
      references: [
        { rule: 'a.one', file: 'test/x.test.ts', line: 3, test: 'same', suites: ['lexer', 'identifiers'] },
        // `describe.each`: the results spell the titles out, which the tag's `table %i` does not match.
        { rule: 'a.two', file: 'test/x.test.ts', line: 9, test: 'same', suites: ['table %i'] },
      ],
    }),
  )
  expect(matrix.rules.map((row) => [row.id, row.verdict, row.tests.map((link) => link.id)])).toEqual([
    ['a.one', 'verified', ['t1']],
    ['a.two', 'failing', ['t1', 't2', 't3', 't4']],
  ])
})

test('a tag before a `.each` links the tests whose titles its template gives, in its file; one that gives none, the tests of its name', () => {
  const vitest = (id: string, status: TestResult['status'], name: string, title: string, file = 'test/x.test.ts') => result(id, status, [], { name, title, file })
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one'), rule('a.two'), rule('a.three')],
      tests: [
        vitest('t1', 'passed', 'adds 1 + 1 (case 1)', 'adds 1 + 1 (case 1)'),
        vitest('t2', 'failed', 'adds 2 + 2 (case 2)', 'adds 2 + 2 (case 2)'),
        vitest('t3', 'passed', 'adds nothing', 'adds nothing'),
        vitest('t4', 'passed', 'adds 1 + 1 (case 1)', 'adds 1 + 1 (case 1)', 'test/other.test.ts'),
        vitest('t5', 'passed', 'same', 'table 1 same'),
        vitest('t6', 'passed', 'same', 'table 2 same'),
        vitest('t7', 'failed', 'same', 'lexer same'),
        vitest('t8', 'passed', '100%', '100%'),
      ],
      references: [
        { rule: 'a.one', file: 'test/x.test.ts', line: 3, test: 'adds %i + $b (case %$)', suites: [], template: true },
        { rule: 'a.two', file: 'test/x.test.ts', line: 9, test: 'same', suites: ['table %i'], template: true },
        // `100%%` is `100%`; a template no title fits falls back to the tests of its name.
        { rule: 'a.three', file: 'test/x.test.ts', line: 12, test: '100%%', suites: [], template: true },
        { rule: 'a.three', file: 'test/x.test.ts', line: 14, test: 'adds nothing', suites: ['%s'], template: true },
      ],
    }),
  )
  expect(matrix.rules.map((row) => [row.id, row.verdict, row.tests.map((link) => link.id)])).toEqual([
    ['a.one', 'failing', ['t1', 't2']],
    ['a.three', 'verified', ['t3', 't8']],
    ['a.two', 'verified', ['t5', 't6']],
  ])
})

test('a JUnit test whose report names its file is linked by a tag in that file only', () => {
  const junit = (id: string, status: TestResult['status'], fields: Partial<TestResult>) => result(id, status, [], { name: 'works', source: 'junit', ...fields })
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one')],
      tests: [
        junit('junit:a/works', 'passed', { file: 'a' }),
        junit('junit:b/works', 'failed', { file: 'tests/b.rs', fileGiven: true }),
        junit('junit:c/works', 'passed', { file: 'tests/a.rs', fileGiven: true, name: 'c::works' }),
      ],
      references: [{ rule: 'a.one', file: 'tests/a.rs', line: 3, test: 'works' }],
    }),
  )
  expect(matrix.rules[0]!.tests.map((link) => link.id)).toEqual(['junit:a/works', 'junit:c/works'])
  expect(matrix.rules[0]!.verdict).toBe('verified')
})

test('findings about a JUnit test without a file point at its place in the report', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one')],
      tests: [result('junit:z/dup', 'failed', ['a.one', 'a.nine'], { file: 'z', line: null, source: 'junit', reportPlace: { file: 'results/junit.xml', line: 7 } })],
    }),
  )
  expect(matrix.findings.map((finding) => [finding.rule, finding.file, finding.line])).toEqual([
    ['ferrule:failing-test', 'results/junit.xml', 7],
    ['ferrule:unknown-rule-in-test', 'results/junit.xml', 7],
  ])
  // The matrix still names the test by its classname.
  expect(matrix.rules[0]!.tests[0]).toMatchObject({ file: 'z' })
})

test('a waiver on a tested rule is a finding at the waiver; a failing test outweighs a waiver', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one')],
      tests: [result('t1', 'failed', ['a.one'])],
      waivers: new Map([['a.one', { reason: 'Reviewed.', reviewer: 'R', date: '2026-01-01', file: 'spec/waivers.yaml', line: 4 }]]),
    }),
  )
  expect(matrix.rules[0]!.verdict).toBe('failing')
  expect(matrix.findings.find((finding) => finding.rule === 'ferrule:waived-and-tested')).toMatchObject({ file: 'spec/waivers.yaml', line: 4, ruleId: 'a.one' })
})

test('a waiver on a threat is a warning at the waiver, and leaves the verdict to the mitigating rules', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('threat.a', { kind: 'threat', mitigatedBy: ['sec.x'] }), rule('sec.x')],
      waivers: new Map([['threat.a', { reason: 'Accepted risk.', reviewer: 'R', date: '2026-01-01', file: 'spec/waivers.yaml', line: 7 }]]),
    }),
  )
  expect(matrix.rules.map((row) => [row.id, row.verdict])).toEqual([['sec.x', 'uncovered'], ['threat.a', 'unmitigated']])
  expect(matrix.findings).toEqual([
    expect.objectContaining({ rule: 'ferrule:waived-threat', severity: 'warning', file: 'spec/waivers.yaml', line: 7, ruleId: 'threat.a' }),
  ])
})

test('a threat is mitigated when every rule it links to is verified or waived', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [
        rule('threat.a', { kind: 'threat', mitigatedBy: ['sec.x', 'sec.y'] }),
        rule('threat.b', { kind: 'threat', mitigatedBy: ['sec.x', 'sec.z'] }),
        rule('threat.c', { kind: 'threat' }),
        rule('sec.x'),
        rule('sec.y'),
        rule('sec.z'),
      ],
      tests: [result('t1', 'passed', ['sec.x']), result('t2', 'passed', ['sec.y'])],
    }),
  )
  const verdictOf = (id: string) => matrix.rules.find((row) => row.id === id)!.verdict
  expect([verdictOf('threat.a'), verdictOf('threat.b'), verdictOf('threat.c')]).toEqual(['mitigated', 'unmitigated', 'unmitigated'])
})

describe('impact against a baseline', () => {
  const baseline = readBaseline(
    JSON.stringify({
      rules: [
        { id: 'a.same', chapter: 'ch.md', fingerprint: fp('a') },
        { id: 'a.edited', chapter: 'ch.md', fingerprint: fp('old') },
        { id: 'a.gone', chapter: 'old.md', fingerprint: fp('a') },
      ],
    }),
    'old/rules.json',
  )
  const rules = [rule('a.same'), rule('a.edited', { fingerprint: fp('new') }), rule('a.new')]

  test('rules added, removed and changed; links to a changed rule are suspect and do not verify it', () => {
    const matrix = buildMatrix(inputs({ rules, tests: [result('t1', 'passed', ['a.same', 'a.edited', 'a.new'])], baseline }))
    expect(matrix.impact).toMatchObject({ baseline: 'old/rules.json', added: ['a.new'], removed: [{ id: 'a.gone', chapter: 'old.md' }], changed: ['a.edited'], suspectLinks: 1 })
    const edited = matrix.rules.find((row) => row.id === 'a.edited')!
    expect(edited).toMatchObject({ verdict: 'untested', change: 'changed' })
    expect(edited.tests[0]!.suspect).toBe(true)
    expect(matrix.rules.map((row) => [row.id, row.change])).toEqual([
      ['a.edited', 'changed'],
      ['a.new', 'added'],
      ['a.same', 'unchanged'],
    ])
    // Before: of 3 baseline rules, a.same and a.edited were verified by these tests; after: 2 of 3.
    expect([matrix.impact!.coverageBefore, matrix.impact!.coverageAfter]).toEqual([66.67, 66.67])
  })

  test('a test that passed against the new text clears the suspicion; one that ran against another text is suspect', () => {
    const matrix = buildMatrix(
      inputs({
        rules,
        tests: [
          result('t1', 'passed', ['a.edited'], { ruleFingerprints: { 'a.edited': fp('new') } }),
          result('t2', 'passed', ['a.same'], { ruleFingerprints: { 'a.same': fp('stale') } }),
        ],
        baseline,
      }),
    )
    const row = (id: string) => matrix.rules.find((candidate) => candidate.id === id)!
    expect(row('a.edited')).toMatchObject({ verdict: 'verified', tests: [expect.objectContaining({ suspect: false })] })
    expect(row('a.same')).toMatchObject({ verdict: 'untested', tests: [expect.objectContaining({ suspect: true })] })
  })
})

test('the same example in vitest.json and rust.json is one test, with the record that knows its rule text', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [rule('a.one')],
      tests: [
        result('rust:ch.md:5', 'passed', ['a.one'], { source: 'rust' }),
        result('rust:ch.md:5', 'passed', ['a.one'], { ruleFingerprints: { 'a.one': fp('a') } }),
      ],
    }),
  )
  expect(matrix.tests).toHaveLength(1)
  expect(matrix.rules[0]!.tests).toEqual([expect.objectContaining({ id: 'rust:ch.md:5', via: 'example', suspect: false })])
})

test('a test found in two result files failed when either run failed, whichever file came first', () => {
  for (const order of [['passed', 'failed'], ['failed', 'passed']] as const) {
    const matrix = buildMatrix(
      inputs({
        rules: [rule('a.one')],
        tests: order.map((status) => result('junit:lexer/works', status, ['a.one'], { source: 'junit' })),
      }),
    )
    expect(matrix.tests).toHaveLength(1)
    expect(matrix.rules[0]!.verdict).toBe('failing')
    expect(matrix.findings.map((finding) => finding.rule)).toEqual(['ferrule:failing-test'])
  }
})

test('a threat mitigated by another threat takes that threat’s settled verdict, whatever the order; a cycle mitigates nothing', () => {
  const matrix = buildMatrix(
    inputs({
      rules: [
        rule('threat.a', { kind: 'threat', mitigatedBy: ['threat.b'] }),
        rule('threat.b', { kind: 'threat', mitigatedBy: ['sec.x'] }),
        rule('threat.c', { kind: 'threat', mitigatedBy: ['threat.d'] }),
        rule('threat.d', { kind: 'threat', mitigatedBy: ['threat.c'] }),
        rule('sec.x'),
      ],
      tests: [result('t1', 'passed', ['sec.x'])],
    }),
  )
  expect(Object.fromEntries(matrix.rules.map((row) => [row.id, row.verdict]))).toMatchObject({
    'threat.a': 'mitigated',
    'threat.b': 'mitigated',
    'threat.c': 'unmitigated',
    'threat.d': 'unmitigated',
  })
})
