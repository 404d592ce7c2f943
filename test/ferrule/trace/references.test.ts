import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { referencesInSource, scanReferences } from '../../../tools/ferrule/trace/references.ts'
import { mark } from '../../helpers/mark.ts'

let work: string
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-references-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

async function put(files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, name)), { recursive: true })
    await writeFile(path.join(work, name), content)
  }
}

/** Each `‸` marks a tag line, in order. */
const lines = (places: Array<{ line: number }>) => places.map((place) => place.line)

const tsFile = mark(
  [
    "import { describe, expect, test, it } from 'vitest'",
    '',
    '‸//@ reference: lex.token.ident',
    '// Tags on consecutive lines stack; blank lines and comments may sit between them.',
    '',
    '‸//@ reference: lex.token.ident.start',
    "test('reads \\'quoted\\' identifiers', () => {",
    '  const source = `',
    '//@ reference: not.a.tag',
    "test('not a test')`",
    "  expect(/'/.test(source)).toBe(false)",
    '})',
    '',
    "describe('keywords', () => {",
    '  ‸//@ reference: lex.keywords.strict',
    '  @decorated()',
    '  it.only(',
    '    "rejects `fn` as a name",',
    '    () => {},',
    '  )',
    '',
    '  ‸//@ reference: lex.keywords.reserved',
    '  test.skipIf(!process.env.CI)(`reserved ${"words"}`, () => {})',
    '',
    '  ‸//@ reference: lex.keywords.weak',
    '  test.skip(`weak keywords`, () => {})',
    '})',
    '',
    '‸//@ reference: lex.dangling',
    "describe('a describe is not a test', () => {",
    '  ‸//@ reference: lex.inner',
    "  it('inner test', () => {})",
    '})',
    '/* test("in a block comment") */',
    '‸//@ reference: lex.at-end',
  ].join('\n'),
)

const rustFile = mark(
  [
    '‸//@ reference: expr.call',
    '/// Calls a function.',
    '/* an outer /* nested */ fn hidden() {} comment */',
    '#[test]',
    '#[should_panic(expected = "fn in a string")]',
    "fn calls_functions<'a>(name: &'a str) {",
    "    let quote = '\"';",
    '    let raw = r#"',
    '//@ reference: not.a.tag',
    'fn raw_text() {}',
    '"#;',
    '}',
    '',
    '‸//@ reference: expr.call.args',
    '‸//@ reference: expr.call.order',
    '#[test]',
    'fn r#evaluates_arguments_in_order() {}',
    '',
    '#[cfg(test)]',
    'mod tests {',
    '    ‸//@ reference: expr.method',
    '    #[test]',
    '    #[ignore = "slow"]',
    '    fn method_calls() {}',
    '}',
    '‸//@ reference: expr.orphan',
  ].join('\n'),
)

