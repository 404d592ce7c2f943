import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compileBook, singleChapterBook } from '../../helpers/book.ts'

/** Lines that exercise Ferrule's syntax, valid and broken, to be shuffled into chapters. */
const pieces = [
  'r[a.b]', 'r[a.b.c]', 'r[Bad ID]', 'r[]', 'r[a..b]', '[a.b]', '[text][a.b]', '[a.b][]', '[x.y.z]', '\\[a.b]',
  '> [!NOTE]', '> [!edition-2024]', '> ', '>', '- item', '  - nested', '1. one', '| a | b |', '|---|---|',
  '```rust', '```', '~~~', '```ts ignore', '# Title', '## Title {#id}', '---', 'owner: T-lang', '',
  'text with `code` and *emphasis*', '<div id="x">', '</div>', '<!--', '-->', '[link](other.md#x)',
  '[link](../out.md)', '![img](nope.png)', '[def]: other.md', '\t', 'é ü 日本', '\r', 'r[a.b]\r',
]

describe('broken Markdown', () => {
  test('no chapter text crashes a compile, and every diagnostic has a place and a rule name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 12 })), { maxLength: 40 }), async (lines) => {
        const spec = await compileBook(singleChapterBook(lines.join('\n'), { 'other.md': '# Other\n\nr[a.c]\nC.\n' }))
        for (const message of spec.files.flatMap((file) => file.messages)) {
          expect(message.ruleId).toMatch(/^[a-z-]+$/)
          expect(message.line).toBeGreaterThan(0)
        }
      }),
      { numRuns: 300 },
    )
  })

  test('CRLF line endings read the same as LF', async () => {
    const lf = '---\nowner: T-lang\n---\n# T\n\nr[a.b]\nFirst line\nsecond line.\n\nr[a.c]\n- x\n\nSee [a.b].\n'
    const unix = await compileBook(singleChapterBook(lf))
    const windows = await compileBook(singleChapterBook(lf.replace(/\n/g, '\r\n')))
    expect(windows.files.flatMap((file) => file.messages)).toEqual([])
    expect(windows.index.ids).toEqual(unix.index.ids)
    expect(windows.index.rules.get('a.b')?.text).toBe(unix.index.rules.get('a.b')?.text)
    expect(windows.chapters[0]!.file.data.frontMatter).toEqual({ owner: 'T-lang' })
  })
})
