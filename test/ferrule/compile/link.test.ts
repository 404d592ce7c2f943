import { describe, expect, test } from 'vitest'
import { compileBook, messageList, singleChapterBook } from '../../helpers/book.ts'
import { testFixtures } from '../../helpers/fixtures.ts'
import { mark } from '../../helpers/mark.ts'

testFixtures('links')

describe('links between chapters', () => {
  test('a link to a missing heading anchor is a warning at the link, with the nearest anchors as hint', async () => {
    const { text, places } = mark('# T\n\n## Generic functions\n\nSee ‸[generics](other.md#generic-function).\n')
    const spec = await compileBook(singleChapterBook(text, { 'other.md': '# Other\n\n## Generic functions\n' }))
    const [message] = spec.files.flatMap((file) => file.messages)
    expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} warning ferrule:missing-anchor`])
    expect(message?.note).toBe('Did you mean `#generic-functions`?')
  })

  test('a link to a chapter that does not exist is a warning at the link', async () => {
    const { text, places } = mark('# T\n\nSee ‸[items](items.md) and [ok](#t).\n')
    const spec = await compileBook(singleChapterBook(text))
    expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} warning ferrule:broken-link`])
  })

  test('links through definitions are checked and rewritten too', async () => {
    const spec = await compileBook(singleChapterBook('# T\n\nSee [other].\n\n[other]: other.md#top\n', { 'other.md': '# Top\n' }))
    expect(messageList(spec.files)).toEqual([])
    expect(JSON.stringify(spec.chapters[0]!.tree)).toContain('"url":"other.html#top"')
  })

  test('links from a nested chapter are relative to its page', async () => {
    const spec = await compileBook({
      'SUMMARY.md': '- [A](a/one.md)\n- [B](b/two.md)\n',
      'a/one.md': '# One\n\nTo [two](../b/two.md#two) and [rule][b.rule].\n',
      'b/two.md': '# Two\n\nr[b.rule]\nRule.\n',
    })
    expect(messageList(spec.files)).toEqual([])
    const tree = JSON.stringify(spec.chapters[0]!.tree)
    expect(tree).toContain('"url":"../b/two.html#two"')
    expect(tree).toContain('"url":"../b/two.html#r-b.rule"')
  })
})

describe('hints for unknown rule IDs, compile after compile', () => {
  test('name the nearest rules of each compile as rules come and go', async () => {
    const hint = async (rules: string[]) => {
      const chapter = `# T\n\nSee [lex.idnet].\n\n${rules.map((id) => `r[${id}]\nA rule.\n`).join('\n')}`
      const spec = await compileBook(singleChapterBook(chapter))
      return spec.files.flatMap((file) => file.messages).find((message) => message.ruleId === 'unknown-rule')?.note
    }
    expect(await hint(['lex.ident', 'syntax.expr'])).toBe('Did you mean `lex.ident`?')
    // Added: nearer ones come first.
    expect(await hint(['lex.ident', 'lex.idne', 'syntax.expr'])).toBe('Did you mean `lex.idne` or `lex.ident`?')
    // Removed: the hint of the compile before named it, so it is looked for against every ID again.
    expect(await hint(['lex.idne', 'lex.idnt'])).toBe('Did you mean `lex.idne` or `lex.idnt`?')
    expect(await hint(['syntax.expr'])).toBe('No rule has a similar ID; write `\\[` for a literal bracket')
  })
})
