import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Root } from 'mdast'
import { createCompileCache } from '../compile/cache.ts'
import { compileSpec, type CompiledSpec, type SpecReader } from '../compile/compile.ts'
import { createChapterParser } from '../compile/parse.ts'
import type { ResolvedConfig } from '../config.ts'
import type { VFile } from 'vfile'
import { filesToJson } from '../report.ts'
import { filesToReport } from '../report-text.ts'
import type { ContentBlock } from '../render/content-blocks.ts'
import { createFerruleHighlighter, type Highlighter } from '../render/highlighter.ts'
import type { Theme } from '../render/layout.ts'
import { bookLinks, createSiteRenderer, type SiteRenderer } from '../render/site.ts'
import { fsSpecReader } from '../site/fs-reader.ts'
import { readTheme } from '../site/read-theme.ts'
import { searchIndexFiles, type SearchFiles } from '../site/search-index.ts'
import { ruleAnchor } from '../syntax/types.ts'
import { findingsToFiles } from '../trace/findings-to-files.ts'
import { parseWaivers } from '../trace/waivers.ts'
import { contentPatch } from './content-patch.ts'
import { LruMap } from './lru-map.ts'
import type { ContentPatch, DevDiagnostic } from './messages.ts'

/** What one rebuild did, for the terminal and for the pages open in browsers. */
export interface Rebuild {
  build: number
  /** Files that changed, relative to the root (theme files as `theme:` + name). */
  changed: string[]
  /** Chapters whose content was rendered again, by path. */
  rendered: string[]
  /** Pages whose HTML is not what it was. */
  pages: string[]
  /** The sidebar and pager of every page changed (the outline or the set of chapters did). */
  navigation: boolean
  /** The theme changed: pages must reload whole. */
  reload: boolean
  /**
   * How the content of each changed chapter page changed, for those a patch can say (`contentPatch`),
   * when at most `patchedPages` chapter pages changed and the rest of their pages did not.
   */
  patches: Record<string, ContentPatch>
  diagnostics: DevDiagnostic[]
  /**
   * The diagnostics as vfile-reporter prints them, for the terminal, when they are not those of the
   * last build (empty when there are none left); `undefined` when they are the same. A function, so
   * that the pages can go out before it is made.
   */
  report: (() => string) | undefined
  milliseconds: number
}

/** The book as the live preview serves it, kept up to date by `update`. */
export interface DevSession {
  /** The last good build's number: the first is 1. */
  readonly build: number
  readonly diagnostics: readonly DevDiagnostic[]
  /** The HTML (or CSS, JS) at `page` (a path in the site), or `undefined` when there is no such page. */
  page(page: string): string | undefined
  /** The page to show for a path that is no page, laid out as the others. */
  missingPage(page: string): string
  /** Whether `page` is the page of a chapter of the book as it is now. */
  isChapterPage(page: string): boolean
  /**
   * A file of the site's search (`pagefind/...`, `search/...`), or `undefined` for none. The index
   * is made when first asked for after a rebuild, not by every rebuild: few edits are followed by a
   * search.
   */
  searchFile(path: string): Promise<Uint8Array | undefined>
  /**
   * Rebuild after `files` changed (absolute paths): re-read them, recompile with the cache, render
   * what changed. Throws only on a bug in Ferrule, and then the last good build stays.
   */
  update(files: readonly string[]): Promise<Rebuild>
  /**
   * Make a few edits of the book's longest chapter as `update` makes them (compiled, rendered and
   * compared, to the patch and the diagnostics), and their undoing, without taking them as the book:
   * V8 then compiles the code an edit runs before the first real edit needs it. Without this, the
   * first edits after start took up to twice as long as later ones. Stops after the edit at hand when
   * `stop` says so (a real edit is waiting).
   */
  warmUp(stop?: () => boolean): Promise<void>
  /** Let go of the highlighter. */
  close(): void
}

