import { mkdir, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { writeMatrixInputs } from './matrix-inputs.ts'
import { label, lastJson, measure, median, repository, runs, series } from './measure.ts'

/** The matrix issue's targets. */
const targets = { allSeconds: 5, allRssMb: 1024, quickSeconds: 1 }

interface ExporterFigures {
  readMs: number
  buildMs: number
  makeMatrixMs: number
  exporters: Record<string, { ms: number[]; mb: number }>
  rows: number
  tests: number
  links: number
  findings: number
}

/**
 * The matrix figures, in `work`:
 *
 * 1. Generate the inputs (matrix-inputs.ts) and print what was generated.
 * 2. Time `ferrule matrix` with all formats, then with `--format json,csv,html`, each in `runs`
 *    fresh processes, in a working folder with no config file.
 * 3. Time reading + building and each exporter alone, in one process (matrix-exporters.ts).
 * 4. Print whether the targets hold.
 */
export async function benchMatrix(work: string): Promise<void> {
  // 1.
  const { inputs, stats } = await writeMatrixInputs(path.join(work, 'matrix'))
  const { passed, failed, skipped } = stats.statuses
  console.log(
    `matrix inputs: ${stats.rules} rules (${stats.threats} threats linking ${stats.mitigations} mitigations) in ${stats.chapters} chapters, ` +
      `${stats.tests} test results in ${stats.testFiles} files (${passed} passed, ${failed} failed, ${skipped} skipped), ` +
      `${stats.links} (test, rule) links, ${stats.uncoveredRequirements} requirements named by no test; ` +
      `rules.json ${stats.rulesMb.toFixed(1)} MB, vitest.json ${stats.resultsMb.toFixed(1)} MB`,
  )

  // 2.
  const out = path.join(work, 'matrix-out')
  await mkdir(out)
  const matrixRun = (formats: string[]) => [
    path.join(repository, 'bin/ferrule.js'), 'matrix', '--rules', inputs.rules, '--results', inputs.results, '--tests', inputs.tests,
    '--root', inputs.root, '--out', out, '--quiet', ...formats,
  ]
  const all = await series('ferrule matrix, 5 formats', matrixRun([]), inputs.cwd)
  const written = await Promise.all(
    (await readdir(path.join(out, 'matrix'))).sort().map(async (name) => `${name} ${((await stat(path.join(out, 'matrix', name))).size / 1e6).toFixed(1)}`),
  )
  console.log(`${label('  wrote (MB)')} ${written.join(', ')}`)
  const quick = await series('matrix, json+csv+html', matrixRun(['--format', 'json,csv,html']), inputs.cwd)

  // 3.
  const exporting = await measure(['--import', 'tsx', path.join(repository, 'tools/bench/matrix-exporters.ts'), inputs.cwd, inputs.rules, inputs.results, inputs.tests, inputs.root])
  const figures = lastJson<ExporterFigures>(exporting)
  if (figures.links !== stats.links || figures.tests !== stats.tests || figures.rows !== stats.rules) {
    throw new Error(`The matrix has ${figures.rows} rules, ${figures.tests} tests and ${figures.links} links; generated ${stats.rules}, ${stats.tests} and ${stats.links}`)
  }
  console.log(
    `In one process (matrix-exporters.ts, ${exporting.seconds.toFixed(1)} s wall, peak RSS ${exporting.rssMb.toFixed(0)} MB; ` +
      `exporters as the CLI runs them, JSON, CSV, HTML and ReqIF in pieces encoded as they come, not written: median of ${runs} runs in a row, the first being the cold one that a CLI run pays):`,
  )
  console.log(`${label('  read inputs')} ${figures.readMs.toFixed(0)} ms`)
  console.log(`${label('  build matrix')} ${figures.buildMs.toFixed(0)} ms (${figures.rows} rows, ${figures.links} links, ${figures.findings} findings)`)
  console.log(`${label('  makeMatrix, no formats')} ${figures.makeMatrixMs.toFixed(0)} ms (read + build + rules.json + evidence.json + write; warm, once)`)
  const medians: Record<string, number> = {}
  for (const [name, { ms, mb }] of Object.entries(figures.exporters)) {
    medians[name] = median(ms)
    console.log(`${label(`  ${name}`)} ${medians[name]!.toFixed(0)} ms (runs: ${ms.map((value) => value.toFixed(0)).join(', ')}), ${mb.toFixed(1)} MB`)
  }

  // 4.
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met')
  const allOk = all.seconds < targets.allSeconds && all.rssMb < targets.allRssMb
  console.log(
    `all formats: ${all.seconds.toFixed(2)} s wall, peak RSS ${all.rssMb.toFixed(0)} MB ` +
      `(target < ${targets.allSeconds} s and < ${targets.allRssMb} MB: ${met(allOk)})`,
  )
  const exportersMs = medians.json! + medians.csv! + medians.html!
  const judgedSeconds = (figures.readMs + figures.buildMs + exportersMs) / 1000
  console.log(
    `json+csv+html: ${judgedSeconds.toFixed(2)} s in process = read ${figures.readMs.toFixed(0)} + build ${figures.buildMs.toFixed(0)} + ` +
      `exporters ${exportersMs.toFixed(0)} ms (target < ${targets.quickSeconds} s, judged on this sum: ${met(judgedSeconds < targets.quickSeconds)}; ` +
      `on the three exporters alone: ${met(exportersMs / 1000 < targets.quickSeconds)}); whole process ${quick.seconds.toFixed(2)} s wall`,
  )
}
