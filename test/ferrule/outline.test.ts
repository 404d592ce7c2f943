import { describe, expect, test } from 'vitest'
import { VFile } from 'vfile'
import { summaryToOutline, type OutlineItem } from '../../tools/ferrule/outline.ts'
import { messageList } from '../helpers/book.ts'

const summary = `# The Book

[Introduction](introduction.md)

# Source

- [Lexing](source/lexing.md)
    - [Tokens](source/tokens.md)
    - [Draft section]()
- [Grammar](./source/grammar.md)

---

# Semantics

- [Types](sem/types.md)
    - [Inference](sem/inference.md)
        - [Fallback](sem/fallback%20rules.md)

[Appendix](appendix.md)
`

function shape(items: OutlineItem[]): unknown[] {
  return items.map((item) =>
    item.type === 'chapter'
      ? [item.number ?? '-', item.title, item.path ?? '(draft)', item.part ?? '', ...(item.children.length ? [shape(item.children)] : [])]
      : item.type === 'part'
        ? `# ${item.title}`
        : '---',
  )
}

describe('outline', () => {
  test('reads mdBook SUMMARY.md: title, prefix and suffix chapters, parts, nesting, numbers, drafts', () => {
    const file = new VFile({ path: 'SUMMARY.md', value: summary })
    const outline = summaryToOutline(file)
    expect(file.messages).toEqual([])
    expect(outline.title).toBe('The Book')
    expect(shape(outline.items)).toEqual([
      ['-', 'Introduction', 'introduction.md', ''],
      '# Source',
      ['1.', 'Lexing', 'source/lexing.md', 'Source', [['1.1.', 'Tokens', 'source/tokens.md', 'Source'], ['1.2.', 'Draft section', '(draft)', 'Source']]],
      ['2.', 'Grammar', 'source/grammar.md', 'Source'],
      '---',
      '# Semantics',
      ['3.', 'Types', 'sem/types.md', 'Semantics', [['3.1.', 'Inference', 'sem/inference.md', 'Semantics', [['3.1.1.', 'Fallback', 'sem/fallback rules.md', 'Semantics']]]]],
      ['-', 'Appendix', 'appendix.md', ''],
    ])
  })

  test('reading order skips drafts and gives prev/next order', () => {
    const outline = summaryToOutline(new VFile({ path: 'SUMMARY.md', value: summary }))
    expect(outline.chapters.map((chapter) => chapter.path)).toEqual([
      'introduction.md',
      'source/lexing.md',
      'source/tokens.md',
      'source/grammar.md',
      'sem/types.md',
      'sem/inference.md',
      'sem/fallback rules.md',
      'appendix.md',
    ])
  })

  test('entries that are not chapter links, non-Markdown paths and repeated chapters are errors', () => {
    const file = new VFile({
      path: 'SUMMARY.md',
      value: '- [A](a.md)\n- Just text\n- [B](b.txt)\n- [A again](./a.md)\n\n> quote\n',
    })
    summaryToOutline(file)
    expect(messageList([file])).toEqual([
      'SUMMARY.md:2:1 error ferrule:outline',
      'SUMMARY.md:3:3 error ferrule:outline',
      'SUMMARY.md:4:3 error ferrule:outline',
      'SUMMARY.md:6:1 error ferrule:outline',
    ])
  })
})
