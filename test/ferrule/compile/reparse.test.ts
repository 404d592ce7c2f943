import fc from 'fast-check'
import type { Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { describe, expect, test } from 'vitest'
import { VFile } from 'vfile'
import { createChapterParser } from '../../../tools/ferrule/compile/parse.ts'
import { reparseRaw } from '../../../tools/ferrule/compile/reparse.ts'

const parser = createChapterParser()
const known: ReadonlySet<string> = new Set(['a.one', 'a.two', 'b.one'])

/** What a parse gives: the tree, the chapter's facts and its diagnostics. */
function parsed(text: string, parse: (file: VFile) => unknown) {
  const file = new VFile({ path: 'chapter.md', value: text })
  const tree = parse(file)
  return { tree, data: file.data, messages: file.messages.map((message) => [message.reason, message.line, message.column]) }
}

const whole = (text: string, ids: ReadonlySet<string> = known) => parsed(text, (file) => parser(file, ids))
/** Rule IDs the book may know at one time or another: rules come and go in other chapters. */
const knowable = fc.subarray(['a.one', 'a.two', 'b.one', 'c.new']).map((ids) => new Set(ids))

/** Blocks of every kind whose parse may depend on what is around them. */
const blocks = [
  '# Heading', 'Heading\n=======', 'Another\n---', 'r[a.one]\nA rule that links [a.two] and [b.one].', 'r[a.two]\n- a list\n- of items\n\n- loose now',
  'A paragraph\nwith a lazy line', '> [!NOTE]\n> An admonition\n\n> quoted', '```rust\nfn main() {}\n```', '```\nunclosed fence', '    indented code',
  '| a | b |\n|---|---|\n| 1 | 2 |', '<div>\n\nhtml\n</div>', '<!-- a comment\n\nover lines -->', '[ref]: https://example.org "Title"', 'See [ref] and [the ref][ref].',
  'A footnote[^1].', '[^1]: The note.', '---\nowner: T-lang\n---', '***', '1. one\n2. two', 'r[b.one]', '',
  'Mentions [c.new] and `[a.one]` in code.', '<pre>\n\npreformatted\n</pre>', '- item\n  > quote\n\n  continued', '- [ref]: /in-a-list', '![image][ref]', 'Text | with\n--- | ---',
]
const edits = ['', '\n', '\n\n', '```', '---', '===', '> ', '- ', 'r[a.one]\n', '[ref]: /x', 'text', '#', '    ', '|', '<div>', '-->', '[a.one]', '|---|', '</pre>', '<pre>', '  ', '[^1]']

const chapter = fc.array(fc.constantFrom(...blocks), { minLength: 1, maxLength: 8 }).map((chosen) => chosen.join('\n\n') + '\n')
/** An edit: at a place (a share of the text's length), delete some characters and insert a piece. */
const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 12 }), insert: fc.constantFrom(...edits) })

function applied(text: string, change: { at: number; remove: number; insert: string }): string {
  const at = Math.floor(change.at * text.length)
  return text.slice(0, at) + change.insert + text.slice(at + change.remove)
}

describe('parsing an edited chapter in part', () => {
  test('gives what parsing the whole chapter gives, for any chapter and any edits', () => {
    fc.assert(
      fc.property(chapter, fc.array(fc.tuple(edit, fc.boolean(), knowable), { minLength: 1, maxLength: 5 }), (start, changes) => {
        let text = start
        let raw = parser.reparse(new VFile({ path: 'chapter.md', value: text }), known, undefined).raw
        for (const [change, editText, ids] of changes) {
          // An edit of the text, or of the rules the rest of the book defines, or both.
          if (editText) text = applied(text, change)
          let next = raw
          const result = parsed(text, (file) => {
            const done = parser.reparse(file, ids, raw)
            next = done.raw
            return done.tree
          })
          expect(result).toEqual(whole(text, ids))
          raw = next
        }
      }),
      { numRuns: Number(process.env.FERRULE_RUNS ?? 400) },
    )
  })

  test('parses only around the edit: a change to one paragraph of many parses a few blocks', () => {
    const paragraphs = Array.from({ length: 200 }, (_, n) => `Paragraph ${n} of the chapter.`)
    const text = paragraphs.join('\n\n') + '\n'
    const raw = parser.reparse(new VFile({ value: text }), known, undefined).raw
    const edited = text.replace('Paragraph 100 of', 'Paragraph one hundred of')
    const micromark = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)
    const fragments: string[] = []
    const part = reparseRaw(raw, edited, raw.ids, (fragment) => {
      fragments.push(fragment)
      return { children: (micromark.parse(fragment) as Root).children, appended: [] }
    })
    expect(fragments).toEqual(['Paragraph 99 of the chapter.\n\nParagraph one hundred of the chapter.\n\nParagraph 101 of the chapter.\n\n\n\nEnd of the region.\n'])
    expect(part!.children).toHaveLength(200)
    expect(parsed(edited, (file) => parser.reparse(file, known, raw).tree)).toEqual(whole(edited))
  })

  test('an edit that changes a definition, which any block may use, parses the whole chapter', () => {
    const text = 'See [ref].\n\nMore.\n\n[ref]: /one\n'
    const raw = parser.reparse(new VFile({ value: text }), known, undefined).raw
    const edited = text.replace('/one', '/two')
    expect(reparseRaw(raw, edited, raw.ids, () => ({ children: [], appended: [] }))).toBeUndefined()
    expect(parsed(edited, (file) => parser.reparse(file, known, raw).tree)).toEqual(whole(edited))
  })
})
