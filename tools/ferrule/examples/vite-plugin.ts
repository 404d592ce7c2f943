import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { VFile } from 'vfile'
import { checkExampleRules } from '../compile/link.ts'
import { createChapterParser, type ChapterParser } from '../compile/parse.ts'
import { resolveConfig, type UserConfig } from '../config.ts'
import { scanRuleIds } from '../syntax/rule-links.ts'
import { chapterToTestSpecs, parseExampleModuleId, testModuleOf, type ChapterForTests } from './chapter-tests.ts'
import { sliceCode } from './code-slice.ts'
import type { RustRunnerOptions } from './rust-runner.ts'
import { createExampleTypeChecker, type ExampleTypeChecker } from './ts-typecheck.ts'

export interface Options extends UserConfig {
  /** Options for the Rust runner: cache folder, parallel jobs, default edition (default: the runner's). */
  rust?: RustRunnerOptions
}

const runtime = fileURLToPath(new URL('./runtime.ts', import.meta.url))
const setupFile = fileURLToPath(new URL('./vitest-setup.ts', import.meta.url))
/** A fence that opens an executable example, in any container. */
const executableFence = /^[ \t>]*(?:```|~~~)[ \t]*(?:ts|typescript|rust)\b/m

/**
 * Vite plugin that makes every chapter with executable examples a vitest test module: each ` ```ts `
 * and ` ```rust ` block becomes one test titled `[RULE-ID] chapter-path:line`. Nothing is written
 * to disk; the chapter's module and each TypeScript example's module are served from the Markdown,
 * with source maps into it.
 *
 * Add it to `vitest.config.ts`: `plugins: [ferruleExamples(ferruleConfig)]`. It adds the chapters to
 * `test.include`, a setup file that tags every test with the rule IDs its title names, and turns on
 * `includeTaskLocation`.
 */
export default function ferruleExamples(options: Options = {}): Plugin {
  const settings = resolveConfig(process.cwd(), options)
  const state: State = {
    root: settings.root,
    cwd: settings.cwd,
    parse: createChapterParser({ owners: settings.owners }),
    chapters: new Map(),
    ruleIds: undefined,
    typecheck: undefined,
    rust: options.rust ?? {},
  }
  return {
    name: 'ferrule:examples',
    enforce: 'pre',
    config() {
      const include = chaptersWithExamples(state.root).map((file) => path.relative(state.cwd, file).split(path.sep).join('/'))
      return { test: { include, setupFiles: [setupFile], includeTaskLocation: true } } as never
    },
    watchChange(id) {
      // A rule added or removed anywhere may change which `rule=ID` is known.
      if (id.endsWith('.md')) state.ruleIds = undefined
    },
    resolveId(id) {
      return parseExampleModuleId(id) ? id : undefined
    },
    load(id) {
      const example = parseExampleModuleId(id)
      if (!example) return undefined
      // The example's text lives in its chapter: an edit there must reach this module in watch mode.
      this.addWatchFile(example.chapter)
      const chapter = readChapter(state, example.chapter)
      const fact = chapter.parsed.data.examples?.find((candidate) => candidate.position?.start.line === example.line)
      if (!fact) throw new Error(`No example starts on line ${example.line} of ${chapter.file}`)
      const slice = sliceCode(chapter.markdown, fact.node, chapter.absolute)
      return { code: slice.code, map: slice.map }
    },
    transform(_code, id) {
      if (!isChapter(state, id)) return undefined
      const chapter = readChapter(state, id)
      state.typecheck ??= createExampleTypeChecker(state.cwd)
      const specs = chapterToTestSpecs(chapter, state.typecheck)
      return testModuleOf(chapter, specs, { runtime, rustOptions: state.rust })
    },
  }
}

interface State {
  root: string
  cwd: string
  parse: ChapterParser
  /** Parsed chapters by absolute path, kept while their text is unchanged. */
  chapters: Map<string, ChapterForTests>
  /** Rule IDs defined anywhere under the root, until a Markdown file changes. */
  ruleIds: Set<string> | undefined
  typecheck: ExampleTypeChecker | undefined
  rust: RustRunnerOptions
}

function isChapter(state: State, id: string): boolean {
  if (id.includes('?') || !id.endsWith('.md')) return false
  const relative = path.relative(state.root, id)
  return !relative.startsWith('..') && !path.isAbsolute(relative)
}

/** Read and parse a chapter, reusing the last parse while its text (and the spec's rule IDs) are unchanged. */
function readChapter(state: State, absolute: string): ChapterForTests {
  const markdown = readFileSync(absolute, 'utf8')
  const knownRuleIds = (state.ruleIds ??= ruleIdsOf(state.root))
  const cached = state.chapters.get(absolute)
  if (cached && cached.markdown === markdown && cached.knownRuleIds === knownRuleIds) return cached
  const file = new VFile({ path: absolute, value: markdown })
  // With the book's rule IDs, rule links resolve as in a build, so rule texts (and fingerprints) match.
  state.parse(file, knownRuleIds)
  checkExampleRules(file, (file.data.examples ?? []).map((example) => ({ rule: example.info?.rule, place: example.position })), knownRuleIds)
  const chapter: ChapterForTests = {
    chapter: path.relative(state.root, absolute).split(path.sep).join('/'),
    file: path.relative(state.cwd, absolute).split(path.sep).join('/'),
    absolute,
    markdown,
    parsed: file,
    knownRuleIds,
  }
  state.chapters.set(absolute, chapter)
  return chapter
}

function markdownFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.parentPath.split(path.sep).includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

/** Chapters that hold at least one executable example; a test module without tests would fail. */
function chaptersWithExamples(root: string): string[] {
  return markdownFiles(root).filter((file) => executableFence.test(readFileSync(file, 'utf8')))
}

function ruleIdsOf(root: string): Set<string> {
  const ids = new Set<string>()
  for (const file of markdownFiles(root)) scanRuleIds(readFileSync(file, 'utf8'), ids)
  return ids
}
