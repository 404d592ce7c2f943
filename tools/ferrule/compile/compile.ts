import path from 'node:path'
import { VFile } from 'vfile'
import type { ResolvedConfig } from '../config.ts'
import { createDebugger } from '../debug.ts'
import { report } from '../diagnostics.ts'
import { summaryToOutline, type Outline } from '../outline.ts'
import { chapterToPage } from '../paths.ts'
import { checkDuplicateTerms } from './duplicate-term.ts'
import { checkUnusedTerms } from './unused-term.ts'
import { linkChapterCached, outlineCached, parseChapterCached, pruneCompileCache, ruleIdsOfChapter, type CompileCache } from './cache.ts'
import { changedLookups } from './link.ts'
import { createChapterParser, type ChapterParser } from './parse.ts'
import { factsToIndex, factsToIndexCached, type SpecIndex } from './spec-index.ts'
import type { ParsedChapter } from './types.ts'

const debug = createDebugger('compile')

export const missingChapter = 'missing-chapter'
export const unlistedChapter = 'unlisted-chapter'
export const missingOutline = 'missing-outline'
export const pageConflict = 'page-conflict'

/** How the compiler reads a book; the drivers pass the file system, tests pass what they like. */
export interface SpecReader {
  /** Text of a file under the root (path relative, `/`-separated), or `undefined` when missing. */
  read(relativePath: string): Promise<string | undefined>
  /** Every file under the root, relative and `/`-separated. */
  list(): Promise<string[]>
}

export interface CompiledSpec {
  outline: Outline
  /** Chapters in reading order, their trees linked. */
  chapters: ParsedChapter[]
  index: SpecIndex
  /** Files that pages link to and the site must carry, relative to the root. */
  assets: string[]
  /** Every file that may carry diagnostics: `SUMMARY.md`, the chapters and unlisted chapter files. */
  files: VFile[]
}

export interface CompileOptions {
  /** A parser to reuse (it holds no state between chapters); one is created when absent. */
  parser?: ChapterParser
  /**
   * What earlier compiles of this book parsed and linked, reused where still valid and updated
   * (see `createCompileCache`); without it every chapter is parsed and linked.
   */
  cache?: CompileCache
  /** Called with a line for each finished phase, for `--verbose`. */
  log?: ((line: string) => void) | undefined
}

/** Pages the site generates itself; no chapter may take their place. */
const generatedPages = ['rules.html', 'glossary.html', 'grammar.html', 'print.html']

/**
 * Compile a book into checked, linked chapter trees and the rules index.
 *
 * 1. Outline: read `SUMMARY.md`.
 * 2. Files: report chapters missing from the disk and chapter files missing from the outline.
 * 3. Collect: scan every chapter's text for rule IDs, so that each parse knows which links are rules.
 * 4. Parse: each chapter on its own (pure), or take it from the cache when its text and the rule IDs
 *    it mentions are those it was parsed with.
 * 5. Index: merge the facts; duplicate rule IDs.
 * 6. Link: each chapter against the index, or take it from the cache when it was parsed the same and
 *    everything its links were resolved against is unchanged.
 * 7. Check what only the whole book shows: terms defined twice, terms never linked to.
 */
