import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { watch, type FSWatcher } from 'chokidar'
import { createServer, type Plugin, type ViteDevServer } from 'vite'
import type { ResolvedConfig } from '../config.ts'
import { createDebugger } from '../debug.ts'
import { safeDecode } from '../paths.ts'
import { devEvent, helloEvent, stateId, type DevMessage, type DevPageState } from './messages.ts'
import { createDevSession, patchedPages, type DevSession, type Rebuild } from './session.ts'

declare module 'vite/types/customEvent.d.ts' {
  interface CustomEventMap {
    [devEvent]: DevMessage
    [helloEvent]: Record<string, never>
  }
}

export interface DevServerOptions {
  /** The book to preview. */
  config: ResolvedConfig
  /** Loads the configuration again, when its file changes: the preview restarts with it. */
  reloadConfig?: () => Promise<ResolvedConfig>
  /** The configuration file, watched when given. */
  configFile?: string | undefined
  /** Port to listen on; the next free one when it is taken (default 3000). */
  port?: number
  /** Host to listen on (default 127.0.0.1: the preview is not for the network unless asked). */
  host?: string
  /** Open the index page in a browser once listening. */
  open?: boolean
  /**
   * How long the files must be quiet after a change before the rebuild starts, in ms (default 10):
   * an editor's save is often several writes, and a rename two events.
   */
  settleMs?: number
  /** Lines for the terminal. */
  log: (line: string) => void
}

export interface DevServer {
  /** `http://host:port/`. */
  url: string
  /** Resolves once the changes seen so far are rebuilt and sent (for tests and the bench). */
  settled(): Promise<void>
  /** The rebuilds done so far, newest last, at most the last 50. */
  readonly rebuilds: readonly Rebuild[]
  close(): Promise<void>
}

const debug = createDebugger('dev')
// `DEBUG=ferrule:dev:memory`: on SIGUSR2, the heap, after a full GC when Node runs with
// `--expose-gc` (what a leak shows in; the resident size also holds what V8 has not given back).
const debugMemory = createDebugger('dev:memory')
const reportMemory = () => {
  ;(globalThis as { gc?: () => void }).gc?.()
  debugMemory?.(`heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB`)
}

const clientModule = '/@ferrule/dev-client'
const clientFile = fileURLToPath(new URL('./client.ts', import.meta.url))

