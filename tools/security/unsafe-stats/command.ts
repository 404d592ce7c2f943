import { parseArgs } from 'node:util'
import { defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { CrateReadError, readCrate } from '../sandpit/index.ts'
import { type CrateUnsafeStats, crateUnsafeStats, unsafeShare } from './crate-stats.ts'

const usage = `Usage: cratesec unsafe-stats PATH... [--json]

Counts safe and unsafe functions, methods, impls and traits and unsafe blocks of crates
(spec: unsafe-statistics.md). Each PATH is a .crate file or a crate's source folder.

  --json   print [{"crate", "functions": {"safe", "unsafe"}, "blocks": {"unsafe"}, "impls": {"safe", "unsafe"},
           "traits": {"safe", "unsafe"}, "methods": {"safe", "unsafe"}, "has_unsafe", "total_unsafe"}]

Exit status: 0 done, 2 bad usage or a PATH that cannot be read.
`

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help) return 'help' as const
  if (positionals.length === 0) throw new UsageError('expected at least one PATH')
  return { paths: positionals, json: values.json === true }
}

const columns = ['crate', 'functions', 'methods', 'unsafe blocks', 'impls', 'traits', 'total unsafe'] as const

/** The table of `cratesec unsafe-stats`: a row per crate, `safe/unsafe` pairs, then the share that uses unsafe. */
export function unsafeStatsTable(stats: readonly CrateUnsafeStats[]): string {
  const rows = stats.map((crate) => [
    crate.crate,
    `${crate.functions.safe}/${crate.functions.unsafe}`,
    `${crate.methods.safe}/${crate.methods.unsafe}`,
    String(crate.blocks.unsafe),
    `${crate.impls.safe}/${crate.impls.unsafe}`,
    `${crate.traits.safe}/${crate.traits.unsafe}`,
    String(crate.total_unsafe),
  ])
  const widths = columns.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd()
  const share = unsafeShare(stats)
  return [
    line(columns),
    ...rows.map(line),
    '',
    '(functions, methods, impls and traits as safe/unsafe)',
    `${share.withUnsafe} of ${share.crates} crate${share.crates === 1 ? '' : 's'} use unsafe (share ${share.share})`,
    '',
  ].join('\n')
}

/** `cratesec unsafe-stats` (`unsafe-stats.cli`). */
export const unsafeStatsCommand = defineCommand({
  name: 'unsafe-stats',
  summary: 'count the safe and unsafe functions, blocks, impls, traits and methods of crates',
  usage,
  parse,
  async execute(options, io) {
    const stats: CrateUnsafeStats[] = []
    let unreadable = 0
    for (const path of options.paths) {
      try {
        stats.push(crateUnsafeStats(await readCrate(path)))
      } catch (error) {
        if (!(error instanceof CrateReadError)) throw error
        unreadable++
        io.stderr(`cratesec unsafe-stats: ${error.message}\n`)
      }
    }
    io.stdout(options.json ? `${JSON.stringify(stats, null, 2)}\n` : unsafeStatsTable(stats))
    return unreadable > 0 ? exitCodes.unusable : exitCodes.ok
  },
})
