import { expect, test } from 'vitest'
import { compileBook, singleChapterBook } from '../../helpers/book.ts'

test('info strings split into language and attributes; each block knows the rule it stands in', async () => {
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
    ['ts', ['should-throw', 'rule=a.one'], 'a.two', 11],
    ['sh', [], undefined, 17],
  ])
})
