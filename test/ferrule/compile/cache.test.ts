import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createCompileCache } from '../../../tools/ferrule/compile/cache.ts'
import { compileSpec, type CompiledSpec } from '../../../tools/ferrule/compile/compile.ts'
import { filesToJson } from '../../../tools/ferrule/report.ts'
import { memoryReader, testConfig, type BookFiles } from '../../helpers/book.ts'

const summary = '# Summary\n\n- [A](a.md)\n- [B](b.md)\n- [C](c.md)\n'

/** A book whose chapter B links to a rule of A, and C links to nothing of the others. */
function book(): BookFiles {
  return {
    'SUMMARY.md': summary,
    'a.md': '# A\n\nr[a.one]\nThe first rule.\n\nr[a.two]\nThe second rule.\n',
    'b.md': '# B\n\nr[b.one]\nSee [a.one] and [the heading](a.md#a).\n',
    'c.md': '# C\n\nr[c.one]\nNothing of the others.\n',
  }
}

/** Linked tree of each chapter, by path. */
function trees(spec: CompiledSpec) {
  return new Map(spec.chapters.map((chapter) => [chapter.path, chapter.tree]))
}

/** What a compile gives that anyone can see: diagnostics, rules, pages and the linked trees. */
function observable(spec: CompiledSpec) {
  return {
    diagnostics: filesToJson(spec.files),
    rules: [...spec.index.rules.values()].map((rule) => ({ ...rule })),
    // The rest of the index, which the cache may update rather than make again.
    index: { ...spec.index, rules: undefined },
    pages: [...spec.index.pages],
    chapters: spec.chapters.map((chapter) => ({ path: chapter.path, tree: chapter.tree, data: chapter.file.data })),
  }
}

