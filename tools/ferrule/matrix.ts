import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { VFile } from 'vfile'
import type { CompiledSpec } from './compile/compile.ts'
import { indexToRulesJson, rulesJsonToString, sourceDigest, type RulesJson, type RulesJsonSource } from './compile/rules-json.ts'
import type { ResolvedConfig } from './config.ts'
import { countMessages, type Counts } from './report.ts'
import { stageOutputs } from './site/atomic-write.ts'
import { canonicalJson } from './trace/canonical-json.ts'
import { evidenceOfDigests, sha256, signEvidence } from './trace/evidence.ts'
import { startExportWorker, type ExportWorker, type WorkerFormat } from './trace/export-worker.ts'
import { matrixToCsvChunks } from './trace/exporters/csv.ts'
import { matrixToJsonChunks } from './trace/exporters/json.ts'
import { findingsToFiles } from './trace/findings-to-files.ts'
import { buildMatrix, fingerprintsOf, ranAgainst, rulesJsonToTraceRules } from './trace/matrix.ts'
import { scanReferences } from './trace/references.ts'
import { isJunitXml } from './trace/junit-sniff.ts'
import { rustJsonToResults } from './trace/results-rust.ts'
import { vitestJsonToResults } from './trace/results-vitest.ts'
import { readBaseline } from './trace/rules-diff.ts'
import type { Finding, Matrix, TestResult, Verdict, Waiver } from './trace/types.ts'

/** The formats `--format` may list. */
export const matrixFormats = ['json', 'csv', 'xlsx', 'reqif', 'html'] as const
export type MatrixFormat = (typeof matrixFormats)[number]

// XLSX, the slowest export, is made in a worker thread while this one makes JSON, CSV, HTML and
// ReqIF, which take about as long (with HTML in the worker too, the worker finished last); a second
// worker would hold a second copy of the matrix.
const workerFormats: readonly WorkerFormat[] = ['xlsx']

/** What `--fail-on` may list: a verdict, or `suspect` for any suspect link. */
export type FailOn = Verdict | 'suspect'

export interface MatrixOptions {
  config: ResolvedConfig
  /** The rules inventory (default: `rules.json` in the output folder; the book is compiled when there is none). */
  rules?: string
  /** vitest JSON, rust.json and JUnit XML files (default: `test-results/vitest.json` and `rust.json` under the output folder). */
  results?: string[]
  /** Folders scanned for `//@ reference:` tags (default: `test`). */
  tests?: string[]
  /** Waivers file (default: `waivers.yaml` beside SUMMARY.md, when there is one). */
  waivers?: string
  /** A `rules.json` or `matrix.json` of the last release. */
  baseline?: string
  formats?: readonly MatrixFormat[]
  /** Ed25519 private key (PEM) to sign `evidence.json` with. */
  signKey?: string
  /** The book, when the caller compiled it already. */
  spec?: CompiledSpec
  /** The configuration file the book was configured with, if any: an input, since it sets kinds and owners. */
  configFile?: string
  version: string
}

/** Input the matrix cannot be made from: exit status 2, with a message naming the file. */
export class MatrixInputError extends Error {}

export interface MatrixResult {
  matrix: Matrix | undefined
  /** Spec diagnostics and findings, as files with messages, for the reporter. */
  files: VFile[]
  counts: Counts
  /** Files written, relative to the output folder. */
  written: string[]
}

const schemaFile = fileURLToPath(new URL('../../schemas/matrix.schema.json', import.meta.url))

/**
 * Make the certification matrix from the inputs `options` name, and write it to `matrix/` in the
 * output folder. The XLSX export is made in a worker thread (`export-worker.ts`).
 */
export async function makeMatrix(options: MatrixOptions): Promise<MatrixResult> {
  const formats = new Set(options.formats ?? matrixFormats)
  // The worker's exports start first, so that it boots while the inputs are read.
  const inWorker = workerFormats.filter((format) => formats.has(format))
  const worker = inWorker.length > 0 ? startExportWorker(inWorker) : undefined
  try {
    return await makeMatrixWith(options, formats, worker, inWorker)
  } finally {
    await worker?.stop()
  }
}

/**
 * The phases of `makeMatrix`, once its export workers are started:
 *
 * 1. Take the rules inventory: from the compiled book when the caller has it, else `rules.json`,
 *    else compile the book (stopping on errors). The chapters and SUMMARY.md are inputs too.
 * 2. Read the results, the `//@ reference:` tags, the waivers and the baseline.
 * 3. Build the matrix.
 * 4. Export each format (handing the matrix to the worker first), then `evidence.json` over the inputs and exports (signed when asked).
 * 5. Swap `matrix/` into the output folder only once every file is written.
 */
