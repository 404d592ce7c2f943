import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { writeCorpus, writeLargeChapter } from './corpus.ts'
import { label, median, repository } from './measure.ts'

/** The live preview issue's targets, in ms (p95 of edit to DOM). */
const targets = { proseMs: 100, ruleMs: 300, memoryGrowth: 0.1 }

const chromiumPath = process.env.FERRULE_CHROMIUM ?? '/usr/bin/chromium'
const edits = 20

/**
 * The live preview's figures, in `work`:
 *
 * 1. Generate the 3,000-rule corpus plus one large chapter (75 KB, 60 Rust blocks), and in three
 *    other chapters links to rules that do not exist yet (`bench.added.N`).
 * 2. Start `ferrule dev` on it in a fresh process; time until the first chapter page is served.
 * 3. Open a chapter in headless Chromium. For 20 edits each: time from writing the chapter file to
 *    the edited text in the page's DOM (a MutationObserver in the page takes the time), for an edit
 *    of a rule's prose, for an edit that adds a rule the three other chapters link to, and for a
 *    prose edit of the large chapter; p50 and p95.
 * 4. Make 200 more prose edits; compare the server's heap after a full GC (and its resident memory)
 *    after them with after the first edits (growth beyond 10 % would be a leak).
 */
export async function benchDev(work: string): Promise<void> {
  // 1.
  const corpus = path.join(work, 'dev-corpus')
  const stats = await writeCorpus(corpus)
  const large = await writeLargeChapter(corpus, 'large/reference.md')
  const chapter = 'part-2/chapter-3.md'
  const linking = ['part-0/chapter-1.md', 'part-4/chapter-2.md', 'part-5/chapter-4/section-1.md']
  for (const other of linking) {
    const file = path.join(corpus, other)
    const links = Array.from({ length: edits }, (_, n) => `[bench.added.${n}]`).join(', ')
    await writeFile(file, `${await readFile(file, 'utf8')}\nRules still to be written: ${links}.\n`)
  }
  console.log(
    `live preview: the corpus (${stats.chapters} chapters, ${stats.rules} rules) and a large chapter of ${(large.bytes / 1000).toFixed(0)} KB with 60 Rust blocks; ` +
      `Chromium ${chromiumPath}`,
  )

  // 2.
  const started = performance.now()
  // Saying its heap after a full GC when sent SIGUSR2, for the memory figure.
  const server = spawn(process.execPath, ['--expose-gc', path.join(repository, 'bin/ferrule.js'), 'dev', '--root', corpus, '--port', '0'], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEBUG: 'ferrule:dev:memory' },
  })
  let stderr = ''
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk))
  // Not left serving when the bench itself dies (a closed pipe, an uncaught error).
  const stop = () => server.kill('SIGINT')
  process.once('exit', stop)
  try {
    const url = await serverUrl(server)
    const first = await fetch(new URL(chapter.replace(/\.md$/, '.html'), url))
    if (first.status !== 200) throw new Error(`ferrule dev served ${first.status} for the first page`)
    await first.text()
    const coldSeconds = (performance.now() - started) / 1000
    console.log(`${label('cold start to first page')} ${coldSeconds.toFixed(2)} s`)

    // 3.
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await browser.newPage()
      const timeEdits = async (relative: string, count: number, change: (text: string, n: number) => { text: string; token: string }) => {
        await page.goto(new URL(relative.replace(/\.md$/, '.html'), url).href)
        // Timed from when edits reach the page: its channel to the server is open.
        await page.locator('html[data-ferrule-live]').waitFor({ state: 'attached' })
        await page.evaluate(() => ((window as unknown as { benchMark: boolean }).benchMark = true))
        const file = path.join(corpus, relative)
        let text = await readFile(file, 'utf8')
        const times: number[] = []
        for (let n = 0; n < count; n++) {
          const next = change(text, n)
          text = next.text
          times.push(await editToDom(page, file, text, next.token))
        }
        if (!(await page.evaluate(() => (window as unknown as { benchMark?: boolean }).benchMark))) throw new Error('The page reloaded during the edits')
        return times
      }
      const prose = (text: string, n: number) => {
        const token = `benchprose${n}x`
        return { text: text.replace(/(\nr\[[^\]]+\]\n)(\S+)/, `$1${token}`), token }
      }
      // Adds `bench.added.N`, which three other chapters link to: they are linked and rendered again.
      const addRule = (text: string, n: number) => {
        const token = `benchrule${n}x`
        return { text: `${text}\nr[bench.added.${n}]\nAn added rule, ${token}.\n`, token }
      }
      const report = (name: string, times: number[], target: number | undefined) => {
        const p95 = percentile(times, 0.95)
        const verdict = target === undefined ? '' : ` (target p95 < ${target} ms: ${p95 < target ? 'met' : 'NOT met'})`
        console.log(`${label(name)} p50 ${median(times).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${times.length} edits${verdict}; in order: ${times.map((ms) => ms.toFixed(0)).join(' ')}`)
      }
      report('edit to DOM, prose', await timeEdits(chapter, edits, prose), targets.proseMs)
      report('edit to DOM, rule added', await timeEdits(chapter, edits, addRule), targets.ruleMs)
      report('edit to DOM, large chapter', await timeEdits('large/reference.md', edits, prose), targets.proseMs)

      // 4.
      const before = { rss: rssMb(server), heap: await heapMb(server, () => stderr) }
      await timeEdits(chapter, 200, prose)
      const after = { rss: rssMb(server), heap: await heapMb(server, () => stderr) }
      const growth = after.heap / before.heap - 1
      console.log(
        `${label('server memory, 200 edits')} heap after GC ${before.heap.toFixed(0)} MB after the first ${edits * 3}, ${after.heap.toFixed(0)} MB after 200 more: ` +
          `${(growth * 100).toFixed(1)} % (target <= ${targets.memoryGrowth * 100} %: ${growth <= targets.memoryGrowth ? 'met' : 'NOT met'}); ` +
          `resident ${before.rss.toFixed(0)} MB, then ${after.rss.toFixed(0)} MB (${((after.rss / before.rss - 1) * 100).toFixed(1)} %, with what V8 has not given back)`,
      )
    } finally {
      await browser.close()
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}\nferrule dev said:\n${stderr}`)
  } finally {
    process.off('exit', stop)
    stop()
    await new Promise((resolve) => server.once('exit', resolve))
  }
}

/** Write `text` to `file` and time until `token` is in the page's `<main>`, in ms. */
async function editToDom(page: Page, file: string, text: string, token: string): Promise<number> {
  await page.evaluate((wanted) => {
    const state = window as unknown as { benchSeen?: Promise<number> }
    state.benchSeen = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('main')?.textContent?.includes(wanted)) {
          observer.disconnect()
          resolve(performance.timeOrigin + performance.now())
        }
      })
      observer.observe(document.body, { childList: true, subtree: true })
    })
  }, token)
  const written = performance.timeOrigin + performance.now()
  await writeFile(file, text)
  const seen = await page.evaluate(() => (window as unknown as { benchSeen: Promise<number> }).benchSeen)
  return seen - written
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!
}

/** The URL `ferrule dev` prints on stdout once it listens. */
function serverUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = ''
    server.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk
      const found = /ferrule dev: (http:\/\/\S+\/)/.exec(stdout)
      if (found) resolve(found[1]!)
    })
    server.once('exit', (code) => reject(new Error(`ferrule dev exited (${code}) before it served`)))
  })
}

/** The server's heap after a full GC: it says so on SIGUSR2 (`ferrule:dev:memory`), on stderr. */
async function heapMb(server: ChildProcess, stderr: () => string): Promise<number> {
  const seen = stderr().length
  server.kill('SIGUSR2')
  for (let waited = 0; waited < 10_000; waited += 20) {
    const found = /ferrule:dev:memory heap ([\d.]+) MB/.exec(stderr().slice(seen))
    if (found) return Number(found[1])
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('ferrule dev said nothing of its heap within 10 s of SIGUSR2 (DEBUG=ferrule:dev:memory)')
}

/** Resident memory of a process, from Linux's /proc. */
function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
  if (!Number.isFinite(kb)) throw new Error('Cannot read the resident memory of ferrule dev from /proc')
  return kb / 1024
}
