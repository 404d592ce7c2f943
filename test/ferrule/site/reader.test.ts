import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { build } from '../../../tools/ferrule/build.ts'
import { resolveConfig } from '../../../tools/ferrule/config.ts'
import { renderPdf } from '../../../tools/ferrule/pdf.ts'
import { hasChromium, launchChromium } from '../../helpers/browser.ts'
import { fixturesRoot } from '../../helpers/fixtures.ts'
import { serveFolder } from '../../helpers/static-server.ts'

/** Screenshots for a reviewer to look at; generated, so under dist/ and not in git. */
const artifacts = path.resolve(import.meta.dirname ?? '.', '../../../dist/test-artifacts')

let work: string
let site: { url: string; close(): Promise<void> }
let browser: Browser

const config = () => resolveConfig(work, { root: 'book', outDir: 'out', title: 'Reader book' })

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-reader-'))
  await cp(path.join(fixturesRoot, 'books/reader'), path.join(work, 'book'), { recursive: true })
  const result = await build({ config: config() })
  expect(result.written).toBe(true)
  site = await serveFolder(path.join(work, 'out/site'))
  await mkdir(artifacts, { recursive: true })
  if (hasChromium) browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await rm(work, { recursive: true, force: true })
})

const read = (page: string) => readFile(path.join(work, 'out/site', page), 'utf8')

describe('the built site, as files', () => {
  test('a rule shows the rules that link to it, collapsed; a link to a term carries its definition', async () => {
    const values = await read('lang/values.html')
    expect(values).toContain('<details class="rule-refs"><summary>Referenced by 2 rules</summary><ul><li><a href="../intro.html#r-intro.purpose"><code>intro.purpose</code></a></li><li><a href="moves.html#r-moves.after"><code>moves.after</code></a></li></ul></details>')
    expect(values).toContain('<a href="../front/terms.html#r-term.value" class="rule-link term-link" data-rule="term.value" title="A value is a sequence of bytes with a type.">value</a>')
  })

  test('the glossary lists every term alphabetically, each with its definition and rule', async () => {
    const glossary = await read('glossary.html')
    const words = [...glossary.matchAll(/<dt id="glossary-([a-z.]+)"><dfn>([a-z]+)<\/dfn><\/dt>/g)].map((match) => match[2])
    expect(words).toEqual(['borrow', 'place', 'value'])
    expect(glossary).toContain('<dd>A value is a sequence of bytes with a type. <a class="rule-ref" href="front/terms.html#r-term.value"><code>term.value</code></a></dd>')
    expect(await read('index.html')).toContain('<a href="glossary.html">Glossary</a>')
  })

  test('print.html holds every chapter in reading order, with links and anchors made to work on one page', async () => {
    const print = await read('print.html')
    const sections = [...print.matchAll(/<section class="print-chapter" id="([^"]+)"/g)].map((match) => match[1])
    expect(sections).toEqual(['print-intro', 'print-front-terms', 'print-lang-values', 'print-lang-moves'])
    // A rule anchor stays; a heading's takes its chapter's prefix; links between chapters stay on the page.
    expect(print).toContain('<div class="rule" id="r-values.copy">')
    expect(print).toContain('id="print-lang-values--a-long-line"')
    expect(print).toContain('<a href="#r-values.copy" class="rule-link" data-rule="values.copy">values</a>')
    expect(print).toContain('<a href="#print-lang-moves">chapter on moves</a>')
    // A nonterminal defined in another chapter: its page links there, print.html within itself.
    expect(await read('lang/moves.html')).toContain('<a class="grammar-nonterminal" href="values.html#grammar-ValueExpression">ValueExpression</a>')
    expect(print).toContain('<a class="grammar-nonterminal" href="#grammar-ValueExpression">ValueExpression</a>')
    expect(print).not.toContain('values.html#grammar-')
  })
})