describe('compiling with a cache', () => {
  test('an edit re-parses and re-links the edited chapter only, when no rule moves', async () => {
    const files = book()
    const cache = createCompileCache()
    const first = trees(await compileSpec(testConfig(), memoryReader(files), { cache }))
    files['c.md'] = '# C\n\nr[c.one]\nNothing of the others, still.\n'
    const second = trees(await compileSpec(testConfig(), memoryReader(files), { cache }))
    expect(second.get('a.md')).toBe(first.get('a.md'))
    expect(second.get('b.md')).toBe(first.get('b.md'))
    expect(second.get('c.md')).not.toBe(first.get('c.md'))
  })

  test('a chapter linking to a rule that moved, or to an anchor that went, is linked again', async () => {
    const files = book()
    const cache = createCompileCache()
    const first = trees(await compileSpec(testConfig(), memoryReader(files), { cache }))
    // `a.one` moves to C: B's link to it now goes to another page; A's heading stays.
    files['a.md'] = '# A\n\nr[a.two]\nThe second rule.\n'
    files['c.md'] = '# C\n\nr[c.one]\nNothing of the others.\n\nr[a.one]\nThe first rule, moved.\n'
    const second = await compileSpec(testConfig(), memoryReader(files), { cache })
    expect(trees(second).get('b.md')).not.toBe(first.get('b.md'))
    expect(JSON.stringify(trees(second).get('b.md'))).toContain('c.html#r-a.one')
    // A heading B links to is renamed: B is linked again and now warns.
    files['a.md'] = '# Not A\n\nr[a.two]\nThe second rule.\n'
    const third = await compileSpec(testConfig(), memoryReader(files), { cache })
    expect(trees(third).get('b.md')).not.toBe(trees(second).get('b.md'))
    expect(filesToJson(third.files).map((message) => `${message.file} ${message.rule}`)).toEqual(['b.md ferrule:missing-anchor'])
    // Untouched since: taken from the cache, with its diagnostic.
    const fourth = await compileSpec(testConfig(), memoryReader(files), { cache })
    expect(trees(fourth).get('b.md')).toBe(trees(third).get('b.md'))
    expect(filesToJson(fourth.files)).toEqual(filesToJson(third.files))
  })

  test('a rule ID that comes to exist turns bracketed text into a link, in chapters that did not change', async () => {
    const files = book()
    files['c.md'] = '# C\n\nr[c.one]\nSee [a.three].\n'
    const cache = createCompileCache()
    const before = await compileSpec(testConfig(), memoryReader(files), { cache })
    expect(filesToJson(before.files).map((message) => message.rule)).toEqual(['ferrule:unknown-rule'])
    files['a.md'] += '\nr[a.three]\nThe third rule.\n'
    const after = await compileSpec(testConfig(), memoryReader(files), { cache })
    expect(filesToJson(after.files)).toEqual([])
    expect(JSON.stringify(trees(after).get('c.md'))).toContain('a.html#r-a.three')
  })

  test('after any sequence of edits, a compile with the cache gives what a compile without it gives', async () => {
    // Edits of a three-chapter book that add, remove, move and break rules and links.
    const pieces = [
      'r[a.one]\nA rule.\n', 'r[a.two]\nAnother rule.\n', 'r[b.one]\nSee [a.one].\n', 'r[b.two]\nSee [a.two] and [a.nine].\n',
      'See [the rule](a.md#r-a.one).\n', 'See [B](b.md#b).\n', '## A heading\n', 'r[a.one]\nA duplicate.\n', 'r[bad id]\nMalformed.\n',
      '```rust\nfn main() {}\n```\n', 'Plain text [a.two].\n', '',
      // The same IDs with other text, links or headings: the lookups change, not the book's shape.
      'r[a.one]\nThe same rule, reworded.\n', 'r[b.one]\nSee [a.two].\n', '## Another heading\n',
      'r[term.x]\nAn *x* is one thing.\n', 'r[term.x]\nAn *x* is another thing.\n', 'A link to the [x][term.x].\n',
    ]
    const chapter = fc.array(fc.constantFrom(...pieces), { maxLength: 4 })
    const edit = fc.record({ path: fc.constantFrom('a.md', 'b.md', 'c.md', 'SUMMARY.md'), pieces: chapter, drop: fc.boolean() })
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        const files = book()
        const cache = createCompileCache()
        await compileSpec(testConfig(), memoryReader(files), { cache })
        for (const { path, pieces: chosen, drop } of edits) {
          if (path === 'SUMMARY.md') files[path] = drop ? '# Summary\n\n- [A](a.md)\n- [C](c.md)\n' : summary
          else if (drop) delete files[path]
          else files[path] = `# ${path}\n\n${chosen.join('\n')}`
          const cached = await compileSpec(testConfig(), memoryReader(files), { cache })
          const fresh = await compileSpec(testConfig(), memoryReader(files))
          expect(observable(cached)).toEqual(observable(fresh))
        }
      }),
      { numRuns: Number(process.env.FERRULE_RUNS ?? 60) },
    )
  })

  test('edits that keep every rule where it is (rewording, prose, headings) update the index as a compile without the cache makes it', async () => {
    // Each chapter keeps its rules, IDs and links; what is around and in them changes. Now and then
    // an edit changes the book's shape, after which the index is made afresh.
    const around = ['', 'Some prose.\n', '## A heading\n', '## A heading\n\nMore prose.\n', '```rust\nfn main() {}\n```\n', 'Plain [a.two] text.\n']
    const wording = ['The first rule.', 'The first rule, reworded.', 'A rule of *many* words.']
    const chapterText = (path: string, before: string, words: string, after: string, extra: boolean) => {
      if (path === 'a.md') return `# A\n\n${before}\nr[a.one]\n${words}\n\n${after}\nr[a.two]\nThe second rule.\n${extra ? '\nr[a.three]\nA third.\n' : ''}`
      if (path === 'b.md') return `---\nowner: T-${words.length % 2 ? 'lang' : 'types'}\n---\n\n# B\n\n${before}\nr[b.one]\nSee [a.one] and [the heading](a.md#a-heading). ${words}\n\n${after}`
      return `# C\n\n${before}\nr[c.one]\n${words}\n${after}`
    }
    const edit = fc.record({
      path: fc.constantFrom('a.md', 'b.md', 'c.md'),
      before: fc.constantFrom(...around),
      words: fc.constantFrom(...wording),
      after: fc.constantFrom(...around),
      extra: fc.boolean().map((flip) => flip && Math.random() < 0.2),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), async (edits) => {
        const files: BookFiles = { 'SUMMARY.md': summary, 'a.md': chapterText('a.md', '', wording[0]!, '', false), 'b.md': chapterText('b.md', '', wording[0]!, '', false), 'c.md': chapterText('c.md', '', wording[0]!, '', false) }
        const cache = createCompileCache()
        const config = testConfig()
        await compileSpec(config, memoryReader(files), { cache })
        for (const { path, before, words, after, extra } of edits) {
          files[path] = chapterText(path, before, words, after, extra)
          const cached = await compileSpec(config, memoryReader(files), { cache })
          const fresh = await compileSpec(testConfig(), memoryReader(files))
          expect(observable(cached)).toEqual(observable(fresh))
        }
      }),
      { numRuns: Number(process.env.FERRULE_RUNS ?? 60) },
    )
  })
})
