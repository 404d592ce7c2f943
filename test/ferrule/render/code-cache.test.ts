import { describe, expect, test } from 'vitest'
import { createChapterRenderer } from '../../../tools/ferrule/render/chapter.ts'
import { compileBook, sharedHighlighter } from '../../helpers/book.ts'

describe('the chapter renderer with a code cache', () => {
  test('writes what it writes without one, on the first render and on every one after', async () => {
    const code = '```rust\nfn main() { let x = "<&>"; }\n```'
    const spec = await compileBook({
      'SUMMARY.md': '- [A](a.md)\n',
      // Code blocks at the top, twice the same, in a rule, in a list, in a block quote and an alert,
      // beside paragraphs and inline code.
      'a.md': `# A\n\n${code}\n\n${code}\n\nr[a.one]\nA rule with \`inline\` code.\n\n\`\`\`text\nplain <text>\n\`\`\`\n\n- item\n\n  ${code.replaceAll('\n', '\n  ')}\n\n> quoted\n>\n> ${code.replaceAll('\n', '\n> ')}\n\n> [!NOTE]\n> ${code.replaceAll('\n', '\n> ')}\n`,
    })
    const highlighter = await sharedHighlighter()
    const [chapter] = spec.chapters
    const expected = createChapterRenderer(highlighter)(structuredClone(chapter!.tree), chapter!.file)
    expect(expected.match(/<pre class="shiki/g)).toHaveLength(6)
    const cached = createChapterRenderer(highlighter, { codeCache: new Map() })
    for (let time = 0; time < 3; time++) expect(cached(structuredClone(chapter!.tree), chapter!.file)).toBe(expected)
  })
})
