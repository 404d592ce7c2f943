/**
 * Time the matrix's exporters alone, in one process, on inputs from matrix-inputs.ts.
 *
 * 1. Read the inputs and build the matrix once, as `makeMatrix` does for them (its reading is
 *    repeated here with the same parsers, so that reading and building are timed apart); time both.
 * 2. Run each exporter `BENCH_RUNS` times in a row as `ferrule matrix` runs it (JSON, CSV, HTML and
 *    ReqIF in pieces, each encoded into a reused buffer as the writer does, without the writing;
 *    XLSX whole), dropping its output in between; keep each run's time and the output's size.
 * 3. Run `makeMatrix` itself once with no formats (reading, building, `rules.json` and
 *    `evidence.json`: the part of every run that is no exporter), and check that its matrix is the
 *    one timed here, byte for byte as `matrix.json`.
 * 4. Print `{"readMs", "buildMs", "makeMatrixMs", "exporters": {NAME: {"ms": [...], "mb"}}, ...}` on stdout.
 *
 * Usage: node --import tsx tools/bench/matrix-exporters.ts CWD RULES RESULTS TESTS ROOT
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { RulesJson } from '../ferrule/compile/rules-json.ts'
import { resolveConfig } from '../ferrule/config.ts'
import { makeMatrix } from '../ferrule/matrix.ts'
import { matrixToCsvChunks } from '../ferrule/trace/exporters/csv.ts'
import { matrixToHtmlChunks } from '../ferrule/trace/exporters/html.ts'
import { matrixToJson, matrixToJsonChunks } from '../ferrule/trace/exporters/json.ts'
import { matrixToReqifChunks } from '../ferrule/trace/exporters/reqif.ts'
import { matrixToXlsx } from '../ferrule/trace/exporters/xlsx.ts'
import { buildMatrix, fingerprintsOf, ranAgainst, rulesJsonToTraceRules } from '../ferrule/trace/matrix.ts'
import { vitestJsonToResults } from '../ferrule/trace/results-vitest.ts'
import type { Matrix } from '../ferrule/trace/types.ts'

const [cwd, rulesFile, resultsFile, testsFolder, root] = process.argv.slice(2)
if (!cwd || !rulesFile || !resultsFile || !testsFolder || !root) throw new Error('Usage: matrix-exporters.ts CWD RULES RESULTS TESTS ROOT')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const config = resolveConfig(cwd, {}, { root, outDir: path.join(cwd, 'exporters-out') })

// 1. Read and build, as makeMatrix does for these inputs: no tags, waivers or baseline.
let started = performance.now()
const inventory = JSON.parse(await readFile(rulesFile, 'utf8')) as RulesJson
const rules = rulesJsonToTraceRules(inventory)
const resultsName = path.relative(cwd, resultsFile).split(path.sep).join('/')
const { tests } = vitestJsonToResults(await readFile(resultsFile, 'utf8'), resultsName, cwd)
const snapshotFile = path.join(path.dirname(resultsFile), 'rules.json')
const snapshot =
  path.resolve(snapshotFile) === path.resolve(rulesFile) ? inventory : existsSync(snapshotFile) ? (JSON.parse(await readFile(snapshotFile, 'utf8')) as RulesJson) : undefined
ranAgainst(tests, snapshot ? fingerprintsOf(snapshot.rules) : null)
const readMs = performance.now() - started
started = performance.now()
const matrix = buildMatrix({ title: config.title, rules, tests, references: [], waivers: new Map(), baseline: null, findings: [] })
const buildMs = performance.now() - started

// 2. Each exporter, as `ferrule matrix` runs it: JSON, CSV, HTML and ReqIF in pieces, each encoded
// into a reused buffer as its writer does (the writing to disk left out), XLSX whole.
const buffer = Buffer.allocUnsafe(4 << 20)
const encoded = (pieces: Iterable<string>) => {
  let bytes = 0
  for (const piece of pieces) bytes += piece.length * 3 <= buffer.length ? buffer.write(piece) : Buffer.from(piece).byteLength
  return bytes
}
const exporters: Record<string, (matrix: Matrix) => number | Promise<number>> = {
  json: (matrix) => encoded(matrixToJsonChunks(matrix)),
  csv: (matrix) => encoded(matrixToCsvChunks(matrix)),
  html: (matrix) => encoded(matrixToHtmlChunks(matrix)),
  xlsx: async (matrix) => (await matrixToXlsx(matrix)).byteLength,
  reqif: (matrix) => encoded(matrixToReqifChunks(matrix)),
}
const timed: Record<string, { ms: number[]; mb: number }> = {}
for (const [name, exporter] of Object.entries(exporters)) {
  const ms: number[] = []
  let bytes = 0
  for (let run = 0; run < runs; run++) {
    started = performance.now()
    // A copy of the matrix's top for each run: the tests linked to no rule, found once per matrix and
    // then kept for the next exporter (`unlinkedTests`), are found again in each run of each exporter.
    bytes = await exporter({ ...matrix })
    ms.push(performance.now() - started)
  }
  timed[name] = { ms, mb: bytes / 1e6 }
}
const json = matrixToJson(matrix)

// 3. The real driver, for the cost outside the exporters and to check that the same matrix was timed.
started = performance.now()
const made = await makeMatrix({ config, rules: rulesFile, results: [resultsFile], tests: [testsFolder], formats: [], version: 'bench' })
const makeMatrixMs = performance.now() - started
if (!made.matrix || matrixToJson(made.matrix) !== json) throw new Error('Bug in the bench: the matrix built here differs from the one makeMatrix builds')

// 4.
const links = matrix.rules.reduce((sum, row) => sum + row.tests.length, 0)
console.log(JSON.stringify({ readMs, buildMs, makeMatrixMs, exporters: timed, rows: matrix.rules.length, tests: matrix.tests.length, links, findings: matrix.findings.length }))
