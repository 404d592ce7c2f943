import { expect, test } from 'vitest'
import { rustJsonToResults } from '../../../tools/ferrule/trace/results-rust.ts'
import { vitestJsonToResults } from '../../../tools/ferrule/trace/results-vitest.ts'

test('vitest JSON: examples keep their IDs and fingerprints; ordinary tests are named by file and full title', () => {
  const report = {
    testResults: [
      {
        name: '/repo/spec/lexing.md',
        assertionResults: [
          { ancestorTitles: [], fullName: '[lex.ident] lexing.md:9', title: '[lex.ident] lexing.md:9', status: 'passed', duration: 12.6, location: { line: 9, column: 1 }, meta: { id: 'rust:lexing.md:9', rules: ['lex.ident'], example: { fingerprint: 'f'.repeat(64) } } },
        ],
      },
      {
        name: '/repo/test/lex.test.ts',
        assertionResults: [
          { ancestorTitles: ['lexer [lex.token]'], fullName: 'lexer [lex.token] splits', title: 'splits', status: 'failed', duration: 3, location: { line: 4, column: 3 }, meta: {} },
          { ancestorTitles: ['lexer [lex.token]'], fullName: 'lexer [lex.token] splits', title: 'splits', status: 'pending', duration: null, meta: {} },
        ],
      },
    ],
  }
  expect(vitestJsonToResults(JSON.stringify(report), 'vitest.json', '/repo').tests).toEqual([
    { id: 'rust:lexing.md:9', title: '[lex.ident] lexing.md:9', name: '[lex.ident] lexing.md:9', file: 'spec/lexing.md', line: 9, status: 'passed', durationMs: 13, source: 'vitest', rules: ['lex.ident'], ruleFingerprints: { 'lex.ident': 'f'.repeat(64) } },
    { id: 'test/lex.test.ts#lexer [lex.token] splits', title: 'lexer [lex.token] splits', name: 'splits', file: 'test/lex.test.ts', line: 4, status: 'failed', durationMs: 3, source: 'vitest', rules: ['lex.token'], ruleFingerprints: null },
    { id: 'test/lex.test.ts#lexer [lex.token] splits#2', title: 'lexer [lex.token] splits', name: 'splits', file: 'test/lex.test.ts', line: null, status: 'skipped', durationMs: null, source: 'vitest', rules: ['lex.token'], ruleFingerprints: null },
  ])
})

test('result files that are not what they claim are errors naming the file', () => {
  expect(() => vitestJsonToResults('{"x": 1}', 'out/vitest.json', '/repo')).toThrow("out/vitest.json: expected the output of vitest's JSON reporter")
  expect(() => vitestJsonToResults('<xml/>', 'out/vitest.json', '/repo')).toThrow(/out\/vitest\.json: not JSON/)
  expect(() => rustJsonToResults('[]', 'rust.json', '/repo/spec', '/repo')).toThrow(/rust\.json: expected the rust\.json of `ferrule test-rust`/)
  // Parseable, but not of the shape the reporters write: said so, with where, not a TypeError.
  expect(() => vitestJsonToResults('{"testResults":[null]}', 'out/vitest.json', '/repo')).toThrow("out/vitest.json: testResults[0] is not a test file's results")
  expect(() => vitestJsonToResults('{"testResults":[{"name":"a.test.ts","assertionResults":{}}]}', 'out/vitest.json', '/repo')).toThrow('out/vitest.json: testResults[0].assertionResults is not a list')
  expect(() => vitestJsonToResults('{"testResults":[{"name":"a.test.ts","assertionResults":[{"title":"t"}]}]}', 'v.json', '/repo')).toThrow("v.json: testResults[0].assertionResults[0] is not a test's result")
  expect(() => rustJsonToResults('{"examples":[null]}', 'rust.json', '/repo/spec', '/repo')).toThrow("rust.json: examples[0] is not an example's result")
  const weird = { examples: [{ id: 'rust:a.md:3', title: 't', rule: null, rules: [], file: 'a.md', line: 3, fingerprint: null, status: 'weird', durationMs: 0 }] }
  expect(() => rustJsonToResults(JSON.stringify(weird), 'rust.json', '/repo/spec', '/repo')).toThrow("rust.json: examples[0] is not an example's result")
})

test('a test file that failed outside its tests (it did not load) is an error finding, as a failed JUnit suite is', () => {
  const report = {
    testResults: [
      { name: '/repo/test/lexer.test.ts', status: 'failed', message: 'Failed to load url ./missing.ts\n  at the loader', assertionResults: [] },
      // A file whose failures are its tests' is no finding of its own.
      { name: '/repo/test/parser.test.ts', status: 'failed', message: '', assertionResults: [{ title: 'parses', fullName: 'parses', status: 'failed' }] },
    ],
  }
  const { tests, findings } = vitestJsonToResults(JSON.stringify(report), 'vitest.json', '/repo')
  expect(tests.map((test) => test.id)).toEqual(['test/parser.test.ts#parses'])
  expect(findings).toEqual([
    {
      rule: 'ferrule:failed-suite',
      severity: 'error',
      file: 'test/lexer.test.ts',
      line: null,
      message: 'Test file `test/lexer.test.ts` failed outside its tests (Failed to load url ./missing.ts); its tests may not have run, so the rules they verify are not known to be verified',
      ruleId: null,
      testId: null,
    },
  ])
})

test('rust.json: chapter paths become paths from the working folder; the rule text the example saw is kept', () => {
  const json = { rustc: '1.95.0', examples: [{ id: 'rust:a.md:3', title: '[a.b] a.md:3', rule: 'a.b', rules: ['a.b'], file: 'a.md', line: 3, fingerprint: 'e'.repeat(64), status: 'skipped', reason: 'rustc not found on PATH', durationMs: 0, cached: false }] }
  expect(rustJsonToResults(JSON.stringify(json), 'rust.json', '/repo/spec', '/repo')).toEqual([
    { id: 'rust:a.md:3', title: '[a.b] a.md:3', name: '[a.b] a.md:3', file: 'spec/a.md', line: 3, status: 'skipped', durationMs: 0, source: 'rust', rules: ['a.b'], ruleFingerprints: { 'a.b': 'e'.repeat(64) } },
  ])
})
