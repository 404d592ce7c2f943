import { expect, test } from 'vitest'
import { compileBook, messageList, singleChapterBook } from '../../helpers/book.ts'
import { mark } from '../../helpers/mark.ts'

test('info strings split into language and attributes; each block knows its rule, `rule=ID` first', async () => {
  const chapter = [
    '# T',
    '',
    'r[a.one]',
    '```rust,ignore,edition2021',
    'x',
    '```',
    '',
    'r[a.two]',
    'Text of the rule.',
    '',
    '```ts should-throw rule=a.one',
    'y',
    '```',
    '',
    '## Next section',
    '',
    '```sh',
    'z',
    '```',
    '',
  ].join('\n')
  const spec = await compileBook(singleChapterBook(chapter))
  const examples = spec.chapters[0]!.file.data.examples!
  expect(examples.map((example) => [example.lang, example.attributes, example.rule, example.position?.start.line])).toEqual([
    ['rust', ['ignore', 'edition2021'], 'a.one', 4],
    ['ts', ['should-throw', 'rule=a.one'], 'a.one', 11],
    ['sh', [], undefined, 17],
  ])
})

test('an executable example in no rule is a warning at its fence, unless it names a rule or is ignored', async () => {
  const { text, places } = mark(
    ['# T', '', 'Intro, no rule.', '', '‸```ts', 'x()', '```', '', '```ts rule=a.one', 'y()', '```', '', '```rust,ignore needs a target', 'z()', '```', '', 'r[a.one]', 'Rule.', ''].join('\n'),
  )
  const spec = await compileBook(singleChapterBook(text))
  expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} warning ferrule:example-outside-rule`])
  expect(spec.files[1]!.messages[0]!.note).toMatch(/rule=ID/)
})

test('`ignore` without a reason and an unknown word are warnings, the latter with the nearest word as hint', async () => {
  const { text, places } = mark(['# T', '', 'r[a.one]', 'Rule.', '', '‸```ts ignore', 'x()', '```', '', '‸```rust,should-panic', 'y()', '```', ''].join('\n'))
  const spec = await compileBook(singleChapterBook(text))
  expect(messageList(spec.files)).toEqual([
    `chapter.md:${places[0]!.line}:${places[0]!.column} warning ferrule:ignore-without-reason`,
    `chapter.md:${places[1]!.line}:${places[1]!.column} warning ferrule:unknown-example-word`,
  ])
  expect(spec.files[1]!.messages[1]!.note).toBe('Did you mean `should_panic`?')
})

test('`rule=` naming no rule is an error with the nearest IDs as hint', async () => {
  const { text, places } = mark(['# T', '', 'r[a.one]', 'Rule.', '', '‸```ts rule=a.onw', 'x()', '```', ''].join('\n'))
  const spec = await compileBook(singleChapterBook(text))
  expect(messageList(spec.files)).toEqual([`chapter.md:${places[0]!.line}:${places[0]!.column} error ferrule:unknown-rule`])
  expect(spec.files[1]!.messages[0]!.reason).toBe('Unknown rule ID `a.onw` in the `rule=` of an example')
  expect(spec.files[1]!.messages[0]!.note).toBe('Did you mean `a.one`?')
})