describe('referencesInSource', () => {
  test('TypeScript: the first argument of the next test() or it() call, stacked tags, literals and comments ignored', () => {
    const { tags, findings } = referencesInSource(tsFile.text, 'test/lexer.test.ts')
    const at = lines(tsFile.places)
    const file = 'test/lexer.test.ts'
    expect(tags).toEqual([
      // With the titles of the describes around the test, which tell it from one of the same name elsewhere.
      { rule: 'lex.token.ident', file, line: at[0], test: "reads 'quoted' identifiers", suites: [] },
      { rule: 'lex.token.ident.start', file, line: at[1], test: "reads 'quoted' identifiers", suites: [] },
      { rule: 'lex.keywords.strict', file, line: at[2], test: 'rejects `fn` as a name', suites: ['keywords'] },
      { rule: 'lex.keywords.reserved', file, line: at[3], test: null },
      { rule: 'lex.keywords.weak', file, line: at[4], test: 'weak keywords', suites: ['keywords'] },
      { rule: 'lex.dangling', file, line: at[5], test: null },
      { rule: 'lex.inner', file, line: at[6], test: 'inner test', suites: ['a describe is not a test'] },
      { rule: 'lex.at-end', file, line: at[7], test: null },
    ])
    const dangling = (line: number | undefined, rule: string, message: string) => ({
      rule: 'ferrule:dangling-reference',
      severity: 'warning',
      file,
      line,
      message: `\`//@ reference: ${rule}\` ${message}`,
      ruleId: rule,
      testId: null,
    })
    expect(findings).toEqual([
      dangling(at[3], 'lex.keywords.reserved', 'precedes a test (line 23) whose title is computed; expected a title in quotes, or in backticks without `${`, that results can be matched by'),
      dangling(at[5], 'lex.dangling', "is followed by no test before the next tag; expected a `test('title', ...)` or `it('title', ...)` call after it"),
      dangling(at[7], 'lex.at-end', "is followed by no test before the end of the file; expected a `test('title', ...)` or `it('title', ...)` call after it"),
    ])
  })

  test('Rust: the name of the next fn, past attributes, doc and nested block comments, strings and raw strings', () => {
    const { tags, findings } = referencesInSource(rustFile.text, 'tests/expr.rs')
    const at = lines(rustFile.places)
    const file = 'tests/expr.rs'
    expect(tags).toEqual([
      { rule: 'expr.call', file, line: at[0], test: 'calls_functions' },
      { rule: 'expr.call.args', file, line: at[1], test: 'evaluates_arguments_in_order' },
      { rule: 'expr.call.order', file, line: at[2], test: 'evaluates_arguments_in_order' },
      { rule: 'expr.method', file, line: at[3], test: 'method_calls' },
      { rule: 'expr.orphan', file, line: at[4], test: null },
    ])
    expect(findings).toEqual([
      {
        rule: 'ferrule:dangling-reference',
        severity: 'warning',
        file,
        line: at[4],
        message: '`//@ reference: expr.orphan` is followed by no test before the end of the file; expected a `fn` (such as `#[test] fn name()`) after it',
        ruleId: 'expr.orphan',
        testId: null,
      },
    ])
  })

  test("rustc's test headers: other `//@` directives and crate attributes between stacked tags", () => {
    const text = [
      '//@ run-pass',
      '//@ reference: layout.array',
      '//@ edition: 2021',
      '//@ reference: layout.array.size',
      '#![allow(dead_code)]',
      '',
      'struct Huge([u16; 4096]);',
      '',
      '#[test]',
      'fn array_sizes() {}',
    ].join('\n')
    expect(referencesInSource(text, 'tests/ui/layout/array.rs')).toEqual({
      tags: [
        { rule: 'layout.array', file: 'tests/ui/layout/array.rs', line: 2, test: 'array_sizes' },
        { rule: 'layout.array.size', file: 'tests/ui/layout/array.rs', line: 4, test: 'array_sizes' },
      ],
      findings: [],
    })
  })

  test('a malformed rule ID is an error and no tag; it does not break a stack', () => {
    const { text, places } = mark(
      [
        '‸//@ reference:',
        '‸//@ reference: lex.a lex.b',
        '‸//@ reference: lex.a, lex.b',
        '‸//@ reference: Lex.Upper',
        '‸//@ reference: lex.good',
        '‸//@ reference: lex..empty-segment',
        '‸//@reference:lex.tight',
        "it('one test', () => {})",
      ].join('\n'),
    )
    const at = lines(places)
    const { tags, findings } = referencesInSource(text, 'a.test.js')
    expect(tags).toEqual([
      { rule: 'lex.good', file: 'a.test.js', line: at[4], test: 'one test', suites: [] },
      { rule: 'lex.tight', file: 'a.test.js', line: at[6], test: 'one test', suites: [] },
    ])
    const expected = "expected one rule ID per tag, dot-separated segments of `a-z`, `0-9`, `_` and `-`, or a production's `grammar.Name`"
    expect(findings).toEqual(
      [
        [at[0], `\`//@ reference:\` without a rule ID; ${expected}`],
        [at[1], `Malformed rule ID \`lex.a lex.b\` in \`//@ reference:\`; ${expected}`],
        [at[2], `Malformed rule ID \`lex.a, lex.b\` in \`//@ reference:\`; ${expected}`],
        [at[3], `Malformed rule ID \`Lex.Upper\` in \`//@ reference:\`; ${expected}`],
        [at[5], `Malformed rule ID \`lex..empty-segment\` in \`//@ reference:\`; ${expected}`],
      ].map(([line, message]) => ({ rule: 'ferrule:malformed-reference', severity: 'error', file: 'a.test.js', line, message, ruleId: null, testId: null })),
    )
  })

  test('only a line comment alone on its line is a tag', () => {
    const text = [
      "const a = 1 //@ reference: after.code",
      "const b = '//@ reference: in.a.string'",
      '/*',
      '//@ reference: in.a.block.comment',
      '*/',
      "test('t', () => {})",
    ].join('\n')
    expect(referencesInSource(text, 'x.test.ts')).toEqual({ tags: [], findings: [] })
  })

  test('test names and calls that are not tests', () => {
    const text = [
      '//@ reference: a.b',
      'const test = base.extend({})',
      'function test(title) {}',
      'if (/test\\(/.exec(x)) {}',
      'expect(it).toBeDefined()',
      "pattern.test('not a declaration')",
      "it.each([1, 2])('doubles %i', (n) => {})",
    ].join('\n')
    expect(referencesInSource(text, 'x.test.mjs').tags).toEqual([{ rule: 'a.b', file: 'x.test.mjs', line: 1, test: 'doubles %i', suites: [], template: true }])
  })

  test('a title of a `.each` or `.for`, or inside a `describe.each`, is marked a template; others are not', () => {
    const text = [
      '//@ reference: a.one',
      "test.for([[1, 2]])('adds $0', () => {})",
      "describe.each([{ kind: 'int' }])('numbers of $kind', () => {",
      '  //@ reference: a.two',
      "  test('parse', () => {})",
      '})',
      '//@ reference: a.three',
      "test.skip('each of them', () => {})",
    ].join('\n')
    expect(referencesInSource(text, 'x.test.ts').tags).toEqual([
      { rule: 'a.one', file: 'x.test.ts', line: 1, test: 'adds $0', suites: [], template: true },
      { rule: 'a.two', file: 'x.test.ts', line: 4, test: 'parse', suites: ['numbers of $kind'], template: true },
      { rule: 'a.three', file: 'x.test.ts', line: 7, test: 'each of them', suites: [] },
    ])
  })
})