async function makeMatrixWith(options: MatrixOptions, formats: ReadonlySet<MatrixFormat>, worker: ExportWorker | undefined, inWorker: readonly WorkerFormat[]): Promise<MatrixResult> {
  const { config } = options
  // Loaded while the inputs are read: it is a few modules (hast-util-to-html and its kin).
  const htmlExporter = formats.has('html') ? import('./trace/exporters/html.ts') : undefined
  // Awaited where the HTML is made, if the run gets so far.
  htmlExporter?.catch(() => {})
  const cwdRelative = (file: string) => path.relative(config.cwd, path.resolve(config.cwd, file)).split(path.sep).join('/')
  /** SHA-256 of each input, by its path relative to the working folder. */
  const inputs = new Map<string, string>()
  // A file named twice (the rules inventory is also the results folder's snapshot, say) is read once.
  const texts = new Map<string, Promise<string>>()
  const read = (file: string, what: string): Promise<string> => {
    const absolute = path.resolve(config.cwd, file)
    let text = texts.get(absolute)
    if (!text) texts.set(absolute, (text = readInput(file, what)))
    return text
  }
  const readInput = async (file: string, what: string): Promise<string> => {
    try {
      // Hashed as the bytes on disk, which `ferrule verify` and sha256sum read (not as the text they
      // decode to: bytes that are not UTF-8 would not come back the same).
      const bytes = await readFile(path.resolve(config.cwd, file))
      inputs.set(cwdRelative(file), sha256(bytes))
      return bytes.toString('utf8')
    } catch (error) {
      throw new MatrixInputError(`cannot read ${what} \`${file}\`: ${(error as Error).message}`)
    }
  }

  // 1. The rules.
  const rulesFile = options.rules ?? path.join(config.outDir, 'rules.json')
  let inventory: RulesJson
  // The file the inventory was read from; none when it was compiled.
  let inventoryFile: string | undefined
  if (options.spec || (!options.rules && !existsSync(rulesFile))) {
    // Loaded only here: the Markdown pipeline takes a second to load, and a matrix from rules.json needs none of it.
    const spec = options.spec ?? (await compileFromDisk(config))
    const counts = countMessages(spec.files)
    if (counts.errors > 0) return { matrix: undefined, files: spec.files, counts, written: [] }
    inventory = indexToRulesJson(spec.index)
  } else {
    inventory = readInventory(await read(rulesFile, 'the rules inventory'), cwdRelative(rulesFile))
    inventoryFile = path.resolve(config.cwd, rulesFile)
  }
  if (options.configFile) await read(options.configFile, 'the configuration file')
  // The book's files, each read once: for the evidence, and for the inventory's record of them.
  const bookFiles = new Map<string, Buffer>()
  for (const chapter of ['SUMMARY.md', ...new Set(inventory.rules.map((rule) => rule.chapter))]) {
    const file = path.join(config.root, chapter)
    if (!existsSync(file)) continue
    const bytes = await readFile(file)
    bookFiles.set(chapter, bytes)
    inputs.set(cwdRelative(file), sha256(bytes))
  }
  if (inventory.sources) await checkSources(inventory.sources, cwdRelative(rulesFile), config, bookFiles)

  // 2. Inputs.
  const findings: Finding[] = []
  const { tests, findings: resultFindings } = await readResults(options, config, read, { file: inventoryFile, rules: inventory })
  findings.push(...resultFindings)
  // A folder named on purpose must be there: a misspelt one would trace no tag, silently.
  const missingFolder = options.tests?.find((folder) => !existsSync(path.resolve(config.cwd, folder)))
  if (missingFolder !== undefined) throw new MatrixInputError(`no test folder \`${missingFolder}\` to scan for \`//@ reference:\` tags`)
  const folders = (options.tests ?? ['test']).filter((folder) => existsSync(path.resolve(config.cwd, folder)))
  const scanned = await scanReferences(folders, config.cwd)
  findings.push(...scanned.findings)
  for (const file of new Set(scanned.tags.map((tag) => tag.file))) await read(file, 'the test file')
  const ruleIds = new Set(inventory.rules.map((rule) => rule.id))
  const waiversFile = options.waivers ?? (existsSync(path.join(config.root, 'waivers.yaml')) ? path.join(config.root, 'waivers.yaml') : undefined)
  const waivers = new Map<string, Waiver & { file: string; line: number }>()
  if (waiversFile) {
    const name = cwdRelative(waiversFile)
    // Loaded only here: the YAML parser takes a tenth of the command's start, and most runs have no waivers.
    const { parseWaivers } = await import('./trace/waivers.ts')
    const parsed = parseWaivers(await read(waiversFile, 'the waivers file'), name, ruleIds)
    findings.push(...parsed.findings)
    for (const [id, waiver] of parsed.waivers) waivers.set(id, { ...waiver, file: name })
  }
  let baseline = null
  if (options.baseline) {
    try {
      baseline = readBaseline(await read(options.baseline, 'the baseline'), options.baseline)
    } catch (error) {
      throw error instanceof MatrixInputError ? error : new MatrixInputError((error as Error).message)
    }
  }

  // 3. The matrix.
  const matrix = buildMatrix({ title: config.title, rules: rulesJsonToTraceRules(inventory), tests, references: scanned.tags, waivers, baseline, findings })

  // 4. Exports and evidence.
  // Each export is written as soon as it is made, and hashed as the bytes written, so that a large
  // matrix's exports are never all held at once; nothing is in place before the last is written.
  let staging: Awaited<ReturnType<typeof stageOutputs>>
  try {
    staging = await stageOutputs(config.outDir)
  } catch (error) {
    throw new MatrixInputError(`cannot write into the output folder \`${path.relative(config.cwd, config.outDir) || '.'}\`: ${(error as Error).message}`)
  }
  const outputs = new Map<string, string>()
  // A whole export is written while the next is made, and awaited (with every other) before the evidence.
  const writing: Promise<void>[] = []
  const output = async (name: string, content: string | Uint8Array | Iterable<string>) => {
    if (typeof content === 'string' || content instanceof Uint8Array) {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content
      outputs.set(name, sha256(bytes))
      const written = staging.write(`matrix/${name}`, bytes)
      // Rejected before it is awaited: not an unhandled rejection, since `Promise.all` below hears of it.
      written.catch(() => {})
      writing.push(written)
      return
    }
    // Pieces made one by one (JSON's, CSV's, HTML's and ReqIF's), hashed and written as they come.
    const hash = createHash('sha256')
    await staging.write(`matrix/${name}`, content, (bytes) => hash.update(bytes))
    outputs.set(name, hash.digest('hex'))
  }
  try {
    // The worker has the matrix first.
    worker?.run(matrix)
    if (formats.has('json')) {
      await output('matrix.json', matrixToJsonChunks(matrix))
      await output('matrix.schema.json', await readFile(schemaFile))
    }
    if (formats.has('csv')) await output('matrix.csv', matrixToCsvChunks(matrix))
    if (htmlExporter) await output('matrix.html', (await htmlExporter).matrixToHtmlChunks(matrix))
    if (formats.has('reqif')) await output('matrix.reqif', (await import('./trace/exporters/reqif.ts')).matrixToReqifChunks(matrix))
    for (const format of inWorker) await output(`matrix.${format}`, await worker!.result(format))
    // The rules inventory the matrix was made from: the next release's baseline.
    await output('rules.json', rulesJsonToString(inventory))
    let evidence = evidenceOfDigests(options.version, inputs, outputs)
    if (options.signKey) {
      const key = await read(options.signKey, 'the signing key')
      inputs.delete(cwdRelative(options.signKey))
      evidence = evidenceOfDigests(options.version, inputs, outputs)
      try {
        evidence = signEvidence(evidence, key)
      } catch (error) {
        throw new MatrixInputError(`cannot sign with \`${options.signKey}\`: ${(error as Error).message}`)
      }
    }
    await output('evidence.json', canonicalJson(evidence, 2) + '\n')
    await Promise.all(writing)
  } catch (error) {
    // No write may still be going on in the staging folder as it is removed.
    await Promise.allSettled(writing)
    await staging.abort()
    throw error
  }

  // 5. Swap into place.
  await staging.commit()
  const files = findingsToFiles(matrix.findings, config.cwd)
  return { matrix, files, counts: countMessages(files), written: [...outputs.keys()].map((name) => `matrix/${name}`).sort() }
}

