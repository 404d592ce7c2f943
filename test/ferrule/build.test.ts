import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { build } from '../../tools/ferrule/build.ts'
import { resolveConfig } from '../../tools/ferrule/config.ts'
import { fixturesRoot } from '../helpers/fixtures.ts'

let work: string
let book: string

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-build-'))
  book = path.join(work, 'book')
  await cp(path.join(fixturesRoot, 'books/basic'), book, { recursive: true })
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

function configFor(outDir: string) {
  return resolveConfig(work, { root: 'book', outDir, title: 'Basic book', kinds: { 'threat.': 'threat' }, owners: ['T-lang'] })
}

/** Every file under `folder` with its bytes, by relative path. */
async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name)
      files.set(path.relative(folder, full), (await readFile(full)).toString('base64'))
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

describe('build', () => {
  test('writes a page per chapter, the index and rules pages, the theme, assets and rules.json', async () => {
    const result = await build({ config: configFor('dist') })
    expect(result).toMatchObject({ written: true, chapters: 4, rules: 6, counts: { errors: 0, warnings: 1 } })
    const all = [...(await snapshot(path.join(work, 'dist'))).keys()]
    // The search's files, which pagefind names by their content.
    expect(all.filter((file) => file.startsWith('site/pagefind/'))).toEqual(expect.arrayContaining(['site/pagefind/pagefind.js', 'site/pagefind/pagefind-entry.json']))
    expect(all.filter((file) => file.startsWith('site/search/'))).toEqual(['site/search/ids.json', 'site/search/ids/0.json'])
    const files = all.filter((file) => !file.startsWith('site/pagefind/') && !file.startsWith('site/search/'))
    expect(files).toEqual([
      'rules.json',
      'site/img/diagram.svg',
      'site/index.html',
      'site/intro.html',
      'site/lang/moves.html',
      'site/lang/values.html',
      'site/lib/boxes.html',
      'site/print.html',
      'site/rules.html',
      'site/theme/ferrule.css',
      'site/theme/ferrule.js',
    ])
  })

  test('pages have the sidebar with the current chapter marked, numbers, prev/next and rule anchors', async () => {
    await build({ config: configFor('dist') })
    const page = await readFile(path.join(work, 'dist/site/lang/moves.html'), 'utf8')
    expect(page).toContain('<title>Moves - Basic book</title>')
    expect(page).toContain('<link rel="stylesheet" href="../theme/ferrule.css">')
    expect(page).toContain('<a href="moves.html" class="active" aria-current="page"><strong class="number">1.1.</strong> Moves</a>')
    expect(page).toContain('<a href="../intro.html">Introduction</a>')
    expect(page).toContain('<li class="part-title">The library</li>')
    expect(page).toContain('<span class="draft" title="Not written yet"><strong class="number">2.</strong> Later work</span>')
    expect(page).toMatch(/<a class="previous" rel="prev" href="values.html">.*1\. Values/)
    expect(page).toMatch(/<a class="next" rel="next" href="..\/lib\/boxes.html">.*3\. Boxes/)
    expect(page).toContain('<div class="rule" id="r-moves.after"><a class="rule-id" href="#r-moves.after"')
    expect(page).toContain('<a href="#r-moves.after" class="rule-link" data-rule="moves.after">moves.after</a>')

    const rules = await readFile(path.join(work, 'dist/site/rules.html'), 'utf8')
    expect(rules).toContain('<tr id="r-moves.after" data-rule="moves.after"><td><a id="moves.after" href="lang/moves.html#r-moves.after" data-permalink=""><code>moves.after</code></a></td>')
    expect(rules).toContain('<td>threat</td>')
    const index = await readFile(path.join(work, 'dist/site/index.html'), 'utf8')
    expect(index).toContain('4 chapters, 6 rules.')
    expect(index).toMatch(/<a class="next" rel="next" href="intro.html">/)
  })

  test('two builds of the same input give byte-identical output', async () => {
    await build({ config: configFor('one') })
    await build({ config: configFor('two') })
    const one = await snapshot(path.join(work, 'one'))
    expect(one.size).toBeGreaterThan(5)
    expect(await snapshot(path.join(work, 'two'))).toEqual(one)
  })

  test('a spec with errors publishes nothing and leaves the previous output untouched', async () => {
    await build({ config: configFor('dist') })
    await writeFile(path.join(work, 'dist/test-results.json'), '{"kept": true}')
    const before = await snapshot(path.join(work, 'dist'))

    await writeFile(path.join(book, 'lib/boxes.md'), '# Boxes\n\nr[values]\nA duplicate of a rule in another chapter.\n')
    const result = await build({ config: configFor('dist') })
    expect(result.written).toBe(false)
    expect(result.counts.errors).toBe(2)
    expect(await snapshot(path.join(work, 'dist'))).toEqual(before)
  })

  test('strict builds refuse warnings; the rebuilt output replaces the old one whole', async () => {
    await build({ config: configFor('dist') })
    const strict = await build({ config: configFor('dist'), strict: true })
    expect(strict).toMatchObject({ written: false, counts: { errors: 1, warnings: 0 } })

    await rm(path.join(book, 'lib/boxes.md'))
    await writeFile(path.join(book, 'SUMMARY.md'), '- [Values](lang/values.md)\n- [Moves](lang/moves.md)\n- [Intro](intro.md)\n')
    expect((await build({ config: configFor('dist') })).written).toBe(true)
    const files = [...(await snapshot(path.join(work, 'dist'))).keys()]
    expect(files).not.toContain('site/lib/boxes.html')
    expect(files.filter((file) => file.includes('.ferrule-'))).toEqual([])
  })
})