/**
 * Serve a live preview of a book: the pages `ferrule build` makes, kept up to date as its files
 * change.
 *
 * 1. Read, compile and render the book once (`createDevSession`).
 * 2. Start Vite on `host:port`, serving the pages from memory with the dev client added, and the
 *    book's other files (images) from the root.
 * 3. Watch the book, the theme and the configuration with chokidar; settle each burst of changes
 *    into one rebuild; rebuilds run one at a time.
 * 4. After each rebuild, print one line, the diagnostics when they changed, and send the pages one
 *    message (messages.ts): a chapter change patches pages, a theme change reloads them, a
 *    configuration change restarts the session and reloads them.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { log } = options
  // 1.
  let config = options.config
  let session = await createDevSession(config)
  const rebuilds: Rebuild[] = []
  // Set once the server is ready to warm up (below).
  let pageServed: (() => void) | undefined

  // 2.
  const vite = await createServer({
    configFile: false,
    root: config.root,
    publicDir: config.root,
    appType: 'custom',
    logLevel: 'warn',
    clearScreen: false,
    // chokidar below watches what matters; Vite's own watcher would see every file of the book.
    server: { host: options.host ?? '127.0.0.1', port: options.port ?? 3000, strictPort: false, watch: null, fs: { allow: [config.root, path.dirname(clientFile)] } },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [devPlugin(() => session, () => pageServed?.())],
  })
  await vite.listen()
  const address = vite.httpServer?.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 3000)
  const host = options.host ?? '127.0.0.1'
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`
  const send = (message: DevMessage) => vite.environments.client!.hot.send(devEvent, message)
  // A page says hello once its channel is open; it hears which build the book is at.
  vite.environments.client!.hot.on(helloEvent, (_data, client) => client.send(devEvent, { type: 'welcome', build: session.build }))

  // 3.
  const watched = [config.root, config.theme, ...(options.configFile ? [options.configFile] : [])]
  const watcher: FSWatcher = watch(watched, { ignoreInitial: true, ignored: (file) => /[\\/](node_modules|\.git)([\\/]|$)/.test(file) })
  const pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let firstPending = 0
  let running: Promise<void> = Promise.resolve()
  const settleMs = options.settleMs ?? 10
  const rechecks = new Set<NodeJS.Timeout>()
  // Rebuilds queued and not yet begun: the warm-up gives way to them.
  let waiting = 0
  const flush = () => {
    timer = undefined
    const batch = [...pending]
    pending.clear()
    waiting++
    running = running.then(() => {
      waiting--
      return rebuildAndRecheck(batch)
    }).catch((error: unknown) => {
      // Keep serving the last good pages, and say why there are no newer ones: a file the machine
      // would not give (a theme file gone, say), or else a bug in Ferrule.
      const system = (error as NodeJS.ErrnoException).code !== undefined
      const reason = error instanceof Error ? error.message : String(error)
      const message = system ? `cannot rebuild: ${reason}` : `internal error while rebuilding, a bug in Ferrule: ${reason}`
      log(`${message}; the last good pages stay${system || !(error instanceof Error) ? '' : `\n${error.stack}`}`)
      send({ type: 'crash', build: session.build, message })
    })
  }
  const onEvent = (file: string) => {
    if (pending.size === 0) firstPending = performance.now()
    pending.add(path.resolve(file))
    if (timer) clearTimeout(timer)
    // Settle, but never wait more than ten times as long: a file written non-stop still shows.
    timer = setTimeout(flush, Math.max(0, Math.min(settleMs, firstPending + settleMs * 10 - performance.now())))
  }
  watcher.on('all', (event, file) => {
    debug?.(event, file)
    onEvent(file)
    if (event === 'change') lookAgainAfterThrottle(path.resolve(file))
  })
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  if (debugMemory) process.on('SIGUSR2', reportMemory)

  // chokidar drops a file's events that come within 5 ms of one it acted on, and acts only when the
  // file's size or time changed: an editor that empties a file and then writes it may leave the
  // second write unseen. So each file of a rebuild is looked at again a little later, and rebuilt
  // again if it is not as it was when read.
  const lastRead = new Map<string, string>()
  /** In `ms`, rebuild each of `files` that is not as the last rebuild read it (a later one may have read it since). */
  const lookAgain = (files: readonly string[], ms: number) => {
    const look = setTimeout(async () => {
      rechecks.delete(look)
      for (const file of files) if (!pending.has(file) && lastRead.has(file) && (await stamp(file)) !== lastRead.get(file)) onEvent(file)
    }, ms)
    rechecks.add(look)
  }
  // chokidar also says a file changed at most once in 50 ms, and drops the changes in between: a
  // save 20 ms after the one before was seen only by the look after the rebuild (below), 50 ms after
  // it ended (one save in five, in the bench's back-to-back edits). So the file is looked at again as
  // soon as chokidar would say so again.
  const lookAgainAfterThrottle = (file: string) => lookAgain([file], chokidarChangeThrottleMs + 1)
  async function rebuildAndRecheck(files: string[]): Promise<void> {
    for (const file of files) lastRead.set(file, await stamp(file))
    await rebuild(files)
    lookAgain(files, settleMs * 5)
  }

  // 4.
  async function rebuild(files: string[]): Promise<void> {
    if (options.configFile && files.includes(path.resolve(options.configFile)) && options.reloadConfig) {
      const started = performance.now()
      const next = await options.reloadConfig()
      const old = session
      session = await createDevSession(next)
      old.close()
      // The book or theme may have moved. (Vite keeps serving the book's own files, images say,
      // from the root it started with.)
      const moved = [config.root, config.theme].filter((folder) => folder !== next.root && folder !== next.theme)
      watcher.add([next.root, next.theme])
      if (moved.length > 0) watcher.unwatch(moved)
      config = next
      log(`${time()} configuration changed: restarted in ${Math.round(performance.now() - started)} ms`)
      send({ type: 'reload', build: session.build, reason: 'configuration changed' })
      warmUp()
      return
    }
    const result = await session.update(files)
    send(updateMessage(result))
    // The terminal hears of it after the browser: its report takes a while to make.
    const report = result.report?.()
    // Kept with its report made, not with what it was made from (the whole book's files).
    rebuilds.push({ ...result, report: report === undefined ? undefined : () => report })
    if (rebuilds.length > 50) rebuilds.shift()
    log(rebuildLine(result))
    if (report !== undefined) log(report === '' ? 'no problems left' : report)
  }

  /** What the browser is told of a rebuild. */
  function updateMessage(result: Rebuild): DevMessage {
    if (result.reload) return { type: 'reload', build: result.build, reason: 'theme changed' }
    // Chapters only: the rules page is large, and few look at it while they write. A page that a
    // patch can bring up to date needs no more.
    const html: Record<string, string> = {}
    const chapters = result.pages.filter((page) => session.isChapterPage(page))
    if (chapters.length <= patchedPages) for (const page of chapters) if (!result.patches[page]) html[page] = session.page(page)!
    return { type: 'update', build: result.build, pages: result.pages, html, patches: result.patches, navigation: result.navigation, diagnostics: result.diagnostics }
  }

  // It takes a few hundred milliseconds; a rebuild waits for the edit it is making, not for the rest.
  // Begun once the first page is served (the author reads, then edits), so as not to hold that page
  // back, or two seconds after start.
  const warmUp = () => {
    running = running.then(() => session.warmUp(() => waiting > 0 || pending.size > 0)).catch((error: unknown) => debug?.('warm-up failed', error))
  }
  const warmUpOnce = () => {
    pageServed = undefined
    clearTimeout(warmUpTimer)
    warmUp()
  }
  const warmUpTimer = setTimeout(warmUpOnce, 2000)
  pageServed = warmUpOnce
  const problems = session.diagnostics.length
  log(`serving ${config.title} at ${url}`)
  if (problems > 0) log(`${problems} problem${problems === 1 ? '' : 's'} in the book; they show in the pages`)
  if (options.open) vite.openBrowser()

  return {
    url,
    rebuilds,
    async settled() {
      // A change may still be settling, or a rebuild queued behind it.
      while (timer || pending.size > 0) await new Promise((resolve) => setTimeout(resolve, settleMs))
      await running
    },
    async close() {
      process.off('SIGUSR2', reportMemory)
      clearTimeout(warmUpTimer)
      if (timer) clearTimeout(timer)
      for (const recheck of rechecks) clearTimeout(recheck)
      await watcher.close()
      await running
      await vite.close()
      session.close()
    },
  }
}

