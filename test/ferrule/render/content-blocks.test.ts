import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { compileSpec } from '../../../tools/ferrule/compile/compile.ts'
import { loadUserConfig, resolveConfig } from '../../../tools/ferrule/config.ts'
import { createChapterRenderer } from '../../../tools/ferrule/render/chapter.ts'
import { fsSpecReader } from '../../../tools/ferrule/site/fs-reader.ts'
import { compileBook, sharedHighlighter } from '../../helpers/book.ts'

const repository = path.resolve(import.meta.dirname ?? '.', '../../..')

describe('the top-level blocks of a chapter’s content', () => {
  test('one after another, are the content the renderer writes, for every chapter of this repository’s spec', async () => {
    const config = resolveConfig(repository, await loadUserConfig(repository))
    const spec = await compileSpec(config, fsSpecReader(config.root))
    const highlighter = await sharedHighlighter()
    const plain = createChapterRenderer(highlighter)
    // The live preview's renderer, which writes highlighted code from its cache as raw HTML, and
    // renders each top-level block on its own, once.
    const cached = createChapterRenderer(highlighter, { codeCache: new Map(), blockCache: new Map() })
    for (const chapter of spec.chapters) {
      const expected = plain(structuredClone(chapter.tree), chapter.file)
      for (const render of [plain, cached, cached]) {
        const blocks = render.blocks(structuredClone(chapter.tree), chapter.file)
        expect(blocks.map((block) => block.html).join(''), chapter.path).toBe(expected)
      }
    }
  }, 120_000)

  test('rendered a block at a time, a chapter is what it is rendered whole; with footnotes or link definitions it is rendered whole', async () => {
    const chapters = {
      plain: '# A\n\nr[a.one]\nA rule with `code`, *emphasis* and [a link](https://example.com).\n\n- a list\n- of two\n\n> [!NOTE]\n> An alert.\n\n```text\nplain\n```\n\n<div>raw</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      footnotes: '# A\n\nr[a.one]\nA rule with a note.[^n]\n\nAnd another.[^m]\n\n[^n]: The note.\n[^m]: The other.\n',
      definitions: '# A\n\nr[a.one]\nA rule with [a reference][ref].\n\n[ref]: https://example.com\n',
    }
    const highlighter = await sharedHighlighter()
    const blockCache = new Map()
    const cached = createChapterRenderer(highlighter, { codeCache: new Map(), blockCache })
    for (const [name, text] of Object.entries(chapters)) {
      const spec = await compileBook({ 'SUMMARY.md': '- [A](a.md)\n', 'a.md': text })
      const [chapter] = spec.chapters
      const expected = createChapterRenderer(highlighter)(structuredClone(chapter!.tree), chapter!.file)
      expect(expected.length, name).toBeGreaterThan(100)
      expect(cached.blocks(chapter!.tree, chapter!.file).map((block) => block.html).join(''), name).toBe(expected)
    }
    // Only the chapter without footnotes or definitions went block by block.
    expect(blockCache.size).toBeGreaterThan(5)
    const before = blockCache.size
    const spec = await compileBook({ 'SUMMARY.md': '- [A](a.md)\n', 'a.md': chapters.plain.replace('An alert.', 'An alert, edited.') })
    const [chapter] = spec.chapters
    expect(cached.blocks(chapter!.tree, chapter!.file).map((block) => block.html).join('')).toBe(createChapterRenderer(highlighter)(structuredClone(chapter!.tree), chapter!.file))
    // One block changed, one more in the cache.
    expect(blockCache.size).toBe(before + 1)
  })

  test('headings and rules are blocks with their ids; raw HTML of the book is not self-contained', async () => {
    const spec = await compileBook({
      'SUMMARY.md': '- [A](a.md)\n',
      'a.md': '# A\n\nr[a.one]\nA rule.\n\n<div class="open">\n\n## Later\n\n```text\nplain\n```\n\nText.\n',
    })
    const [chapter] = spec.chapters
    const render = createChapterRenderer(await sharedHighlighter(), { codeCache: new Map() })
    const blocks = render.blocks(chapter!.tree, chapter!.file).filter((block) => block.html !== '\n')
    expect(blocks.map(({ id, selfContained, html }) => [id, selfContained, html.slice(0, 20)])).toEqual([
      ['a', true, '<h1 id="a"><a class='],
      ['r-a.one', true, '<div class="rule" id'],
      [null, false, '<div class="open">'],
      ['later', true, '<h2 id="later"><a cl'],
      [null, true, '<div class="code-blo'],
      [null, true, '<p>Text.</p>'],
    ])
  })
})
