import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { build } from '../../../tools/ferrule/build.ts'
import { loadUserConfig, resolveConfig } from '../../../tools/ferrule/config.ts'
import { startDevServer, type DevServer } from '../../../tools/ferrule/dev/server.ts'
import type { Rebuild } from '../../../tools/ferrule/dev/session.ts'
import { hasChromium, launchChromium } from '../../helpers/browser.ts'
import { fixturesRoot } from '../../helpers/fixtures.ts'

let work: string
let server: DevServer
let logs: string[]

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-dev-'))
  await cp(path.join(fixturesRoot, 'books/basic'), path.join(work, 'book'), { recursive: true })
  await cp(path.join(fixturesRoot, '../../theme'), path.join(work, 'theme'), { recursive: true })
  logs = []
  const config = resolveConfig(work, { root: 'book', theme: 'theme', title: 'Test book' })
  server = await startDevServer({ config, port: 0, log: (line) => logs.push(line) })
})

afterEach(async () => {
  await server.close()
  await rm(work, { recursive: true, force: true })
})

const file = (relative: string) => path.join(work, 'book', relative)
const edit = async (relative: string, from: string, to: string) => {
  const text = await readFile(file(relative), 'utf8')
  if (!text.includes(from)) throw new Error(`No \`${from}\` in ${relative}`)
  await writeFile(file(relative), text.replace(from, to))
}
/**
 * Do `change`, then wait until the server has rebuilt after it (file events take a moment to come),
 * and, when `done` is given, until a rebuild satisfies it: chokidar holds a deletion back for 100 ms in
 * case the file comes back (an editor's atomic save), so a rename may take two rebuilds.
 */