/**
 * Start a live preview of the book of `config`: read it, compile and render it once.
 *
 * Its state is the book's text as last read (a reader that answers from memory, so that a rebuild
 * reads only the files that changed), the compile cache, the rendered content of each chapter and
 * the theme; each `update` changes these and nothing else.
 */
export async function createDevSession(config: ResolvedConfig): Promise<DevSession> {
  const disk = fsSpecReader(config.root)
  const texts = new Map<string, string>()
  let listing = await disk.list()
  await Promise.all(listing.filter(isBookText).map(async (relative) => texts.set(relative, (await disk.read(relative)) ?? '')))
  const reader: SpecReader = { read: async (relative) => texts.get(relative) ?? (isBookText(relative) ? undefined : disk.read(relative)), list: async () => listing }

  const highlighter: Highlighter = await createFerruleHighlighter()
  const cache = createCompileCache()
  const parser = createChapterParser({ owners: config.owners })
  // Highlighted blocks by code: an edit to prose does not highlight the chapter's code again.
  const codeCache = new LruMap<string, never>(20_000)
  const rendered = new WeakMap<Root, string>()
  const blocks = new WeakMap<Root, readonly ContentBlock[]>()
  // What each top-level block rendered to: an edit renders the blocks it changed, not the chapter.
  const blockCache = new LruMap<string, readonly ContentBlock[]>(50_000)
  const rendererFor = (theme: Theme) => createSiteRenderer({ title: config.title, lang: config.lang, theme, highlighter, codeCache, rendered, blocks, blockCache })
  let renderer: SiteRenderer = rendererFor(await readTheme(config.theme))

  let spec: CompiledSpec = await compileSpec(config, reader, { cache, parser })
  let contents = renderer.contents(spec)
  let assets = renderer.assets()
  /** The files of `compiled` that carry diagnostics (the waivers' among them), and the diagnostics. */
  const checkedFiles = (compiled: CompiledSpec) => {
    const files = [...compiled.files, ...waiverFiles(config, compiled, texts.get('waivers.yaml'))]
    return { files, diagnostics: diagnosticsOf(compiled, files) }
  }
  let diagnostics = checkedFiles(spec).diagnostics
  let build = 1
  let search: { build: number; files: Promise<SearchFiles> } | undefined

  /**
   * How chapter page `page` changed from `old` to `next`, when only its content did and a patch can
   * say how. For a book whose outline and theme stayed the same (the caller sees to those).
   */
  const patchOf = (old: CompiledSpec, next: CompiledSpec, page: string): ContentPatch | undefined => {
    const treeOf = (spec: CompiledSpec) => spec.chapters.find((chapter) => chapter.page === page)?.tree
    const oldTree = treeOf(old)
    const nextTree = treeOf(next)
    const oldBlocks = oldTree && blocks.get(oldTree)
    const nextBlocks = nextTree && blocks.get(nextTree)
    if (!oldBlocks || !nextBlocks) return undefined
    // The page around the content (title, sidebar, pager, the links to the book's pages) must be as
    // it was: made of the outline and theme, unchanged, and of these.
    if (JSON.stringify(bookLinks(old)) !== JSON.stringify(bookLinks(next))) return undefined
    return contentPatch(oldBlocks, nextBlocks)
  }

  /** What changed from the book `before` to `next`: the chapters rendered anew, the pages to send, their patches. */
  const changesOf = (before: { spec: CompiledSpec; contents: Map<string, string> }, next: { spec: CompiledSpec; contents: Map<string, string> }, themeChanged: boolean) => {
    const oldTrees = new Set(before.spec.chapters.map((chapter) => chapter.tree))
    const newChapters = next.spec.chapters.filter((chapter) => !oldTrees.has(chapter.tree)).map((chapter) => chapter.path)
    const navigation = navigationOf(before.spec) !== navigationOf(next.spec)
    const rulesChanged = !sameRules(before.spec, next.spec)
    const pages = new Set<string>()
    for (const [page, content] of next.contents) if (before.contents.get(page) !== content) pages.add(page)
    for (const page of before.contents.keys()) if (!next.contents.has(page)) pages.add(page)
    // The rules page lists every rule (the glossary every term, the grammar page every production); the index page counts them.
    if (rulesChanged || navigation) {
      pages.add('rules.html')
      const has = (spec: CompiledSpec, kind: string) => [...spec.index.rules.values()].some((rule) => rule.kind === kind)
      if (has(before.spec, 'term') || has(next.spec, 'term')) pages.add('glossary.html')
      if (before.spec.index.productions.size > 0 || next.spec.index.productions.size > 0) pages.add('grammar.html')
    }
    if (navigation || before.spec.index.rules.size !== next.spec.index.rules.size) pages.add('index.html')
    if (navigation || themeChanged) for (const page of next.contents.keys()) pages.add(page)
    const patches: Record<string, ContentPatch> = {}
    const changedChapters = [...pages].filter((page) => before.contents.has(page) && next.contents.has(page))
    if (!navigation && !themeChanged && changedChapters.length <= patchedPages) {
      for (const page of changedChapters) {
        const patch = patchOf(before.spec, next.spec, page)
        if (patch) patches[page] = patch
      }
    }
    return { newChapters, navigation, pages, patches }
  }

  const session: DevSession = {
    get build() {
      return build
    },
    get diagnostics() {
      return diagnostics
    },
    page(page) {
      return assets.get(page) ?? renderer.page(spec, contents, page)
    },
    missingPage(page) {
      return renderer.missingPage(spec, page)
    },
    isChapterPage(page) {
      return contents.has(page)
    },
    async searchFile(path) {
      if (!/^(pagefind|search)\//.test(path)) return undefined
      if (!search || search.build !== build) {
        const forBuild = build
        const pages = new Map(spec.chapters.map((chapter) => [chapter.page, renderer.page(spec, contents, chapter.page)!]))
        search = { build: forBuild, files: searchIndexFiles(spec, pages, config.lang) }
      }
      return (await search.files).get(path)
    },
    async update(files) {
      const started = performance.now()
      const changed: string[] = []
      let themeChanged = false
      // 1. Read what changed; the listing changes only when files come or go.
      const listed = new Set(listing)
      for (const file of files) {
        if (isInside(config.theme, file)) {
          themeChanged = true
          changed.push(`theme:${path.relative(config.theme, file)}`)
          continue
        }
        if (!isInside(config.root, file)) continue
        const relative = path.relative(config.root, file).split(path.sep).join('/')
        changed.push(relative)
        const text = isBookText(relative) ? await disk.read(relative) : existsSync(file) ? '' : undefined
        if (text === undefined) listed.delete(relative)
        else listed.add(relative)
        if (!isBookText(relative)) continue
        if (text === undefined) texts.delete(relative)
        else texts.set(relative, text)
      }
      if (listed.size !== listing.length || listing.some((relative) => !listed.has(relative))) listing = [...listed].sort()

      // 2. Compile with the cache; render what is new; find what changed.
      const before = { spec, contents }
      if (themeChanged) renderer = rendererFor(await readTheme(config.theme))
      const next = await compileSpec(config, reader, { cache, parser })
      const nextContents = renderer.contents(next)
      const { newChapters, navigation, pages, patches } = changesOf(before, { spec: next, contents: nextContents }, themeChanged)

      // 3. Take it as the book now.
      spec = next
      contents = nextContents
      assets = renderer.assets()
      const previous = diagnostics
      const checked = checkedFiles(spec)
      diagnostics = checked.diagnostics
      const same = JSON.stringify(previous) === JSON.stringify(diagnostics)
      build++
      return {
        build,
        changed: changed.sort(),
        rendered: newChapters,
        pages: [...pages].sort(),
        navigation,
        reload: themeChanged,
        patches,
        diagnostics,
        // Made when asked, after the pages went out: vfile-reporter takes milliseconds per hundred messages.
        report: same ? undefined : () => filesToReport(checked.files, { color: false }),
        milliseconds: performance.now() - started,
      }
    },
    async warmUp(stop) {
      let longest: string | undefined
      for (const { path } of spec.chapters) if ((texts.get(path)?.length ?? 0) > (longest === undefined ? -1 : texts.get(longest)!.length)) longest = path
      const text = longest === undefined ? undefined : texts.get(longest)
      if (longest === undefined || text === undefined) return
      try {
        // Each round as an edit goes, from compile to the patch and the diagnostics, its result dropped.
        let before = { spec, contents }
        for (let round = 1; round <= warmUpRounds; round++) {
          texts.set(longest, `${text}\n\nWarm-up ${round}.\n`)
          const next = await compileSpec(config, reader, { cache, parser })
          const after = { spec: next, contents: renderer.contents(next) }
          changesOf(before, after, false)
          JSON.stringify(checkedFiles(next).diagnostics)
          before = after
          if (stop?.()) break
        }
      } finally {
        // The book as it was, compiled again, is taken as the book, so that the next edit finds in it
        // the trees the cache holds (its pages are the same).
        texts.set(longest, text)
        spec = await compileSpec(config, reader, { cache, parser })
        contents = renderer.contents(spec)
      }
    },
    close() {
      highlighter.dispose()
    },
  }
  return session
}

/**
 * Chapter pages patched at most, and sent whole at most, after a rebuild: an edit that changes more
 * (a rule moved that many chapters link to) names the pages only, and an open one fetches itself.
 */
export const patchedPages = 3

/**
 * Edits `warmUp` makes. After three, the first three real edits still took half as long again as
 * later ones (a median of 41 against 26 ms, in six runs); after eight, as long (26 against 29 ms).
 * Eight take about 0.4 s on the bench's book with its 77 KB chapter.
 */
const warmUpRounds = 8

/** Files of the book that the compile reads as text: chapters, the outline and the waivers. */
function isBookText(relative: string): boolean {
  return relative.endsWith('.md') || relative === 'waivers.yaml'
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

/** Everything the sidebar and pager of a page are made of. */
function navigationOf(spec: CompiledSpec): string {
  return JSON.stringify([spec.outline.items, [...spec.index.pages]])
}

/** Whether two builds have the same rules, each in the same chapter with the same kind and text. */
function sameRules(a: CompiledSpec, b: CompiledSpec): boolean {
  if (a.index.rules.size !== b.index.rules.size) return false
  for (const [id, rule] of b.index.rules) {
    const old = a.index.rules.get(id)
    if (!old || old.chapter !== rule.chapter || old.kind !== rule.kind || old.fingerprint !== rule.fingerprint) return false
  }
  return true
}

/** The waivers' findings as files with messages, checked against the rules as `ferrule matrix` checks them. */
function waiverFiles(config: ResolvedConfig, spec: CompiledSpec, waivers: string | undefined): VFile[] {
  if (waivers === undefined) return []
  const name = path.relative(config.cwd, path.join(config.root, 'waivers.yaml')).split(path.sep).join('/')
  return findingsToFiles(parseWaivers(waivers, name, new Set(spec.index.ids)).findings, config.cwd)
}

/**
 * The diagnostics of `files` for the overlay, each with a link to where it is: the page and the rule
 * the line falls in (the last rule whose marker is at or before it), else the top of the page.
 */
function diagnosticsOf(spec: CompiledSpec, files: readonly VFile[]): DevDiagnostic[] {
  const chapters = new Map(spec.chapters.map((chapter) => [chapter.file.path, chapter]))
  return filesToJson(files).map((message) => {
    const chapter = chapters.get(message.file)
    let href: string | null = null
    if (chapter) {
      const line = message.line ?? 1
      const rule = (chapter.file.data.rules ?? []).filter((fact) => fact.position.start.line <= line).at(-1)
      href = chapter.page + (rule ? `#${ruleAnchor(rule.id)}` : '')
    }
    return { file: message.file, line: message.line, column: message.column, severity: message.severity, rule: message.rule, reason: message.reason, hint: message.hint, href }
  })
}
