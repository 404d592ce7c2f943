import type { VFile } from 'vfile'
import { compileSpec, type CompiledSpec, type SpecReader } from '../../tools/ferrule/compile/compile.ts'
import { resolveConfig, type ResolvedConfig, type UserConfig } from '../../tools/ferrule/config.ts'
import { createChapterRenderer } from '../../tools/ferrule/render/chapter.ts'
import { createFerruleHighlighter, type Highlighter } from '../../tools/ferrule/render/highlighter.ts'
import { filesToReport } from '../../tools/ferrule/report-text.ts'

/** A book held in memory: file paths relative to its root. */
export type BookFiles = Record<string, string>

export const bookRoot = '/book'

export function memoryReader(files: BookFiles): SpecReader {
  return {
    read: async (relative) => files[relative],
    list: async () => Object.keys(files).sort(),
  }
}

/** Configuration of an in-memory book: root and cwd are `/book`, so messages name `chapter.md`. */
export function testConfig(config: UserConfig = {}): ResolvedConfig {
  return resolveConfig(bookRoot, { root: '.', ...config })
}

export async function compileBook(files: BookFiles, config: UserConfig = {}): Promise<CompiledSpec> {
  return compileSpec(testConfig(config), memoryReader(files))
}

/** A one-chapter book around `chapter` (as `chapter.md`), plus any other files. */
export function singleChapterBook(chapter: string, others: BookFiles = {}): BookFiles {
  const extra = Object.keys(others)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `- [${name}](${name})`)
  return { 'SUMMARY.md': ['# Summary', '', '- [Chapter](chapter.md)', ...extra, ''].join('\n'), 'chapter.md': chapter, ...others }
}

/** Every message of a compiled book, as `file:line:column rule`, in order. */
export function messageList(files: readonly VFile[]): string[] {
  return files.flatMap((file) =>
    file.messages.map((message) => `${file.path}:${message.line ?? '?'}:${message.column ?? '?'} ${message.fatal ? 'error' : 'warning'} ${message.source}:${message.ruleId}`),
  )
}

export function reportText(files: readonly VFile[]): string {
  return filesToReport(files, { color: false })
}

let shared: Promise<Highlighter> | undefined
/** One highlighter for a whole test file, as one build has one. */
export function sharedHighlighter(): Promise<Highlighter> {
  shared ??= createFerruleHighlighter()
  return shared
}

/** Compile a book and render the content of one of its chapters. */
export async function renderChapter(files: BookFiles, chapterPath = 'chapter.md'): Promise<{ html: string; spec: CompiledSpec }> {
  const spec = await compileBook(files)
  const chapter = spec.chapters.find((candidate) => candidate.path === chapterPath)
  if (!chapter) throw new Error(`No chapter ${chapterPath} in the test book`)
  const render = createChapterRenderer(await sharedHighlighter())
  return { html: render(chapter.tree, chapter.file), spec }
}