/** How long chokidar (5.0) keeps quiet after saying a file changed: `_throttle(EV.CHANGE, path, 50)` in its `_emit`. */
const chokidarChangeThrottleMs = 50

/** What tells one version of a file from another: its time and size, or that it is gone. */
async function stamp(file: string): Promise<string> {
  try {
    const stats = await stat(file)
    return `${stats.mtimeMs} ${stats.size}`
  } catch {
    return 'gone'
  }
}

/** `12:03:04 lexing.md: rendered 1 chapter (+2 that link to it), 3 pages, in 48 ms; 1 error` */
function rebuildLine(result: Rebuild): string {
  const files = result.changed.length <= 3 ? result.changed.join(', ') : `${result.changed.slice(0, 3).join(', ')} and ${result.changed.length - 3} more`
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length
  const warnings = result.diagnostics.length - errors
  const problems = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')
  const rendered = result.rendered.length === 0 ? 'nothing to render' : `rendered ${result.rendered.length <= 3 ? result.rendered.join(', ') : `${result.rendered.length} chapters`}`
  const what = result.reload ? 'theme reloaded' : `${rendered}${result.navigation ? ', navigation changed' : ''}`
  return `${time()} ${files || 'nothing'}: ${what} in ${Math.round(result.milliseconds)} ms${problems ? `; ${problems}` : ''}`
}

function time(): string {
  return new Date().toTimeString().slice(0, 8)
}

/**
 * The pages of the book, from memory, as the pre-middleware of Vite: every HTML page gets Vite's
 * client, Ferrule's dev client and the state of its build; the theme's files come from the session.
 * Anything else falls through to Vite (its client, the dev client module, the book's files).
 */
function devPlugin(current: () => DevSession, served: () => void): Plugin {
  return {
    name: 'ferrule-dev',
    resolveId(id) {
      return id === clientModule ? clientFile : undefined
    },
    configureServer(server: ViteDevServer) {
      server.middlewares.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
        const pathname = safeDecode((request.url ?? '/').split(/[?#]/)[0]!)
        const wanted = pathname.replace(/^\/+/, '')
        const page = wanted === '' || wanted.endsWith('/') ? `${wanted}index.html` : wanted
        const session = current()
        if (/^(pagefind|search)\//.test(page)) {
          session.searchFile(page).then(
            (file) => {
              if (file === undefined) return next()
              response.setHeader('Cache-Control', 'no-store')
              response.setHeader('Content-Type', page.endsWith('.js') ? 'text/javascript; charset=utf-8' : page.endsWith('.css') ? 'text/css; charset=utf-8' : page.endsWith('.json') ? 'application/json' : 'application/octet-stream')
              response.end(file)
            },
            (error: unknown) => {
              response.statusCode = 500
              response.end(`cannot make the search index: ${(error as Error).message}`)
            },
          )
          return
        }
        const found = session.page(page)
        if (found === undefined && !page.endsWith('.html')) return next()
        const html = page.endsWith('.html')
        response.setHeader('Cache-Control', 'no-store')
        response.setHeader('Content-Type', html ? 'text/html; charset=utf-8' : page.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8')
        if (!html) return void response.end(found)
        response.statusCode = found === undefined ? 404 : 200
        response.end(withDevClient(found ?? session.missingPage(page), { build: session.build, diagnostics: [...session.diagnostics] }))
        served()
      })
    },
  }
}

/** `html` with Vite's client, the dev client and the page's state before `</head>`. */
function withDevClient(html: string, state: DevPageState): string {
  // `<` escaped, so that no text of a diagnostic can end the script element.
  const json = JSON.stringify(state).replace(/</g, '\\u003c')
  const scripts =
    `<script type="application/json" id="${stateId}">${json}</script>\n` +
    `<script type="module" src="/@vite/client"></script>\n<script type="module" src="${clientModule}"></script>\n`
  const at = html.indexOf('</head>')
  return at === -1 ? scripts + html : html.slice(0, at) + scripts + html.slice(at)
}
