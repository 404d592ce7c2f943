import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { VFile } from 'vfile'
import { compileSpec, type SpecReader } from './compile/compile.ts'
import { indexToRulesJson, rulesJsonToString, sourceDigest } from './compile/rules-json.ts'
import type { ResolvedConfig } from './config.ts'
import { createFerruleHighlighter, type Highlighter } from './render/highlighter.ts'
import type { Theme } from './render/layout.ts'
import type { RemovedRules } from './render/pages.ts'
import type { RuleVerification } from './render/verification.ts'
import type { Matrix } from './trace/types.ts'
import { renderSite } from './render/site.ts'
import { makeMatrix, MatrixInputError } from './matrix.ts'
import { countMessages, makeWarningsErrors, type Counts } from './report.ts'
import { writeOutputsAtomically } from './site/atomic-write.ts'
import { fsSpecReader } from './site/fs-reader.ts'
import { searchIndexFiles } from './site/search-index.ts'
import { readTheme } from './site/read-theme.ts'
import { readBaseline } from './trace/rules-diff.ts'
import { ferruleVersion } from './version.ts'

export interface BuildOptions {
  config: ResolvedConfig
  /** Treat warnings as errors. */
  strict?: boolean
  /** Called with progress lines, for `--verbose`. */
  log?: ((line: string) => void) | undefined
  /** Where the book is read from (default: the file system under `config.root`). */
  reader?: SpecReader
  /**
   * The `rules.json` (or `matrix.json`) of an earlier release: the rules page lists the rules it has
   * and this book no longer does, so that their permalinks say so.
   */
  baseline?: string | undefined
}

export interface BuildResult {
  /** Files with their diagnostics. */
  files: VFile[]
  counts: Counts
  chapters: number
  rules: number
  /** Whether `dist/` was replaced; `false` when errors stopped the build. */
  written: boolean
  /**
   * The matrix, made when the output folder holds test results: the files it wrote, or why it
   * could not be made (a build does not fail for it; `ferrule matrix` does).
   */
  matrix?: { written: string[] } | { error: string }
}

/**
 * Build the site and the rules inventory.
 *
 * 1. Compile the book (the highlighter and theme load meanwhile).
 * 2. Stop, writing nothing, when there are errors (or warnings, when strict).
 * 3. When the output folder holds test results (`npm test` ran), make the matrix from them: the
 *    pages show under each rule what it says.
 * 4. Render every page, and index them for the site's search.
 * 5. Write `site/` and `rules.json` into the output folder, swapping them in only when all is written.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const { config, log } = options
  const started = performance.now()
  const since = () => `${Math.round(performance.now() - started)} ms`
  const tools = Promise.all([createFerruleHighlighter(), readTheme(config.theme)])
  // An early return must neither leave the promise rejecting unobserved nor the highlighter alive.
  const release = () => tools.then(([highlighter]) => highlighter.dispose(), () => {})

  const { spec, counts } = await compileAndCount(options, log)
  const result = { files: spec.files, counts, chapters: spec.chapters.length, rules: spec.index.ids.length, written: false }
  if (counts.errors > 0) {
    await release()
    return result
  }

  // The matrix first, when a test run left results: the pages show what it says of each rule.
  let matrix: BuildResult['matrix']
  let verification: Map<string, RuleVerification> | undefined
  if (['vitest.json', 'rust.json'].some((name) => existsSync(path.join(config.outDir, 'test-results', name)))) {
    try {
      const made = await makeMatrix({ config, spec, version: await ferruleVersion() })
      log?.(`matrix done at ${since()}`)
      matrix = { written: made.written }
      if (made.matrix) verification = matrixToVerification(made.matrix)
    } catch (error) {
      if (!(error instanceof MatrixInputError)) {
        await release()
        throw error
      }
      matrix = { error: error.message }
    }
  }

  const [highlighter, theme]: [Highlighter, Theme] = await tools
  const removedRules = options.baseline === undefined ? undefined : await readRemoved(config, options.baseline).catch(async (error: unknown) => {
    await release()
    throw error
  })
  let site: Map<string, string>
  try {
    site = renderSite(spec, { title: config.title, lang: config.lang, theme, highlighter, removedRules, verification })
  } finally {
    highlighter.dispose()
  }
  log?.(`render done at ${since()}`)

  const outputs = new Map<string, string | Uint8Array>()
  for (const [page, html] of site) outputs.set(`site/${page}`, html)
  for (const [file, content] of await searchIndexFiles(spec, site, config.lang)) outputs.set(`site/${file}`, content)
  log?.(`search index done at ${since()}`)
  for (const asset of spec.assets) {
    if (!site.has(asset)) outputs.set(`site/${asset}`, await readFile(path.join(config.root, asset)))
  }
  const sources = spec.files.map((file) => ({ file: path.relative(config.root, path.resolve(config.cwd, file.path)).split(path.sep).join('/'), sha256: sourceDigest(String(file.value)) }))
  outputs.set('rules.json', rulesJsonToString(indexToRulesJson(spec.index, sources)))
  await writeOutputsAtomically(config.outDir, outputs)
  log?.(`write done at ${since()}: ${outputs.size} files in ${path.relative(config.cwd, config.outDir) || '.'}`)
  return matrix === undefined ? { ...result, written: true } : { ...result, written: true, matrix }
}

/** What the matrix says of each rule, for the pages. */
function matrixToVerification(matrix: Matrix): Map<string, RuleVerification> {
  return new Map(
    matrix.rules.map((row) => [
      row.id,
      { verdict: row.verdict, tests: row.tests.map((test) => ({ title: test.title, status: test.status, place: test.line === null ? test.file : `${test.file}:${test.line}`, suspect: test.suspect })) },
    ]),
  )
}

/** The rules of the baseline, for the rules page; unreadable or malformed, an input error naming it. */
async function readRemoved(config: ResolvedConfig, file: string): Promise<RemovedRules> {
  let text: string
  try {
    text = await readFile(path.resolve(config.cwd, file), 'utf8')
  } catch (error) {
    throw new MatrixInputError(`cannot read the baseline \`${file}\`: ${(error as Error).message}`)
  }
  try {
    return { since: file, ids: [...readBaseline(text, file).rules.keys()].sort() }
  } catch (error) {
    throw new MatrixInputError((error as Error).message)
  }
}

export interface CheckOptions {
  config: ResolvedConfig
  strict?: boolean
  reader?: SpecReader
}

/** Check the book: every diagnostic of a build, nothing written. */
export async function check(options: CheckOptions): Promise<{ files: VFile[]; counts: Counts }> {
  const { spec, counts } = await compileAndCount(options)
  return { files: spec.files, counts }
}

async function compileAndCount(options: CheckOptions, log?: (line: string) => void) {
  const spec = await compileSpec(options.config, options.reader ?? fsSpecReader(options.config.root), { log })
  if (options.strict) makeWarningsErrors(spec.files)
  return { spec, counts: countMessages(spec.files) }
}