describe.skipIf(!hasChromium)('the built site, in Chromium (skipped without /usr/bin/chromium)', () => {
  async function open(page: string, options: { width?: number; scheme?: 'light' | 'dark' } = {}): Promise<Page> {
    const tab = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 800 }, colorScheme: options.scheme ?? 'light' })
    await tab.goto(new URL(page, site.url).href)
    return tab
  }

  test('search finds a word and a rule ID prefix, highlights what it found, and opens at the rule', async () => {
    const tab = await open('index.html')
    await tab.keyboard.press('/')
    await tab.keyboard.type('zebra')
    const first = tab.locator('#search-results li[role="option"]').first()
    await first.waitFor()
    expect(await first.locator('.result-title').textContent()).toBe('moves.out')
    expect(await first.locator('.result-place').textContent()).toBe('3. Moves › Moving out')
    expect(await first.locator('mark').first().textContent()).toBe('zebra')
    await tab.screenshot({ path: path.join(artifacts, 'search.png') })
    await tab.keyboard.press('Enter')
    await tab.waitForURL(/lang\/moves\.html#r-moves\.out$/)
    expect(await tab.evaluate(() => document.querySelector(':target')?.id)).toBe('r-moves.out')

    await tab.fill('#search-input', 'values.co')
    const byId = tab.locator('#search-results li[role="option"]').first()
    await byId.locator('code.result-title', { hasText: 'values.copy' }).waitFor()
    expect(await byId.getAttribute('id')).toBe('search-result-0')
  })

  test('a permalink rules.html#ID opens the rule where it is now, after it moved; a removed one says so', async () => {
    // `values.copy` moves to the moves chapter, `moves.out` goes: the old rules.json is the baseline.
    const book = path.join(work, 'book')
    const baseline = path.join(work, 'baseline-rules.json')
    await cp(path.join(work, 'out/rules.json'), baseline)
    const values = await readFile(path.join(book, 'lang/values.md'), 'utf8')
    const moves = await readFile(path.join(book, 'lang/moves.md'), 'utf8')
    const copyRule = 'r[values.copy]\nA value whose type implements `Copy` is copied, not moved, when it is used; see [moves.after].\n'
    await writeFile(path.join(book, 'lang/values.md'), values.replace(copyRule, ''))
    await writeFile(path.join(book, 'lang/moves.md'), moves.replace(/\n## Moving out[\s\S]*$/, '\n') + '\n' + copyRule)
    try {
      expect((await build({ config: config(), baseline })).written).toBe(true)
      const tab = await open('rules.html#values.copy')
      await tab.waitForURL(/lang\/moves\.html#r-values\.copy$/)
      const removed = await open('rules.html#moves.out')
      expect(await removed.evaluate(() => document.querySelector(':target')?.textContent)).toContain('Removed: this rule was in')
    } finally {
      await writeFile(path.join(book, 'lang/values.md'), values)
      await writeFile(path.join(book, 'lang/moves.md'), moves)
      expect((await build({ config: config() })).written).toBe(true)
    }
  })

  test('the theme follows the system, and a chosen one is remembered across pages and reloads', async () => {
    const tab = await open('lang/values.html', { scheme: 'dark' })
    const background = () => tab.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(await background()).toBe('rgb(13, 17, 23)')
    await tab.screenshot({ path: path.join(artifacts, 'chapter-dark.png') })
    await tab.click('button.theme-toggle')
    expect(await background()).toBe('rgb(255, 255, 255)')
    await tab.reload()
    expect(await tab.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
    expect(await background()).toBe('rgb(255, 255, 255)')
    await tab.screenshot({ path: path.join(artifacts, 'chapter-light.png') })
    await tab.keyboard.press('ArrowRight')
    await tab.waitForURL(/lang\/moves\.html$/)
  })

  test('at 375 px nothing scrolls sideways, and the contents open from a button, without scripts too', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled })
      const tab = await context.newPage()
      await tab.goto(new URL('lang/values.html', site.url).href)
      expect(await tab.evaluate(() => document.documentElement.scrollWidth), `scripts ${javaScriptEnabled}`).toBeLessThanOrEqual(375)
      expect(await tab.locator('.sidebar').isVisible()).toBe(false)
      await tab.click('label.toc-toggle-label')
      expect(await tab.locator('.sidebar').isVisible()).toBe(true)
      // Without scripts the buttons that need them are not shown.
      expect(await tab.locator('.code-copy').first().isVisible()).toBe(javaScriptEnabled)
      if (javaScriptEnabled) await tab.screenshot({ path: path.join(artifacts, 'chapter-375px.png'), fullPage: false })
      await context.close()
    }
  })

  test('axe finds no serious or critical problem on the index, a chapter with its railroad diagrams open, the rules page, the glossary and the grammar page', async () => {
    const axe = await readFile(path.resolve(import.meta.dirname ?? '.', '../../../node_modules/axe-core/axe.min.js'), 'utf8')
    for (const page of ['index.html', 'lang/values.html', 'rules.html', 'glossary.html', 'grammar.html']) {
      const tab = await open(page)
      if (page === 'index.html') await tab.screenshot({ path: path.join(artifacts, 'index.png') })
      if (page === 'lang/values.html') {
        await tab.locator('details.grammar-diagrams summary').click()
        await tab.locator('.grammar').screenshot({ path: path.join(artifacts, 'grammar-block.png') })
      }
      await tab.addScriptTag({ content: axe })
      const violations = await tab.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run()
        return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.length }))
      })
      expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'), page).toEqual([])
      await tab.close()
    }
  })

  test('ferrule pdf prints the whole book, with a table of contents and page numbers', async () => {
    const out = path.join(work, 'out/print.pdf')
    const result = await renderPdf({ config: config(), out })
    expect(result.file).toBe(out)
    const pdf = await readFile(out)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    // The first page, as a picture, for a reviewer (pdftoppm from Debian's poppler-utils, where it is).
    const pdftoppm = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' })
    if (pdftoppm.error === undefined) {
      spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', out, path.join(artifacts, 'pdf-page-1')])
      expect(existsSync(path.join(artifacts, 'pdf-page-1.png'))).toBe(true)
    }
  })
})

describe('ferrule pdf without Chromium', () => {
  test('says where it looked and how to get it', async () => {
    const before = process.env.FERRULE_CHROMIUM
    process.env.FERRULE_CHROMIUM = path.join(tmpdir(), 'no-chromium-here')
    try {
      await expect(renderPdf({ config: config(), out: path.join(work, 'out/never.pdf') })).rejects.toThrow(/ferrule pdf needs Chromium at `.*no-chromium-here`: install Debian's `chromium` \(apt-get install -y chromium\), or set FERRULE_CHROMIUM/)
    } finally {
      if (before === undefined) delete process.env.FERRULE_CHROMIUM
      else process.env.FERRULE_CHROMIUM = before
    }
  })
})
