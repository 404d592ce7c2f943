import { describe, expect, test } from 'vitest'
import { compileBook, messageList, singleChapterBook } from '../../helpers/book.ts'
import { testFixtures } from '../../helpers/fixtures.ts'
import { mark } from '../../helpers/mark.ts'

testFixtures('syntax/rule-links')

describe('rule links', () => {
  test('an unknown rule ID is an error at the link, with the nearest IDs as hint', async () => {
    const { text, places } = mark('# T\n\nr[lex.token.ident]\nIdentifiers.\n\nr[lex.token.literal]\nLiterals.\n\nSee ‸[lex.token.idnet] here.\n')
    const spec = await compileBook(singleChapterBook(text))
    const messages = spec.files.flatMap((file) => file.messages)
    expect(messages).toHaveLength(1)
    expect(messages[0]!.ruleId).toBe('unknown-rule')
    expect(messages[0]!.fatal).toBe(true)
    expect({ line: messages[0]!.line, column: messages[0]!.column }).toEqual(places[0])
    expect(messages[0]!.note).toBe('Did you mean `lex.token.ident`?')
  })

  test('an unknown rule ID after an open bracket and an email address is reported at its place (remark-gfm leaves that text without one)', async () => {
    const { text, places } = mark('# T\n\nr[a.b]\nText.\n\nAn open [bracket, then lists@example.org\nor see ‸[a.bc].\n')
    const spec = await compileBook(singleChapterBook(text))
    const [message] = spec.files.flatMap((file) => file.messages)
    expect(message?.reason).toBe('Unknown rule ID `a.bc` in a rule link')
    expect({ line: message?.line, column: message?.column }).toEqual(places[0])
  })

  test('the full form reports the position of the ID part', async () => {
    const { text, places } = mark('# T\n\nr[a.b]\nText.\n\nSee [some *text*]‸[a.c].\n')
    const spec = await compileBook(singleChapterBook(text))
    const [message] = spec.files.flatMap((file) => file.messages)
    expect({ line: message?.line, column: message?.column }).toEqual(places[0])
  })

  test('a link to a rule in another chapter points at that page', async () => {
    const spec = await compileBook(
      singleChapterBook('# A\n\nSee [b.rule].\n', { 'sub/b.md': '# B\n\nr[b.rule]\nB.\n' }),
    )
    const refs = spec.chapters[0]!.file.data.ruleRefs!
    expect(refs).toEqual([expect.objectContaining({ id: 'b.rule', linked: true })])
    expect(JSON.stringify(spec.chapters[0]!.tree)).toContain('"url":"sub/b.html#r-b.rule"')
  })

  test('a fence left open at the end of a chapter is a warning, not a flood of unknown rules', async () => {
    const { text, places } = mark('# T\n\nr[a.b]\nSee [a.b].\n\n‸```rust\nlet x = 1;\n')
    const spec = await compileBook(singleChapterBook(text))
    expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} warning ferrule:unclosed-block`])
  })
})
