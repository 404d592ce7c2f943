import { expect, test } from 'vitest'
import { renderChapter, singleChapterBook } from '../../helpers/book.ts'
import { testFixtures } from '../../helpers/fixtures.ts'

testFixtures('code')

test('rust, ts, toml, json and sh are highlighted; an unknown language is plain text', async () => {
  const block = (lang: string, code: string) => '```' + lang + '\n' + code + '\n```\n'
  const { html } = await renderChapter(
    singleChapterBook(['# T', block('rust', 'fn f() {}'), block('klingon', 'qapla'), ''].join('\n')),
  )
  const [rust, unknown] = html.split('<pre').slice(1)
  expect(rust).toMatch(/<span style="color:#D73A49;--shiki-dark:#F97583">fn<\/span>/)
  expect(unknown).toContain('qapla')
  expect(unknown).not.toMatch(/--shiki-dark:#F97583/)
})