/** The rules inventory, and the file it was read from (none when it was compiled). */
interface Inventory {
  file: string | undefined
  rules: RulesJson
}

/** Read every result file; a results folder's `rules.json` says which rule texts its tests ran against. */
async function readResults(
  options: MatrixOptions,
  config: ResolvedConfig,
  read: (file: string, what: string) => Promise<string>,
  inventory: Inventory,
): Promise<{ tests: TestResult[]; findings: Finding[] }> {
  const defaults = ['vitest.json', 'rust.json'].map((name) => path.join(config.outDir, 'test-results', name)).filter((file) => existsSync(file))
  const files = options.results && options.results.length > 0 ? options.results : defaults
  if (files.length === 0) {
    throw new MatrixInputError(`no test results in \`${path.relative(config.cwd, path.join(config.outDir, 'test-results')) || '.'}\`: run \`npm test\` first, or name result files with --results`)
  }
  const tests: TestResult[] = []
  const findings: Finding[] = []
  const snapshots = new Map<string, Readonly<Record<string, string>> | null>()
  for (const file of files) {
    const text = await read(file, 'the results file')
    const name = path.relative(config.cwd, path.resolve(config.cwd, file)).split(path.sep).join('/')
    if (isJunitXml(text)) {
      const { junitToResults } = await import('./trace/results-junit.ts')
      try {
        const junit = junitToResults(text, name, config.cwd)
        tests.push(...junit.tests)
        findings.push(...junit.findings)
      } catch (error) {
        throw new MatrixInputError((error as Error).message)
      }
      continue
    }
    let found: TestResult[]
    try {
      if (/"testResults"\s*:/.test(text)) {
        const vitest = vitestJsonToResults(text, name, config.cwd)
        found = vitest.tests
        findings.push(...vitest.findings)
      } else {
        found = rustJsonToResults(text, name, config.root, config.cwd)
      }
    } catch (error) {
      throw new MatrixInputError(`${(error as Error).message}; --results takes vitest JSON, rust.json and JUnit XML files`)
    }
    const folder = path.dirname(path.resolve(config.cwd, file))
    if (!snapshots.has(folder)) snapshots.set(folder, await readSnapshot(folder, read, inventory))
    ranAgainst(found, snapshots.get(folder) ?? null)
    for (const test of found) tests.push(test)
  }
  return { tests, findings }
}

