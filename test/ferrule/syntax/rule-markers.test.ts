import { describe, expect, test } from 'vitest'
import { compileBook, messageList, singleChapterBook } from '../../helpers/book.ts'
import { testFixtures } from '../../helpers/fixtures.ts'
import { mark } from '../../helpers/mark.ts'

testFixtures('syntax/rule-markers')

describe('rule markers', () => {
  test('each marker identifies the block after it, with its marker line and plain text', async () => {
    const spec = await compileBook(
      singleChapterBook(['# T', '', 'r[a.one]', 'First *rule*', 'text.', '', 'r[a.two]', '- x', '- y', ''].join('\n')),
    )
    const rules = spec.chapters[0]!.file.data.rules!
    expect(rules.map((rule) => [rule.id, rule.position.start.line, rule.block, rule.text])).toEqual([
      ['a.one', 3, 'paragraph', 'First rule\ntext.'],
      ['a.two', 7, 'list', 'x\ny'],
    ])
  })

  test('a malformed ID is an error at the marker, with a corrected ID as hint', async () => {
    const { text, places } = mark('# T\n\n‸r[Lex Token]\nText.\n')
    const spec = await compileBook(singleChapterBook(text))
    const [message] = spec.files.flatMap((file) => file.messages)
    expect(message?.ruleId).toBe('malformed-rule-id')
    expect(message?.fatal).toBe(true)
    expect({ line: message?.line, column: message?.column }).toEqual(places[0])
    expect(message?.note).toBe('Did you mean `r[lex-token]`?')
  })

  test('a marker with no block after it is an error', async () => {
    const { text, places } = mark('# T\n\nr[a.b]\nText.\n\n‸r[a.c]\n\n---\n')
    const spec = await compileBook(singleChapterBook(text))
    expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} error ferrule:dangling-rule-marker`])
  })

  test('a marker inside a paragraph is an error where it stands', async () => {
    const { text, places } = mark('# T\n\nSome text\n‸r[a.b]\nmore text.\n')
    const spec = await compileBook(singleChapterBook(text))
    expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} error ferrule:misplaced-rule-marker`])
  })
})