const rebuiltAfter = async (change: () => Promise<unknown>, done: (rebuild: Rebuild) => boolean = () => true) => {
  const before = server.rebuilds.at(-1)?.build ?? 1
  await change()
  const until = Date.now() + 10_000
  while ((server.rebuilds.at(-1)?.build ?? 1) <= before || !done(server.rebuilds.at(-1)!)) {
    if (Date.now() > until) throw new Error(`No rebuild within 10 s of the change; the server said:\n${logs.join('\n')}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  await server.settled()
  return server.rebuilds.at(-1)!
}
const get = async (page: string) => {
  const response = await fetch(new URL(page, server.url))
  return { status: response.status, text: await response.text() }
}

describe('ferrule dev, over HTTP', () => {
  test('serves on 127.0.0.1 the pages a build makes, with the dev client, and the book’s files', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await get('lang/values.html')
    expect(page.status).toBe(200)
    expect(page.text).toContain('<div class="rule" id="r-values.copy">')
    expect(page.text).toContain('<script type="module" src="/@ferrule/dev-client"></script>')
    expect((await get('theme/ferrule.css')).text).toContain('--bg:')
    expect((await get('img/diagram.svg')).text).toContain('<svg')
    expect((await get('index.html')).text).toContain('Test book')
    expect((await get('no/such.html')).status).toBe(404)
    expect(logs[0]).toBe(`serving Test book at ${server.url}`)
  })

  test('a burst of saves is one rebuild, of the edited chapter only, logged in one line', async () => {
    // Settled over 100 ms, so that a busy machine's pauses between the writes stay within it.
    await server.close()
    server = await startDevServer({ config: resolveConfig(work, { root: 'book', theme: 'theme', title: 'Test book' }), port: 0, settleMs: 100, log: (line) => logs.push(line) })
    await rebuiltAfter(async () => {
      for (let n = 0; n < 5; n++) await writeFile(file('lib/boxes.md'), `# Boxes\n\nr[boxes.drop]\nDropping a box, take ${n}, as [values] describes.\n`)
    })
    expect(server.rebuilds).toHaveLength(1)
    expect(server.rebuilds[0]).toMatchObject({ changed: ['lib/boxes.md'], rendered: ['lib/boxes.md'], pages: ['lib/boxes.html', 'rules.html'], navigation: false })
    expect((await get('lib/boxes.html')).text).toContain('Dropping a box, take 4, as')
    expect(logs.at(-1)).toMatch(/^\d\d:\d\d:\d\d lib\/boxes\.md: rendered lib\/boxes\.md in \d+ ms$/)
  })

  test('moving a rule re-renders the chapters that link to it and those it links to, and only them', async () => {
    // `values.copy` moves from values.md to boxes.md: intro.md links to it, and it links to moves.md,
    // whose rule lists it under "Referenced by".
    const rebuild = await rebuiltAfter(async () => {
      await edit('lang/values.md', "r[values.copy]\nA value whose type implements `Copy` is copied, not moved, when it is used; see [moves.after].\n", '')
      await writeFile(file('lib/boxes.md'), (await readFile(file('lib/boxes.md'), 'utf8')) + '\nr[values.copy]\nCopied, now here; see [moves.after].\n')
    })
    expect(rebuild.rendered).toEqual(['intro.md', 'lang/values.md', 'lang/moves.md', 'lib/boxes.md'])
    expect((await get('intro.html')).text).toContain('href="lib/boxes.html#r-values.copy"')
  })

  test('errors are reported where they are, the chapter still renders, and a fix clears them', async () => {
    const broken = await rebuiltAfter(() => edit('lib/boxes.md', 'as [values] describes', 'as [values.nope] describes'))
    expect(broken.diagnostics).toEqual([
      expect.objectContaining({ file: 'book/lib/boxes.md', line: 4, column: 69, severity: 'error', rule: 'ferrule:unknown-rule', href: 'lib/boxes.html#r-boxes.drop' }),
    ])
    expect(broken.diagnostics[0]!.hint).toBe('Did you mean `values.copy` or `values`?')
    expect(logs.join('\n')).toContain('book/lib/boxes.md\n4:69-4:82 error Unknown rule ID `values.nope` in a rule link')
    expect((await get('lib/boxes.html')).text).toContain('as [values.nope] describes')
    const since = logs.length
    const fixed = await rebuiltAfter(() => edit('lib/boxes.md', 'as [values.nope] describes', 'as [values] describes'))
    expect(fixed.diagnostics).toEqual([])
    // A save may reach the server as two file events (the file emptied, then written) on a busy
    // machine; the second rebuild then renders nothing and reports nothing.
    expect(logs.slice(since)).toContain('no problems left')
    expect(logs.slice(since).filter((line) => line.includes('error'))).toEqual([])
  })

  test('a production added in one chapter is linked at once from prose in another; an undefined nonterminal shows where it is', async () => {
    await rebuiltAfter(() => edit('intro.md', 'This small book', 'This small book, whose [BoxExpression] comes later,'))
    expect((await get('intro.html')).text).toContain('whose [BoxExpression] comes later')
    const grammar = '\n```grammar,expressions\n@root BoxExpression -> `box` Operand\n\nOperand -> `x` | BoxExpression\n```\n'
    const added = await rebuiltAfter(async () => writeFile(file('lib/boxes.md'), (await readFile(file('lib/boxes.md'), 'utf8')) + grammar))
    expect(added.rendered).toEqual(['intro.md', 'lib/boxes.md'])
    expect(added.pages).toContain('grammar.html')
    expect((await get('intro.html')).text).toContain('<a href="lib/boxes.html#grammar-BoxExpression" class="rule-link grammar-link" data-rule="grammar.BoxExpression">BoxExpression</a>')
    expect((await get('lib/boxes.html')).text).toContain('id="grammar-Operand"')
    expect((await get('grammar.html')).text).toContain('id="grammar-BoxExpression"')
    const broken = await rebuiltAfter(() => edit('lib/boxes.md', '`box` Operand', '`box` Operandd'))
    // Operand, no longer used, is also no longer reachable from the root.
    expect(broken.diagnostics).toEqual([
      expect.objectContaining({ file: 'book/lib/boxes.md', line: 7, column: 30, severity: 'error', rule: 'ferrule:undefined-nonterminal', hint: 'Did you mean `Operand`?' }),
      expect.objectContaining({ file: 'book/lib/boxes.md', line: 9, column: 1, severity: 'warning', rule: 'ferrule:unreachable-production' }),
    ])
  })

  test('chapters added, renamed, deleted and briefly empty are followed; the server lives on', async () => {
    const added = await rebuiltAfter(async () => {
      await writeFile(file('lib/cells.md'), '# Cells\n\nr[cells]\nA cell.\n')
      await edit('SUMMARY.md', '- [Boxes](lib/boxes.md)', '- [Boxes](lib/boxes.md)\n- [Cells](lib/cells.md)')
    })
    expect(added.navigation).toBe(true)
    expect((await get('lib/boxes.html')).text).toContain('href="cells.html"')
    // Renamed without the outline: an error (missing chapter) and a warning (unlisted file).
    const missing = (rebuild: Rebuild) => rebuild.diagnostics.some((diagnostic) => diagnostic.rule === 'ferrule:missing-chapter')
    const renamed = await rebuiltAfter(() => rename(file('lib/cells.md'), file('lib/cell.md')), missing)
    expect(renamed.diagnostics.map((diagnostic) => diagnostic.rule)).toEqual(['ferrule:missing-chapter', 'ferrule:unlisted-chapter'])
    expect((await get('lib/cells.html')).status).toBe(404)
    // Half-written, then whole.
    const boxes = (rebuild: Rebuild) => rebuild.changed.includes('lib/boxes.md')
    await rebuiltAfter(() => writeFile(file('lib/boxes.md'), ''), boxes)
    expect((await get('lib/boxes.html')).status).toBe(200)
    await rebuiltAfter(() => writeFile(file('lib/boxes.md'), '# Boxes\n\nr[boxes.drop]\nBack'), (rebuild) => boxes(rebuild) && rebuild.rendered.includes('lib/boxes.md'))
    expect((await get('lib/boxes.html')).text).toContain('Back')
    await rebuiltAfter(() => rm(file('lib/boxes.md')), (rebuild) => rebuild.diagnostics.some((diagnostic) => diagnostic.reason === 'Chapter `lib/boxes.md` is in the outline but its file is missing'))
    expect((await get('lib/boxes.html')).status).toBe(404)
  })

  test('the pages are those ferrule build writes, but for the dev client', async () => {
    const out = path.join(work, 'out')
    const config = resolveConfig(work, { root: 'book', theme: 'theme', title: 'Test book', outDir: 'out' })
    expect((await build({ config })).written).toBe(true)
    const pages = (await readdir(path.join(out, 'site'), { recursive: true })).filter((name) => name.endsWith('.html') || name.endsWith('.css') || name.endsWith('.js'))
    expect(pages.length).toBeGreaterThan(5)
    for (const page of pages) {
      const served = (await get(page)).text.replace(/<script type="application\/json" id="ferrule-dev-state">.*<\/script>\n<script type="module" src="\/@vite\/client"><\/script>\n<script type="module" src="\/@ferrule\/dev-client"><\/script>\n/, '')
      expect(served, page).toBe(await readFile(path.join(out, 'site', page), 'utf8'))
    }
  })

  test('a rebuild that cannot read a file keeps the last pages and says why; the next good one takes over', async () => {
    const css = path.join(work, 'theme/ferrule.css')
    const text = await readFile(css, 'utf8')
    await rm(css)
    const until = Date.now() + 10_000
    while (!logs.some((line) => line.startsWith('cannot rebuild: ENOENT'))) {
      if (Date.now() > until) throw new Error(`No failed rebuild; the server said:\n${logs.join('\n')}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(logs.find((line) => line.startsWith('cannot rebuild'))).toMatch(/ferrule\.css.*; the last good pages stay$/)
    expect((await get('theme/ferrule.css')).text).toBe(text)
    const rebuild = await rebuiltAfter(() => writeFile(css, `${text}\n/* back */\n`))
    expect(rebuild.reload).toBe(true)
    expect((await get('theme/ferrule.css')).text).toContain('/* back */')
  })

  test('waivers are checked against the rules as the book changes', async () => {
    const rebuild = await rebuiltAfter(() => writeFile(file('waivers.yaml'), '- rule: values.gone\n  reason: reviewed\n  reviewer: A. Reviewer\n  date: 2026-11-30\n'))
    expect(rebuild.diagnostics).toEqual([expect.objectContaining({ file: 'book/waivers.yaml', line: 1, rule: 'ferrule:unknown-rule-in-waiver' })])
  })
})

describe('ferrule dev, configuration', () => {
  test('a change of the configuration file restarts the preview with it', async () => {
    await server.close()
    const configFile = path.join(work, 'ferrule.config.mjs')
    const write = (title: string) => writeFile(configFile, `export default { root: 'book', theme: 'theme', title: ${JSON.stringify(title)} }\n`)
    await write('First title')
    const load = async () => resolveConfig(work, await loadUserConfig(work, configFile, { fresh: true }))
    server = await startDevServer({ config: await load(), configFile, reloadConfig: load, port: 0, log: (line) => logs.push(line) })
    expect((await get('index.html')).text).toContain('<title>First title</title>')
    await write('Second title')
    const until = Date.now() + 10_000
    while (!(await get('index.html')).text.includes('<title>Second title</title>')) {
      if (Date.now() > until) throw new Error(`The title did not change; the server said:\n${logs.join('\n')}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(logs.at(-1)).toMatch(/configuration changed: restarted in \d+ ms$/)
  })
})

