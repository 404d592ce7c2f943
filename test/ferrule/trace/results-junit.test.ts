import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { isJunitXml } from '../../../tools/ferrule/trace/junit-sniff.ts'
import { junitToResults } from '../../../tools/ferrule/trace/results-junit.ts'
import { fixturesRoot } from '../../helpers/fixtures.ts'
import { mark } from '../../helpers/mark.ts'

const fixture = (name: string) => readFileSync(path.join(fixturesRoot, 'trace/junit', name), 'utf8')

describe('junitToResults', () => {
  test('Maven Surefire: a bare <testsuite>, failures, errors, skips, a flaky pass, rule IDs in names', () => {
    const { tests, findings } = junitToResults(fixture('surefire.xml'), 'target/surefire-reports/TEST-IdentifierTest.xml')
    const classname = 'com.example.lexer.IdentifierTest'
    const common = { file: classname, line: null, source: 'junit', ruleFingerprints: null, reportPlace: { file: 'target/surefire-reports/TEST-IdentifierTest.xml', line: expect.any(Number) } }
    expect(tests).toEqual([
      {
        ...common,
        id: `junit:${classname}/readsAsciiIdentifiers [lex.token.ident]`,
        title: `${classname} > readsAsciiIdentifiers [lex.token.ident]`,
        name: 'readsAsciiIdentifiers [lex.token.ident]',
        status: 'passed',
        durationMs: 12,
        rules: ['lex.token.ident'],
      },
      {
        ...common,
        id: `junit:${classname}/rejectsKeywords() [lex.token.ident.keyword] [lex.keywords]`,
        title: `${classname} > rejectsKeywords() [lex.token.ident.keyword] [lex.keywords]`,
        name: 'rejectsKeywords() [lex.token.ident.keyword] [lex.keywords]',
        status: 'failed',
        durationMs: 4,
        rules: ['lex.token.ident.keyword', 'lex.keywords'],
      },
      { ...common, id: `junit:${classname}/readsSourceFile`, title: `${classname} > readsSourceFile`, name: 'readsSourceFile', status: 'failed', durationMs: 1, rules: [] },
      { ...common, id: `junit:${classname}/normalisesNfc`, title: `${classname} > normalisesNfc`, name: 'normalisesNfc', status: 'skipped', durationMs: 0, rules: [] },
      // Passed on a rerun; the thousands separator is an old Surefire locale quirk.
      { ...common, id: `junit:${classname}/readsLongIdentifiers`, title: `${classname} > readsLongIdentifiers`, name: 'readsLongIdentifiers', status: 'passed', durationMs: 1_234_500, rules: [] },
    ])
    expect(findings).toEqual([])
  })

  test('pytest: `file` and the 0-based `line` of junit_family=xunit1, a whole report on one line', () => {
    const { tests, findings } = junitToResults(fixture('pytest.xml'), 'reports/pytest.xml')
    expect(tests).toEqual([
      {
        id: 'junit:tests.test_lexer.TestIdent/test_ascii',
        title: 'tests.test_lexer.TestIdent > test_ascii',
        name: 'test_ascii',
        file: 'tests/test_lexer.py',
        line: 12,
        status: 'passed',
        durationMs: 1,
        source: 'junit',
        rules: [],
        ruleFingerprints: null,
        fileGiven: true,
      },
      {
        id: 'junit:tests.test_lexer/test_raw_strings [lex.literal.raw-str]',
        title: 'tests.test_lexer > test_raw_strings [lex.literal.raw-str]',
        name: 'test_raw_strings [lex.literal.raw-str]',
        file: 'tests/test_lexer.py',
        line: 21,
        status: 'failed',
        durationMs: 13,
        source: 'junit',
        rules: ['lex.literal.raw-str'],
        ruleFingerprints: null,
        fileGiven: true,
      },
      {
        id: 'junit:tests.test_lexer/test_later',
        title: 'tests.test_lexer > test_later',
        name: 'test_later',
        file: 'tests/test_lexer.py',
        line: 1,
        status: 'skipped',
        durationMs: 0,
        source: 'junit',
        rules: [],
        ruleFingerprints: null,
        fileGiven: true,
      },
    ])
    expect(findings).toEqual([])
  })

  test('cargo-nextest: one suite per test binary under <testsuites>, module paths in names, flaky retries pass', () => {
    const { tests, findings } = junitToResults(fixture('nextest.xml'), 'target/nextest/default/junit.xml')
    expect(tests.map(({ id, title, name, file, line, status, durationMs }) => ({ id, title, name, file, line, status, durationMs }))).toEqual([
      {
        id: 'junit:ferrule-demo/lexer::tests::ident_start',
        title: 'ferrule-demo > lexer::tests::ident_start',
        name: 'lexer::tests::ident_start',
        file: 'ferrule-demo',
        line: null,
        status: 'passed',
        durationMs: 4,
      },
      {
        id: 'junit:ferrule-demo/lexer::tests::retried',
        title: 'ferrule-demo > lexer::tests::retried',
        name: 'lexer::tests::retried',
        file: 'ferrule-demo',
        line: null,
        status: 'passed',
        durationMs: 1500,
      },
      {
        id: 'junit:ferrule-demo::keywords/strict_keywords',
        title: 'ferrule-demo::keywords > strict_keywords',
        name: 'strict_keywords',
        file: 'ferrule-demo::keywords',
        line: null,
        status: 'passed',
        durationMs: 2,
      },
      {
        id: 'junit:ferrule-demo::keywords/reserved_keywords',
        title: 'ferrule-demo::keywords > reserved_keywords',
        name: 'reserved_keywords',
        file: 'ferrule-demo::keywords',
        line: null,
        status: 'failed',
        durationMs: 3,
      },
    ])
    expect(tests.every((result) => result.source === 'junit' && result.ruleFingerprints === null && result.rules.length === 0)).toBe(true)
    expect(findings).toEqual([])
  })

  test("vitest's junit reporter: escaped `>` in names, an absolute `file` made relative to the working folder", () => {
    const { tests, findings } = junitToResults(fixture('vitest.xml'), 'dist/test-results/junit.xml', '/work/project')
    const common = { file: 'test/lexer.test.ts', line: null, source: 'junit', ruleFingerprints: null, fileGiven: true }
    expect(tests).toEqual([
      {
        ...common,
        id: 'junit:test/lexer.test.ts/lexer > reads identifiers [lex.token.ident] [lex.token.raw-ident]',
        title: 'test/lexer.test.ts > lexer > reads identifiers [lex.token.ident] [lex.token.raw-ident]',
        name: 'lexer > reads identifiers [lex.token.ident] [lex.token.raw-ident]',
        status: 'passed',
        durationMs: 2,
        rules: ['lex.token.ident', 'lex.token.raw-ident'],
      },
      {
        ...common,
        id: 'junit:test/lexer.test.ts/lexer > rejects keywords [lex.keywords]',
        title: 'test/lexer.test.ts > lexer > rejects keywords [lex.keywords]',
        name: 'lexer > rejects keywords [lex.keywords]',
        status: 'failed',
        durationMs: 3,
        rules: ['lex.keywords'],
      },
      {
        ...common,
        id: 'junit:test/lexer.test.ts/lexer > normalises to NFC',
        title: 'test/lexer.test.ts > lexer > normalises to NFC',
        name: 'lexer > normalises to NFC',
        status: 'skipped',
        durationMs: 0,
        rules: [],
      },
    ])
    expect(findings).toEqual([])
    // Without a working folder an absolute path stays as it is.
    expect(junitToResults(fixture('vitest.xml'), 'junit.xml').tests[0]!.file).toBe('/work/project/test/lexer.test.ts')
  })

  test('nested suites, a test without classname, character references, relative `file` paths with backslashes', () => {
    const xml = [
      '<testsuites>',
      '  <testsuite name="outer">',
      '    <testsuite name="inner">',
      '      <testcase name="caf&#233; &amp; cr&#xE8;me [lex.ident]" time="abc"/>',
      '      <testcase classname="Suite" name="windows" file=".\\tests\\win.py" line="7"/>',
      '    </testsuite>',
      '    <testcase classname="Suite" name="dotted" file="./tests/../tests/b.py" line="x"/>',
      '  </testsuite>',
      '</testsuites>',
    ].join('\n')
    const { tests } = junitToResults(xml, 'results.xml')
    expect(tests.map(({ id, title, name, file, line, durationMs, rules }) => ({ id, title, name, file, line, durationMs, rules }))).toEqual([
      // No classname: the file is the only other thing known, the result file itself.
      { id: 'junit:café & crème [lex.ident]', title: 'café & crème [lex.ident]', name: 'café & crème [lex.ident]', file: 'results.xml', line: null, durationMs: null, rules: ['lex.ident'] },
      { id: 'junit:Suite/windows', title: 'Suite > windows', name: 'windows', file: 'tests/win.py', line: 7, durationMs: null, rules: [] },
      { id: 'junit:Suite/dotted', title: 'Suite > dotted', name: 'dotted', file: 'tests/b.py', line: null, durationMs: null, rules: [] },
    ])
  })

  test('the same test twice keeps both results and warns at the second; a test without a name is skipped with a warning', () => {
    const { text, places } = mark(
      [
        '<?xml version="1.0"?>',
        '<testsuite name="s">',
        '  <testcase classname="A" name="same" time="0.001"/>',
        '  ‸<testcase classname="A" name="same" time="0.002"><failure/></testcase>',
        '  ‸<testcase classname="A"/>',
        '  <testcase classname="B" name="same"/>',
        '</testsuite>',
      ].join('\n'),
    )
    const { tests, findings } = junitToResults(text, 'out/junit.xml')
    expect(tests.map((result) => [result.id, result.status, result.durationMs])).toEqual([
      ['junit:A/same', 'passed', 1],
      ['junit:A/same', 'failed', 2],
      ['junit:B/same', 'passed', null],
    ])
    expect(findings).toEqual([
      {
        rule: 'ferrule:duplicate-test',
        severity: 'warning',
        file: 'out/junit.xml',
        line: places[0]!.line,
        message: 'Test `junit:A/same` appears again (first at line 3); it failed if either failed, expected one `<testcase>` per classname and name',
        ruleId: null,
        testId: 'junit:A/same',
      },
      {
        rule: 'ferrule:malformed-result',
        severity: 'warning',
        file: 'out/junit.xml',
        line: places[1]!.line,
        message: 'A `<testcase>` without a `name` attribute is ignored; expected `<testcase name="..." classname="...">`',
        ruleId: null,
        testId: null,
      },
    ])
  })

  test('output is the same for the same input', () => {
    const xml = fixture('surefire.xml')
    expect(JSON.stringify(junitToResults(xml, 'a.xml'))).toBe(JSON.stringify(junitToResults(xml, 'a.xml')))
  })

  test('malformed XML throws an error naming the file, the line and what was expected', () => {
    const broken = '<testsuite name="s">\n  <testcase name="a">\n</testsuite>\n'
    expect(() => junitToResults(broken, 'reports/broken.xml')).toThrowError(
      /^reports\/broken\.xml:3: not well-formed XML \(Expected closing tag 'testcase' .*\); expected a JUnit XML report$/,
    )
    expect(() => junitToResults('', 'empty.xml')).toThrowError(/^empty\.xml:1: not well-formed XML \(.*\); expected a JUnit XML report$/)
    expect(() => junitToResults('{"testResults": []}', 'vitest.json')).toThrowError(/^vitest\.json:1: not well-formed XML/)
  })

  test('a root that is not JUnit throws an error naming the file and the root found', () => {
    expect(() => junitToResults('<?xml version="1.0"?>\n<html><body/></html>', 'report.html')).toThrowError(
      'report.html: expected a JUnit XML report, whose root element is <testsuites> or <testsuite>; found <html>',
    )
    expect(() => junitToResults('<testsuite/>\n<testsuite/>', 'two.xml')).toThrowError(
      'two.xml:2: a second root element <testsuite>; expected a JUnit XML report with one root',
    )
  })

  test('an empty report has no tests', () => {
    expect(junitToResults('<testsuites name="vitest tests" tests="0"></testsuites>', 'a.xml')).toEqual({ tests: [], findings: [] })
    expect(junitToResults('<testsuite/>', 'a.xml')).toEqual({ tests: [], findings: [] })
  })
})

