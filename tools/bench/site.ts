import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { preview } from 'vite'
import { writeCorpus } from './corpus.ts'
import { label, measure, repository } from './measure.ts'

/** The reader's site issue's targets: bytes a first query fetches, on the 3,000-rule corpus; CSS and JS a page loads. */
const targetKb = 300
const weightTargetKb = 60

const chromiumPath = process.env.FERRULE_CHROMIUM ?? '/usr/bin/chromium'

/**
 * The site's search, in `work`:
 *
 * 1. Generate the 3,000-rule corpus and build it (search index included) in a fresh process; print
 *    the weight of its largest chapter's page: HTML, and the CSS and JS it loads.
 * 2. Serve the site statically and open a chapter in headless Chromium.
 * 3. Type a word, then (in a fresh page) a rule ID prefix; for each, add up the bytes of every
 *    response the search fetched (its script, WebAssembly, index chunks, fragments, ID shards) until
 *    the first results show, and print them against the target.
 */
export async function benchSite(work: string): Promise<void> {
  // 1.
  const corpus = path.join(work, 'site-corpus')
  const out = path.join(work, 'site-out')
  const stats = await writeCorpus(corpus)
  const built = await measure([path.join(repository, 'bin/ferrule.js'), 'build', '--root', corpus, '--out', out, '--quiet'])
  console.log(`site: the corpus (${stats.chapters} chapters, ${stats.rules} rules) built with its search index in ${built.seconds.toFixed(2)} s`)
  // The weight of the largest chapter's page: its HTML, and the CSS and JS it loads (the search's
  // scripts load only when a reader searches, and are counted above).
  const pages = (await readdir(path.join(out, 'site'), { recursive: true })).filter((name) => name.endsWith('.html') && !/^(index|rules|glossary|print)\.html$/.test(name))
  const sizes = await Promise.all(pages.map(async (name) => ({ name, bytes: (await stat(path.join(out, 'site', name))).size })))
  const largest = sizes.sort((a, b) => b.bytes - a.bytes)[0]!
  const html = await readFile(path.join(out, 'site', largest.name), 'utf8')
  const inline = [...html.matchAll(/<(script|style)(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/\1>/g)].reduce((sum, match) => sum + Buffer.byteLength(match[2]!), 0)
  const assets = (await Promise.all(['theme/ferrule.css', 'theme/ferrule.js'].map(async (file) => (await stat(path.join(out, 'site', file))).size))).reduce((a, b) => a + b, 0)
  const weight = (assets + inline) / 1024
  console.log(
    `${label('largest chapter page')} ${largest.name}: HTML ${(largest.bytes / 1024).toFixed(0)} KB, CSS+JS ${weight.toFixed(1)} KB ` +
      `(theme files and inline; target < ${weightTargetKb} KB: ${weight < weightTargetKb ? 'met' : 'NOT met'})`,
  )

  // 2.
  const server = await preview({ configFile: false, root: path.join(out, 'site'), build: { outDir: '.' }, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' })
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const url = server.resolvedUrls!.local[0]!
    // 3.
    const firstQuery = async (query: string) => {
      const page = await browser.newPage()
      await page.goto(new URL('part-2/chapter-3.html', url).href)
      let bytes = 0
      const files: string[] = []
      page.on('response', async (response) => {
        if (!/\/(pagefind|search)\//.test(response.url())) return
        const body = await response.body().catch(() => Buffer.alloc(0))
        bytes += body.length
        files.push(response.url())
      })
      await page.keyboard.press('/')
      await page.keyboard.type(query)
      await page.locator('#search-results li[role="option"]').first().waitFor()
      await page.waitForLoadState('networkidle')
      const first = await page.locator('#search-results li[role="option"] .result-title').first().textContent()
      await page.close()
      return { bytes, files: files.length, first }
    }
    for (const [name, query] of [['first query, a word', 'provenance'], ['first query, an ID prefix', 'p3.c2.s1.r1']] as const) {
      const result = await firstQuery(query)
      const kb = result.bytes / 1024
      console.log(
        `${label(name)} ${kb.toFixed(0)} KB in ${result.files} files for \`${query}\`, first result ${result.first} ` +
          `(target < ${targetKb} KB: ${kb < targetKb ? 'met' : 'NOT met'})`,
      )
    }
  } finally {
    await browser.close()
    await server.close()
  }
}