describe.skipIf(!hasChromium)('ferrule dev, in Chromium (skipped without /usr/bin/chromium)', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** Open `page`, marked so that a reload would show (the mark would be gone). */
  async function open(page: string): Promise<Page> {
    const tab = await browser.newPage()
    await tab.goto(new URL(page, server.url).href)
    // Edits reach the page: the server answered its hello over the channel.
    await tab.locator('html[data-ferrule-live]').waitFor({ state: 'attached' })
    await tab.evaluate(() => ((window as unknown as { ferruleMark: string }).ferruleMark = 'not reloaded'))
    return tab
  }
  const mark = (tab: Page) => tab.evaluate(() => (window as unknown as { ferruleMark?: string }).ferruleMark)

  test('an edit shows in the open page without a reload; a broken rule link shows in the overlay until fixed', async () => {
    const tab = await open('lib/boxes.html')
    await edit('lib/boxes.md', 'drops the `T`', 'drops the contents')
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('drops the contents'))
    expect(await mark(tab)).toBe('not reloaded')

    await edit('lib/boxes.md', 'as [values] describes', 'as [values.nope] describes')
    const overlay = tab.locator('#ferrule-dev-overlay')
    await overlay.waitFor()
    expect(await overlay.textContent()).toContain('book/lib/boxes.md:4:74 error: Unknown rule ID `values.nope` in a rule link ferrule:unknown-rule')
    expect(await overlay.locator('a.place').getAttribute('href')).toBe('/lib/boxes.html#r-boxes.drop')
    await edit('lib/boxes.md', 'as [values.nope] describes', 'as [values] describes')
    await overlay.waitFor({ state: 'detached' })
    expect(await mark(tab)).toBe('not reloaded')
  })

  test('a page whose channel opens only after an edit catches up with it', async () => {
    const tab = await browser.newPage()
    // Vite's client, which opens the channel, comes only once the edit is rebuilt.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await tab.route('**/@vite/client', async (route) => {
      await held
      await route.continue()
    })
    // Not waiting for the page's scripts: they wait for Vite's client.
    await tab.goto(new URL('lib/boxes.html', server.url).href, { waitUntil: 'commit' })
    await tab.locator('main').waitFor({ state: 'attached' })
    await rebuiltAfter(() => edit('lib/boxes.md', 'drops the `T`', 'drops it late'))
    release()
    await tab.locator('html[data-ferrule-live]').waitFor({ state: 'attached' })
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('drops it late'))
  })

  test('a page opened while the book has errors shows them at once, and follows edits; the same errors leave the overlay as it was', async () => {
    await rebuiltAfter(() => edit('lib/boxes.md', 'as [values] describes', 'as [values.nope] describes'))
    const errors: string[] = []
    const tab = await browser.newPage()
    tab.on('pageerror', (error) => errors.push(error.message))
    await tab.goto(new URL('lang/values.html', server.url).href)
    const overlay = tab.locator('#ferrule-dev-overlay')
    await overlay.waitFor()
    expect(await overlay.textContent()).toContain('book/lib/boxes.md:4:69 error: Unknown rule ID `values.nope`')
    await tab.evaluate(() => ((window as unknown as { ferruleMark: string }).ferruleMark = 'not reloaded'))
    // The overlay's list, marked: made again, it would lose the mark (and where the reader had scrolled it).
    await tab.evaluate(() => ((document.querySelector('#ferrule-dev-overlay ol') as unknown as { ferruleMark: string }).ferruleMark = 'kept'))
    await edit('lang/values.md', 'A value is a sequence', 'A value is a string')
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('A value is a string'))
    expect(await mark(tab)).toBe('not reloaded')
    expect(await tab.evaluate(() => (document.querySelector('#ferrule-dev-overlay ol') as unknown as { ferruleMark?: string } | null)?.ferruleMark)).toBe('kept')
    expect(errors).toEqual([])
  })

  test('a chapter added to SUMMARY.md appears in the sidebar; a theme change reloads the page', async () => {
    const tab = await open('lang/values.html')
    await writeFile(file('lib/cells.md'), '# Cells\n\nr[cells]\nA cell.\n')
    await edit('SUMMARY.md', '- [Boxes](lib/boxes.md)', '- [Boxes](lib/boxes.md)\n- [Cells](lib/cells.md)')
    await tab.locator('.sidebar a', { hasText: 'Cells' }).waitFor()
    expect(await tab.locator('.sidebar a', { hasText: 'Cells' }).getAttribute('href')).toBe('../lib/cells.html')
    expect(await mark(tab)).toBe('not reloaded')

    await writeFile(path.join(work, 'theme/ferrule.css'), (await readFile(path.join(work, 'theme/ferrule.css'), 'utf8')) + '\nbody { outline: 1px solid red; }\n')
    await tab.waitForFunction(() => (window as unknown as { ferruleMark?: string }).ferruleMark === undefined)
    await tab.waitForLoadState()
    expect(await tab.evaluate(() => getComputedStyle(document.body).outlineStyle)).toBe('solid')
  })

  test('an edit between two rules swaps in only what changed; the page is then as if loaded afresh', async () => {
    const rules = Array.from({ length: 8 }, (_, n) => `r[boxes.r${n}]\nRule ${n} of the boxes.\n`).join('\n')
    await rebuiltAfter(() => writeFile(file('lib/boxes.md'), `# Boxes\n\n${rules}`))
    const tab = await open('lib/boxes.html')
    // Marks on nodes the edit leaves, and a count of whole pages parsed (what a patch saves).
    await tab.evaluate(() => {
      for (const id of ['r-boxes.r1', 'r-boxes.r6']) (document.getElementById(id) as unknown as { kept: boolean }).kept = true
      const state = window as unknown as { pagesParsed: number }
      state.pagesParsed = 0
      const parse = DOMParser.prototype.parseFromString
      DOMParser.prototype.parseFromString = function (this: DOMParser, ...args: Parameters<DOMParser['parseFromString']>) {
        state.pagesParsed++
        return parse.apply(this, args)
      } as DOMParser['parseFromString']
    })
    const pagesParsed = () => tab.evaluate(() => (window as unknown as { pagesParsed: number }).pagesParsed)
    await edit('lib/boxes.md', 'Rule 3 of', 'Rule three of')
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Rule three of'))
    await edit('lib/boxes.md', 'Rule 4 of', 'Rule four of')
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Rule four of'))
    expect(await tab.evaluate(() => ['r-boxes.r1', 'r-boxes.r6'].map((id) => (document.getElementById(id) as unknown as { kept?: boolean }).kept))).toEqual([true, true])
    expect(server.rebuilds.at(-1)!.patches['lib/boxes.html']).toMatchObject({ after: 'r-boxes.r3', before: 'r-boxes.r5' })
    expect(await pagesParsed()).toBe(0)
    const fresh = await browser.newPage()
    await fresh.goto(new URL('lib/boxes.html', server.url).href)
    const main = (page: Page) => page.evaluate(() => document.querySelector('main')!.innerHTML)
    expect(await main(tab)).toBe(await main(fresh))
    expect(await mark(tab)).toBe('not reloaded')

    // A heading edit has no element before it to hold on to: the page takes the new page whole.
    await edit('lib/boxes.md', '# Boxes', '# Boxes, edited')
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Boxes, edited'))
    expect(await pagesParsed()).toBe(1)
    await fresh.reload()
    expect(await main(tab)).toBe(await main(fresh))
    expect(await mark(tab)).toBe('not reloaded')
  })

  test('the reader keeps their place: the rule at the top of the window stays where it was', async () => {
    // A chapter long enough to scroll, with rules all the way down.
    const rules = Array.from({ length: 60 }, (_, n) => `r[boxes.r${n}]\nRule ${n} of the boxes.\n`).join('\n')
    await rebuiltAfter(() => writeFile(file('lib/boxes.md'), `# Boxes\n\nr[boxes.drop]\nDropping.\n\n${rules}`))
    const tab = await open('lib/boxes.html')
    await tab.setViewportSize({ width: 900, height: 500 })
    await tab.evaluate(() => document.getElementById('r-boxes.r30')!.scrollIntoView())
    const before = await tab.evaluate(() => document.getElementById('r-boxes.r30')!.getBoundingClientRect().top)
    // Text added above it pushes it down the page, but not in the window.
    await writeFile(file('lib/boxes.md'), `# Boxes\n\nr[boxes.drop]\nDropping.\n\n${'More text above.\n\n'.repeat(20)}${rules.replace('Rule 2 of', 'Rule two of')}`)
    await tab.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Rule two of'))
    const after = await tab.evaluate(() => document.getElementById('r-boxes.r30')!.getBoundingClientRect().top)
    expect(Math.abs(after - before)).toBeLessThan(2)
    expect(await mark(tab)).toBe('not reloaded')
  })
})
