import { describe, expect, test } from 'vitest'
import { createChapterRenderer } from '../../../tools/ferrule/render/chapter.ts'
import { compileBook, sharedHighlighter } from '../../helpers/book.ts'

describe('rehypeFerruleVerification', () => {
  test('under each rule the matrix knows, a collapsed list of its tests with their outcomes and the verdict', async () => {
    const spec = await compileBook({
      'SUMMARY.md': '- [A](a.md)\n',
      'a.md': '# A\n\nr[a.one]\nThe first rule.\n\nr[a.two]\nThe second rule.\n\nr[a.three]\nNot in the matrix.\n',
    })
    const verification = new Map([
      ['a.one', { verdict: 'verified', tests: [{ title: 'checks <one>', status: 'passed', place: 'test/a.test.ts:3', suspect: false }] }],
      ['a.two', { verdict: 'untested', tests: [{ title: 'checks two', status: 'skipped', place: 'test/a.test.ts:9', suspect: true }] }],
    ])
    const render = createChapterRenderer(await sharedHighlighter(), { verification })
    const html = render(spec.chapters[0]!.tree, spec.chapters[0]!.file)
    expect(html).toContain(
      '<details class="rule-verified"><summary>verified: verified by 1 of 1 test</summary><ul><li><span class="status-passed">passed</span> checks &#x3C;one> <code>test/a.test.ts:3</code></li></ul></details></div>',
    )
    expect(html).toContain('<summary>untested: verified by 0 of 1 test</summary><ul><li><span class="status-skipped">skipped</span> checks two <code>test/a.test.ts:9</code> <em>(suspect: the rule changed since it ran)</em></li></ul>')
    expect(html.match(/rule-verified/g)).toHaveLength(2)
  })
})
