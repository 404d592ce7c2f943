import { expect, test } from 'vitest'
import { compileBook, singleChapterBook } from '../../helpers/book.ts'
import { testFixtures } from '../../helpers/fixtures.ts'

testFixtures('syntax/front-matter', { owners: ['T-lang', 'T-types'] })

test('front matter is read into the chapter data and not rendered', async () => {
  const spec = await compileBook(singleChapterBook('---\nowner: T-types\nstatus: draft\n---\n\n# T\n'))
  expect(spec.chapters[0]!.file.data.frontMatter).toEqual({ owner: 'T-types', status: 'draft' })
  expect(spec.chapters[0]!.tree.children.map((node) => node.type)).toEqual(['heading'])
})

test('unreadable YAML is a warning at the line of the problem', async () => {
  const spec = await compileBook(singleChapterBook('---\nowner: T-types\nstatus: [draft\n---\n\n# T\n'))
  const [message] = spec.files.flatMap((file) => file.messages)
  expect(message?.ruleId).toBe('front-matter')
  expect(message?.fatal).toBe(false)
  // The unclosed `[` is found where the line ends.
  expect([message?.line, message?.column]).toEqual([3, 15])
})