export async function compileSpec(config: ResolvedConfig, reader: SpecReader, options: CompileOptions = {}): Promise<CompiledSpec> {
  const started = performance.now()
  const phase = (name: string) => {
    const line = `${name} done at ${Math.round(performance.now() - started)} ms`
    options.log?.(line)
    debug?.(line)
  }
  const fileFor = (relative: string, value?: string) =>
    new VFile({ path: path.relative(config.cwd, path.join(config.root, relative)) || relative, value, cwd: config.cwd })

  // 1. Outline.
  const summary = fileFor('SUMMARY.md', await reader.read('SUMMARY.md'))
  const files: VFile[] = [summary]
  if (summary.value === undefined) {
    report(summary, 'error', missingOutline, `No \`SUMMARY.md\` in \`${summary.dirname ?? '.'}\``, {
      hint: 'Point `--root` at the folder that holds the book\'s SUMMARY.md',
    })
    const outline = summaryToOutline(new VFile(''))
    return { outline, chapters: [], index: factsToIndex(config, []), assets: [], files }
  }
  const outline = outlineCached(options.cache, summary)
  phase('outline')

  // 2. Files.
  const onDisk = new Set(await reader.list())
  const listed = new Set(outline.chapters.map((chapter) => chapter.path!))
  for (const relative of [...onDisk].sort()) {
    if (!relative.endsWith('.md') || relative === 'SUMMARY.md' || listed.has(relative)) continue
    const file = fileFor(relative)
    report(file, 'warning', unlistedChapter, `Chapter file \`${relative}\` is not in the outline`, {
      place: { line: 1, column: 1 },
      hint: 'Add it to SUMMARY.md, or delete it',
    })
    files.push(file)
  }

  const pages = new Map<string, string>()
  const sources: Array<{ outline: ParsedChapter['outline']; path: string; page: string; file: VFile }> = []
  for (const chapter of outline.chapters) {
    const relative = chapter.path!
    const page = chapterToPage(relative)
    const other = pages.get(page)
    if (other !== undefined || generatedPages.includes(page) || page.startsWith('theme/')) {
      report(summary, 'error', pageConflict, `Chapter \`${relative}\` would be published as \`${page}\`, which is ${other ? `already the page of \`${other}\`` : 'a page the site generates itself'}`, {
        place: chapter.position,
        hint: 'Rename the chapter file',
      })
      continue
    }
    pages.set(page, relative)
    const text = onDisk.has(relative) ? await reader.read(relative) : undefined
    if (text === undefined) {
      report(summary, 'error', missingChapter, `Chapter \`${relative}\` is in the outline but its file is missing`, {
        place: chapter.position,
        hint: `Create \`${relative}\` under the root, or fix the path in SUMMARY.md`,
      })
      continue
    }
    sources.push({ outline: chapter, path: relative, page, file: fileFor(relative, text) })
  }
  phase('files')

  // 3. Collect.
  const knownIds = new Set<string>()
  for (const source of sources) for (const id of ruleIdsOfChapter(options.cache, source.path, String(source.file))) knownIds.add(id)

  // 4. Parse.
  const parse = options.parser ?? createChapterParser({ owners: config.owners })
  const chapters: ParsedChapter[] = sources.map((source) => ({ ...source, tree: parseChapterCached(options.cache, parse, source.path, source.file, knownIds) }))
  files.push(...chapters.map((chapter) => chapter.file))
  phase('parse')

  // 5. Index.
  let index: SpecIndex
  if (options.cache) ({ index, memo: options.cache.index } = factsToIndexCached(config, chapters, options.cache.index))
  else index = factsToIndex(config, chapters)
  phase('index')

  // 6. Link.
  const assets = new Set<string>()
  const context = { index, files: onDisk }
  // What may have changed since the last link phase: only those lookups of a cached link are asked again.
  const changed = options.cache?.lastLink && changedLookups(options.cache.lastLink, context)
  if (options.cache) options.cache.lastLink = undefined
  const linked = chapters.map((chapter) => {
    const result = linkChapterCached(options.cache, context, chapter, changed)
    for (const asset of result.assets) assets.add(asset)
    return { ...chapter, tree: result.tree }
  })
  if (options.cache) options.cache.lastLink = context
  phase('link')

  // 7. Checks of the whole book.
  checkDuplicateTerms(index, linked)
  checkUnusedTerms(index, linked)
  if (options.cache) pruneCompileCache(options.cache, new Set(chapters.map((chapter) => chapter.path)))

  return { outline, chapters: linked, index, assets: [...assets].sort(), files }
}
