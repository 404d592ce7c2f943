import { fromHtml } from 'hast-util-from-html'
import { select, selectAll } from 'hast-util-select'
import { describe, expect, test } from 'vitest'
import { indexToRulesJson } from '../../../tools/ferrule/compile/rules-json.ts'
import { renderSite } from '../../../tools/ferrule/render/site.ts'
import { readTheme } from '../../../tools/ferrule/site/read-theme.ts'
import { defaultTheme } from '../../../tools/ferrule/config.ts'
import { ruleIdsInTitle } from '../../../tools/ferrule/trace/test-tags.ts'
import { filesToJson } from '../../../tools/ferrule/report.ts'
import { compileBook, messageList, sharedHighlighter, type BookFiles } from '../../helpers/book.ts'
import { mark } from '../../helpers/mark.ts'

const summary = '# Summary\n\n- [Lexing](lexing.md)\n- [Syntax](syntax.md)\n'

const lexing = [
  '# Lexing',
  '',
  'r[lex.ident]',
  'An identifier is a [IDENTIFIER]; see also [grammar.LITERAL].',
  '',
  '```grammar,lexer',
  '@root TOKEN -> IDENTIFIER | LITERAL',
  '',
  'IDENTIFIER -> [`a`-`z`]+',
  '',
  'LITERAL -> [`0`-`9`]+',
  '```',
  '',
].join('\n')

const syntax = [
  '# Syntax',
  '',
  '```grammar,expressions',
  '@root Expression ->',
  '    Literal',
  '  | Path',
  '',
  'Literal -> LITERAL',
  '',
  'Path -> IDENTIFIER (`::` IDENTIFIER)*',
  '```',
  '',
  'r[expr.intro]',
  'An [Expression] is a [literal][Literal] or a [Path].',
  '',
].join('\n')

function book(files: Partial<BookFiles> = {}): BookFiles {
  return { 'SUMMARY.md': summary, 'lexing.md': lexing, 'syntax.md': syntax, ...files } as BookFiles
}

async function site(files: BookFiles) {
  const spec = await compileBook(files)
  const pages = renderSite(spec, { title: 'Test', lang: 'en', theme: await readTheme(defaultTheme), highlighter: await sharedHighlighter() })
  return { spec, pages, page: (name: string) => fromHtml(pages.get(name)!) }
}