/**
 * The rule fingerprints of a results folder's `rules.json`: the rule texts its tests ran against.
 * When it is the rules inventory itself, the inventory read already.
 */
async function readSnapshot(folder: string, read: (file: string, what: string) => Promise<string>, inventory: Inventory): Promise<Record<string, string> | null> {
  const file = path.join(folder, 'rules.json')
  if (inventory.file === file) return fingerprintsOf(inventory.rules.rules)
  if (!existsSync(file)) return null
  try {
    return fingerprintsOf((JSON.parse(await read(file, 'the rules the tests ran against')) as { rules: Array<{ id: string; fingerprint: string }> }).rules)
  } catch {
    throw new MatrixInputError(`\`${path.relative(process.cwd(), file)}\` is not a rules.json`)
  }
}

/**
 * An inventory that says what it was made from must have been made from the book as it is: a
 * matrix of old rules would otherwise come with evidence naming the new chapters.
 */
async function checkSources(sources: readonly RulesJsonSource[], name: string, config: ResolvedConfig, read: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const source of sources) {
    let text: string | undefined
    try {
      text = (read.get(source.file) ?? (await readFile(path.join(config.root, source.file)))).toString('utf8')
    } catch {
      text = undefined
    }
    if (text === undefined || sourceDigest(text) !== source.sha256) {
      const what = text === undefined ? 'is gone' : 'changed'
      throw new MatrixInputError(`${name} is out of date: \`${source.file}\` ${what} since it was made; run \`ferrule build\` (\`npm run build\`) again to make it from the book as it is`)
    }
  }
}

function readInventory(text: string, name: string): RulesJson {
  let value: RulesJson
  try {
    value = JSON.parse(text) as RulesJson
  } catch (error) {
    throw new MatrixInputError(`${name}: not JSON (${(error as Error).message}); expected the rules.json of \`ferrule build\``)
  }
  const valid = Array.isArray(value?.rules) && value.rules.every((rule) => typeof rule?.id === 'string' && typeof rule.fingerprint === 'string' && Array.isArray(rule.links))
  if (!valid) throw new MatrixInputError(`${name}: expected the rules.json of \`ferrule build\` (this version: every rule with \`links\` and \`owner\`); run \`npm run build\` again`)
  return value
}

/** Whether the matrix passes the gate; each reason it does not, for the command's output. */
export function gateFailures(matrix: Matrix, minCoverage: number | undefined, failOn: readonly FailOn[]): string[] {
  const failures: string[] = []
  const { coverage, counts, rules } = matrix.summary.overall
  // On the counts, not on the rounded percentage: one uncovered rule in 20,001 is 99.995 %, shown as 100.
  const covered = counts.verified + counts.waived + counts.mitigated
  if (minCoverage !== undefined && covered * 100 < minCoverage * rules) failures.push(`coverage ${coverage}% (${covered} of ${rules} rules) is below --min-coverage ${minCoverage}%`)
  for (const what of failOn) {
    const count =
      what === 'suspect'
        ? matrix.rules.reduce((sum, row) => sum + row.tests.filter((test) => test.suspect).length, 0)
        : matrix.summary.overall.counts[what]
    if (count > 0) failures.push(`${count} ${what === 'suspect' ? `suspect link${count === 1 ? '' : 's'}` : `${what} rule${count === 1 ? '' : 's'}`} (--fail-on ${what})`)
  }
  return failures
}

async function compileFromDisk(config: ResolvedConfig): Promise<CompiledSpec> {
  const [{ compileSpec }, { fsSpecReader }] = await Promise.all([import('./compile/compile.ts'), import('./site/fs-reader.ts')])
  return compileSpec(config, fsSpecReader(config.root))
}
