import { parseArgs } from 'node:util'
import { defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { CrateReadError } from './crate-files.ts'
import { DEFAULT_THRESHOLD } from './options.ts'
import { readCrate } from './read-crate.ts'
import { type ScanReport, scanCrate } from './scan.ts'

const usage = `Usage: cratesec scan PATH... [--threshold N] [--json]

Scans crates for the behaviour of malicious crates (spec: heuristics.md). Each PATH is a .crate
file or a crate's source folder.

  --threshold N   the score at or above which a crate is suspicious (default ${DEFAULT_THRESHOLD})
  --json          print [{"crate", "score", "verdict": "suspicious"|"clean", "findings": [{"heuristic", "file", "line", "evidence"}]}]

Exit status: 0 every crate is clean, 1 some crate is suspicious, 2 bad usage or a PATH that cannot be read.
`

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { threshold: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help) return 'help' as const
  if (positionals.length === 0) throw new UsageError('expected at least one PATH')
  const threshold = values.threshold === undefined ? DEFAULT_THRESHOLD : Number(values.threshold)
  if (!/^[0-9]+$/.test(values.threshold ?? '0') || !Number.isSafeInteger(threshold)) throw new UsageError(`--threshold: expected a non-negative integer, got \`${values.threshold}\``)
  return { paths: positionals, threshold, json: values.json === true }
}

/** `cratesec scan` (`heur.cli`). */
export const scanCommand = defineCommand({
  name: 'scan',
  summary: 'scan .crate files or source folders for the behaviour of malicious crates',
  usage,
  parse,
  async execute(options, io) {
    const reports: { path: string; report: ScanReport }[] = []
    let unreadable = 0
    for (const path of options.paths) {
      try {
        reports.push({ path, report: scanCrate(await readCrate(path), { threshold: options.threshold }) })
      } catch (error) {
        if (!(error instanceof CrateReadError)) throw error
        unreadable++
        io.stderr(`cratesec scan: ${error.message}\n`)
      }
    }
    if (options.json) {
      const json = reports.map(({ report }) => ({
        crate: report.crate,
        score: report.score,
        verdict: report.verdict,
        findings: report.findings.map(({ heuristic, file, line, evidence }) => ({ heuristic, file, line, evidence })),
      }))
      io.stdout(`${JSON.stringify(json, null, 2)}\n`)
    } else {
      for (const { path, report } of reports) {
        io.stdout(`${report.crate} (${path}): ${report.verdict}, score ${report.score} (threshold ${report.threshold})\n`)
        for (const finding of report.findings) io.stdout(`  ${finding.file}${finding.line === null ? '' : `:${finding.line}`} ${finding.heuristic}: ${finding.evidence}\n`)
        for (const [heuristic, count] of Object.entries(report.suppressed)) io.stdout(`  ${heuristic}: ${count} more not shown\n`)
        for (const note of report.notes) io.stdout(`  note: ${note}\n`)
      }
    }
    if (unreadable > 0) return exitCodes.unusable
    return reports.some(({ report }) => report.verdict === 'suspicious') ? exitCodes.found : exitCodes.ok
  },
})