describe('isJunitXml', () => {
  test('recognises every dialect', () => {
    for (const name of ['surefire.xml', 'pytest.xml', 'nextest.xml', 'vitest.xml']) expect(isJunitXml(fixture(name)), name).toBe(true)
  })

  test('looks past a byte order mark, white space, the XML declaration and comments', () => {
    expect(isJunitXml('\uFEFF<?xml version="1.0"?>\n<!-- generated -->\n<!-- twice -->\n  <testsuites>')).toBe(true)
    expect(isJunitXml('<testsuite/>')).toBe(true)
    expect(isJunitXml('<testsuite\n  name="a">')).toBe(true)
  })

  test('rejects vitest JSON, other XML, look-alike names and unfinished prologues', () => {
    expect(isJunitXml('{"numTotalTests": 1, "testResults": []}')).toBe(false)
    expect(isJunitXml('<?xml version="1.0"?><html/>')).toBe(false)
    expect(isJunitXml('<testsuitesummary/>')).toBe(false)
    expect(isJunitXml('<!-- <testsuites> ')).toBe(false)
    expect(isJunitXml('<?xml version="1.0"')).toBe(false)
    expect(isJunitXml('')).toBe(false)
  })

  test('a suite that failed outside its test cases is an error finding at its line; a document type declaration is read past', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE testsuites>\n<testsuites>\n<testsuite name="lexer" errors="1">\n<error message="could not compile `lexer`"/>\n</testsuite>\n<testsuite name="ok"><testcase name="works" classname="ok"/></testsuite>\n</testsuites>\n'
    expect(isJunitXml(xml)).toBe(true)
    const { tests, findings } = junitToResults(xml, 'junit.xml')
    expect(tests.map((test) => test.id)).toEqual(['junit:ok/works'])
    expect(findings).toMatchObject([{ rule: 'ferrule:failed-suite', severity: 'error', file: 'junit.xml', line: 5, message: expect.stringContaining('Suite `lexer` failed outside its tests (could not compile `lexer`)') }])
  })
})