test('a tag in nested describes records their titles; a computed one leaves them unknown', () => {
  const text = [
    "describe('lexer', () => {",
    "  describe('identifiers', () => {",
    '    //@ reference: a.one',
    "    test('same', () => {})",
    '  })',
    "  describe(`numbers ${kind}`, () => {",
    '    //@ reference: a.two',
    "    test('same', () => {})",
    '  })',
    '})',
    '//@ reference: a.three',
    "test('same', () => {})",
  ].join('\n')
  expect(referencesInSource(text, 'x.test.ts').tags.map((tag) => [tag.rule, tag.suites])).toEqual([
    ['a.one', ['lexer', 'identifiers']],
    ['a.two', null],
    ['a.three', []],
  ])
})

describe('scanReferences', () => {
  test('walks the folders, skips node_modules, hidden folders and other files; sorted by file then line', async () => {
    const tag = (rule: string, name: string) => `//@ reference: ${rule}\ntest('${name}', () => {})\n`
    await put({
      'test/b.test.ts': tag('b.second', 'b2') + '\n' + tag('b.first', 'b1'),
      'test/a.test.tsx': tag('a.one', 'a1'),
      'test/nested/c.test.mts': tag('c.one', 'c1'),
      'test/nested/d.cts': tag('d.one', 'd1'),
      'test/e.cjs': tag('e.one', 'e1'),
      'test/node_modules/pkg/index.js': tag('vendored.one', 'v1'),
      'test/.cache/f.ts': tag('hidden.one', 'h1'),
      'test/.hidden.ts': tag('hidden.two', 'h2'),
      'test/notes.md': tag('md.one', 'm1'),
      'test/helper.py': tag('py.one', 'p1'),
      'tests/lib.rs': '//@ reference: rs.one\n#[test]\nfn rs1() {}\n',
      'other/g.js': tag('g.one', 'g1'),
    })
    const { tags, findings } = await scanReferences(['tests', 'test', path.join(work, 'test/nested'), 'missing', 'other/g.js'], work)
    expect(tags.map((found) => [found.file, found.line, found.rule, found.test])).toEqual([
      ['other/g.js', 1, 'g.one', 'g1'],
      ['test/a.test.tsx', 1, 'a.one', 'a1'],
      ['test/b.test.ts', 1, 'b.second', 'b2'],
      ['test/b.test.ts', 4, 'b.first', 'b1'],
      ['test/e.cjs', 1, 'e.one', 'e1'],
      ['test/nested/c.test.mts', 1, 'c.one', 'c1'],
      ['test/nested/d.cts', 1, 'd.one', 'd1'],
      ['tests/lib.rs', 1, 'rs.one', 'rs1'],
    ])
    expect(findings).toEqual([])
    expect(await scanReferences(['tests', 'test', 'other/g.js'], work)).toEqual({ tags, findings })
  })

  test('findings name the file relative to the working folder, in file order', async () => {
    await put({
      'test/z.test.ts': '//@ reference: z.dangling\n',
      'test/a.test.ts': '//@ reference: A.BAD\nit("a", () => {})\n',
    })
    const { findings } = await scanReferences(['test'], work)
    expect(findings.map((finding) => [finding.file, finding.line, finding.rule, finding.severity])).toEqual([
      ['test/a.test.ts', 1, 'ferrule:malformed-reference', 'error'],
      ['test/z.test.ts', 1, 'ferrule:dangling-reference', 'warning'],
    ])
  })
})