describe('grammar blocks in a book', () => {
  test('a book whose grammar is complete compiles without a message', async () => {
    const spec = await compileBook(book())
    expect(messageList(spec.files)).toEqual([])
  })

  test('each production is a rule `grammar.Name` of kind production in rules.json, with its text and the productions it uses', async () => {
    const spec = await compileBook(book())
    const rules = indexToRulesJson(spec.index).rules
    const path = rules.find((rule) => rule.id === 'grammar.Path')
    expect(path).toMatchObject({ chapter: 'syntax.md', kind: 'production', line: 10, text: 'Path -> IDENTIFIER (`::` IDENTIFIER)*', links: ['grammar.IDENTIFIER'] })
    expect(path!.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(rules.filter((rule) => rule.kind === 'production').map((rule) => rule.id)).toEqual([
      'grammar.Expression',
      'grammar.IDENTIFIER',
      'grammar.LITERAL',
      'grammar.Literal',
      'grammar.Path',
      'grammar.TOKEN',
    ])
    // A rule whose text links to productions records their IDs, not the labels it wrote.
    expect(rules.find((rule) => rule.id === 'expr.intro')!.links).toEqual(['grammar.Expression', 'grammar.Literal', 'grammar.Path'])
  })

  test('a changed production has a new fingerprint; a reflowed one keeps it', async () => {
    const before = (await compileBook(book())).index.rules.get('grammar.Path')!.fingerprint
    const reflowed = (await compileBook(book({ 'syntax.md': syntax.replace('Path -> IDENTIFIER (', 'Path ->\n    IDENTIFIER (') }))).index.rules.get('grammar.Path')!
    const changed = (await compileBook(book({ 'syntax.md': syntax.replace('(`::` IDENTIFIER)*', '(`::` IDENTIFIER)+') }))).index.rules.get('grammar.Path')!
    expect(reflowed.fingerprint).toBe(before)
    expect(changed.fingerprint).not.toBe(before)
  })

  test('prose links to a production by its name or its rule ID in brackets, across chapters; an author\'s own definition wins', async () => {
    const { page } = await site(book())
    const intro = select('#r-expr\\.intro', page('syntax.html'))!
    expect(selectAll('a.grammar-link', intro).map((a) => [a.properties.href, a.properties.dataRule])).toEqual([
      ['#grammar-Expression', 'grammar.Expression'],
      ['#grammar-Literal', 'grammar.Literal'],
      ['#grammar-Path', 'grammar.Path'],
    ])
    const ident = select('#r-lex\\.ident', page('lexing.html'))!
    expect(selectAll('a.grammar-link', ident).map((a) => a.properties.href)).toEqual(['#grammar-IDENTIFIER', '#grammar-LITERAL'])

    const own = await site(book({ 'syntax.md': syntax + '\n[Path]: https://example.com/path\n' }))
    const link = selectAll('#r-expr\\.intro a', own.page('syntax.html')).find((a) => a.properties.href === 'https://example.com/path')
    expect(link).toBeDefined()
  })

  test('a nonterminal in a production links to its definition, on its page or another', async () => {
    const { page } = await site(book())
    const path = select('#grammar-Path', page('syntax.html'))!
    expect(selectAll('a', path).map((a) => a.properties.href)).toContain('lexing.html#grammar-IDENTIFIER')
    const expression = select('#grammar-Expression', page('syntax.html'))!
    expect(selectAll('a', expression).map((a) => a.properties.href)).toEqual(expect.arrayContaining(['#grammar-Literal', '#grammar-Path']))
  })

  test('each block has its railroad diagrams, as SVG made at build time, behind a toggle', async () => {
    const { page } = await site(book())
    const block = select('.grammar[data-category=expressions]', page('syntax.html'))!
    const diagrams = select('details.grammar-diagrams', block)!
    expect(selectAll('.railroad svg', diagrams)).toHaveLength(3)
    // The diagram of Path links its nonterminal to the lexer's page.
    expect(selectAll('.railroad svg a', diagrams).map((a) => a.properties.href ?? a.properties.xLinkHref)).toContain('lexing.html#grammar-IDENTIFIER')
    // No script draws them: the page's own script has no part in it.
    expect(selectAll('script', block)).toHaveLength(0)
  })

  test('the grammar page lists every production by category, each linked to its chapter', async () => {
    const { page, pages } = await site(book())
    expect(pages.has('grammar.html')).toBe(true)
    const summaryPage = page('grammar.html')
    expect(selectAll('h2', summaryPage).map((heading) => heading.properties.id)).toEqual(['category-lexer', 'category-expressions'])
    const lexer = select('.grammar[data-category=lexer]', summaryPage)!
    expect(selectAll('.grammar-entry', lexer).map((entry) => select('.grammar-source', entry)!.properties.href)).toEqual([
      'lexing.html#grammar-TOKEN',
      'lexing.html#grammar-IDENTIFIER',
      'lexing.html#grammar-LITERAL',
    ])
    // On the summary, a nonterminal links to its production there.
    expect(selectAll('a', select('#grammar-Path', summaryPage)!).map((a) => a.properties.href)).toContain('#grammar-IDENTIFIER')
    // Every page links to it.
    expect(selectAll('a', page('lexing.html')).some((a) => a.properties.href === 'grammar.html')).toBe(true)
  })

  test('a book without grammar blocks has no grammar page', async () => {
    const { pages } = await site({ 'SUMMARY.md': '# Summary\n\n- [A](a.md)\n', 'a.md': '# A\n\nr[a.b]\nText.\n' })
    expect(pages.has('grammar.html')).toBe(false)
  })
})

describe('grammar diagnostics', () => {
  test('an undefined nonterminal is an error where it is used, with the nearest names as hints', async () => {
    const { text, places } = mark(syntax.replace('Literal -> LITERAL', 'Literal -> ‸LITERA'))
    const spec = await compileBook(book({ 'syntax.md': text }))
    expect(messageList(spec.files)).toEqual([`syntax.md:${places[0]!.line}:${places[0]!.column} error ferrule:undefined-nonterminal`])
    const [message] = filesToJson(spec.files)
    expect(message!.reason).toBe('Undefined nonterminal `LITERA` in production `Literal`')
    expect(message!.hint).toBe('Did you mean `LITERAL`?')
  })

  test('a production defined twice is an error at both places, each naming the other', async () => {
    const { text, places } = mark(syntax.replace('Literal -> LITERAL', 'Literal -> LITERAL\n\n‸LITERAL -> `0`'))
    const spec = await compileBook(book({ 'syntax.md': text }))
    const messages = filesToJson(spec.files)
    expect(messageList(spec.files)).toEqual(['lexing.md:11:1 error ferrule:duplicate-production', `syntax.md:${places[0]!.line}:${places[0]!.column} error ferrule:duplicate-production`])
    expect(messages.map((message) => message.reason)).toEqual([
      `Production \`LITERAL\` is defined again at syntax.md:${places[0]!.line}:${places[0]!.column}`,
      'Production `LITERAL` is defined twice, first at lexing.md:11:1',
    ])
  })

  test('a production that no root reaches is a warning; with no root anywhere, nothing is', async () => {
    const { text, places } = mark(syntax.replace('Path -> IDENTIFIER', 'Path -> IDENTIFIER\n\n‸Unused -> Path'))
    const spec = await compileBook(book({ 'syntax.md': text }))
    expect(messageList(spec.files)).toEqual([`syntax.md:${places[0]!.line}:${places[0]!.column} warning ferrule:unreachable-production`])
    expect(filesToJson(spec.files)[0]!.reason).toBe('Production `Unused` is not reachable from any root of the grammar')

    const unrooted = await compileBook(book({ 'lexing.md': lexing.replace('@root ', ''), 'syntax.md': text.replace('@root ', '') }))
    expect(messageList(unrooted.files)).toEqual([])
  })

  test('roots may also be named in the configuration', async () => {
    const files = book({ 'lexing.md': lexing.replace('@root ', ''), 'syntax.md': syntax.replace('@root ', '') })
    const spec = await compileBook(files, { grammarRoots: ['Expression'] })
    // TOKEN is no longer a root, and nothing uses it.
    expect(messageList(spec.files)).toEqual(['lexing.md:7:1 warning ferrule:unreachable-production'])
  })

  test('a malformed production is an error at its exact line and column in the chapter, also in an indented block', async () => {
    const { text, places } = mark(['# A', '', '- A list item:', '', '  ```grammar,lexer', '  A -> `a` ‸)', '  ```', ''].join('\n'))
    const spec = await compileBook({ 'SUMMARY.md': '# Summary\n\n- [A](a.md)\n', 'a.md': text })
    const errors = filesToJson(spec.files).filter((message) => message.rule === 'ferrule:malformed-production')
    expect(errors.map((message) => `${message.line}:${message.column} ${message.severity}`)).toEqual([`${places[0]!.line}:${places[0]!.column} error`])
  })

  test('a link to a production that does not exist is an unknown rule, with the nearest as hint', async () => {
    const spec = await compileBook(book({ 'syntax.md': syntax + '\nr[expr.more]\nSee [grammar.Pat].\n' }))
    expect(messageList(spec.files).map((line) => line.replace(/^\S+ /, ''))).toEqual(['error ferrule:unknown-rule'])
    expect(filesToJson(spec.files)[0]!.hint).toContain('`grammar.Path`')
  })
})

describe('tests name productions', () => {
  test('a test title names a production by its ID', () => {
    expect(ruleIdsInTitle('[grammar.IDENTIFIER] raw identifiers [lex.ident]')).toEqual(['grammar.IDENTIFIER', 'lex.ident'])
    expect(ruleIdsInTitle('[Grammar.X] is not one')).toEqual([])
  })
})
