import type { Matrix, MatrixRow, MatrixTest, Tally, Verdict } from '../../tools/ferrule/trace/types.ts'
import { verdicts } from '../../tools/ferrule/trace/types.ts'

function tally(rows: readonly MatrixRow[]): Tally {
  const counts = Object.fromEntries(verdicts.map((verdict) => [verdict, 0])) as Record<Verdict, number>
  for (const row of rows) counts[row.verdict]++
  const share = (n: number) => (rows.length === 0 ? 0 : Math.round((n / rows.length) * 10000) / 100)
  const percent = Object.fromEntries(verdicts.map((verdict) => [verdict, share(counts[verdict])])) as Record<Verdict, number>
  return { rules: rows.length, counts, percent, coverage: share(counts.verified + counts.waived + counts.mitigated) }
}

/**
 * A small matrix with every verdict, a suspect link, a waiver, a threat, a finding and characters
 * that exporters must escape (`"`, `,`, `<`, `&`, new lines, non-ASCII), for exporter tests.
 */
export function sampleMatrix(): Matrix {
  const row = (fields: Partial<MatrixRow> & Pick<MatrixRow, 'id' | 'verdict'>): MatrixRow => ({
    chapter: 'lexing.md',
    line: 3,
    owner: 'T-lang',
    kind: 'requirement',
    fingerprint: 'f'.repeat(64),
    summary: 'A rule.',
    tests: [],
    waiver: null,
    mitigatedBy: [],
    change: null,
    href: `../site/lexing.html#r-${fields.id}`,
    ...fields,
  })
  const rules: MatrixRow[] = [
    row({
      id: 'lex.ident',
      verdict: 'verified',
      summary: 'An identifier is a "word", like `abc`, <b>not</b> a keyword & not empty.',
      tests: [
        { id: 'rust:lexing.md:12', title: '[lex.ident] lexing.md:12', file: 'spec/lexing.md', line: 12, status: 'passed', via: 'example' },
        { id: 'test/lex.test.ts#idents', title: 'identifiers [lex.ident], with commas', file: 'test/lex.test.ts', line: 8, status: 'passed', via: 'title' },
      ].map((test) => ({ ...test, status: test.status as 'passed', via: test.via as 'example', suspect: false })),
      change: 'unchanged',
    }),
    row({
      id: 'lex.keyword',
      verdict: 'failing',
      line: 20,
      summary: 'Keywords are reserved.\nEven in macros — ünïcödé.',
      tests: [{ id: 'junit:lexer/keywords', title: 'keywords', file: 'tests/lexer.rs', line: 4, status: 'failed', via: 'reference', suspect: false }],
      change: 'changed',
    }),
    row({
      id: 'lex.number',
      verdict: 'untested',
      line: 30,
      tests: [
        { id: 'test/num.test.ts#n', title: '[lex.number] numbers', file: 'test/num.test.ts', line: null, status: 'skipped', via: 'title', suspect: false },
        { id: 'test/num.test.ts#m', title: '[lex.number] more numbers', file: 'test/num.test.ts', line: 9, status: 'passed', via: 'title', suspect: true },
      ],
      change: 'changed',
    }),
    row({ id: 'lex.space', verdict: 'uncovered', line: 40, change: 'added' }),
    row({
      id: 'lex.unicode',
      verdict: 'waived',
      line: 50,
      waiver: { reason: 'Checked by review of the Unicode tables, 15.1.', reviewer: 'A. Reviewer', date: '2026-10-01' },
      change: 'unchanged',
    }),
    row({
      id: 'threat.typosquat',
      verdict: 'unmitigated',
      chapter: 'security/threats.md',
      owner: 'T-crates-io',
      kind: 'threat',
      line: 7,
      mitigatedBy: ['lex.ident', 'lex.keyword'],
      href: '../site/security/threats.html#r-threat.typosquat',
      change: 'unchanged',
    }),
  ]
  const tests: MatrixTest[] = rules
    .flatMap((rule) => rule.tests)
    .map((test): MatrixTest => ({ id: test.id, title: test.title, file: test.file, line: test.line, status: test.status, durationMs: 12, source: test.id.startsWith('junit:') ? ('junit' as const) : test.id.startsWith('rust:') ? ('rust' as const) : ('vitest' as const) }))
    .concat([{ id: 'test/other.test.ts#x', title: 'an unlinked test', file: 'test/other.test.ts', line: 3, status: 'passed', durationMs: null, source: 'vitest' }])
    .sort((a, b) => (a.id < b.id ? -1 : 1))
  const byChapter: Record<string, Tally> = {
    'lexing.md': tally(rules.filter((rule) => rule.chapter === 'lexing.md')),
    'security/threats.md': tally(rules.filter((rule) => rule.chapter === 'security/threats.md')),
  }
  const byOwner: Record<string, Tally> = {
    'T-crates-io': tally(rules.filter((rule) => rule.owner === 'T-crates-io')),
    'T-lang': tally(rules.filter((rule) => rule.owner === 'T-lang')),
  }
  return {
    formatVersion: 1,
    title: 'Sample & <Spec>',
    rules,
    tests,
    findings: [
      { rule: 'ferrule:unknown-rule-in-test', severity: 'error', file: 'test/lex.test.ts', line: 30, message: 'Test `typo [lex.idnet]` names the unknown rule `lex.idnet`', ruleId: 'lex.idnet', testId: 'test/lex.test.ts#typo' },
      { rule: 'ferrule:failing-test', severity: 'error', file: 'tests/lexer.rs', line: 4, message: 'Test `keywords` of rule `lex.keyword` failed', ruleId: 'lex.keyword', testId: 'junit:lexer/keywords' },
    ],
    summary: { overall: tally(rules), byChapter, byOwner },
    impact: {
      baseline: 'old/rules.json',
      added: ['lex.space'],
      removed: [{ id: 'lex.old', chapter: 'lexing.md' }],
      changed: ['lex.keyword', 'lex.number'],
      suspectLinks: 1,
      coverageBefore: 50,
      coverageAfter: 33.33,
    },
  }
}
