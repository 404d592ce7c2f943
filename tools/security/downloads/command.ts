import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { validateCrateName } from '../crate-name/index.ts'
import { type CommandIo, defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import type { DownloadCount } from './count-log.ts'
import { countLogFiles, type FileReport, MissingInputError } from './count-files.ts'
import { isCalendarDate } from './dates.ts'
import { isSemver } from './semver.ts'
import { openSqliteStore } from './sqlite-store.ts'
import type { CrateVersion, DownloadStore } from './store.ts'

/** Where the counts are kept when no `--db` is given (relative to the working folder). */
export const DEFAULT_DATABASE = 'data/downloads.sqlite'

const usage = `Usage: cratesec downloads count LOG... [--db FILE] [--versions FILE] [--json]
       cratesec downloads show [--db FILE] [--day YYYY-MM-DD] [--unknown] [--json]
       cratesec downloads top --day YYYY-MM-DD [--db FILE] [--limit N] [--json]

Counts crate downloads from CDN logs into a database (spec: download-counting.md).

  count            count each log (CloudFront or Fastly; .gz, .zst, .zstd, .log or .txt) once
                   and add its counts per (day, crate, version) in one transaction with the
                   record that it was processed; a log processed before is skipped
  show             print every stored count, of known versions (--unknown: of the others)
  top              print the crates most downloaded on a day, all their versions together
  --db FILE        the SQLite database (default ${DEFAULT_DATABASE}; created by count)
  --versions FILE  a JSON array of {"crate", "version"} to make known before counting
  --day D          only that UTC day
  --limit N        how many crates top prints (default 10)
  --json           count: {"files": [{"path", "status", "error"?, "skipped", "samples"}],
                   "added": [{"day", "crate", "version", "count"}], "unknown": [...]};
                   show: [{"day", "crate", "version", "count"}]; top: [{"crate", "count"}]

Exit status: 0 done, 1 when a log was refused, 2 bad usage or an input that cannot be read at all.
`

type Options =
  | { action: 'count'; logs: string[]; db: string; versions: string | undefined; json: boolean }
  | { action: 'show'; db: string; day: string | undefined; unknown: boolean; json: boolean }
  | { action: 'top'; db: string; day: string; limit: number; json: boolean }

function parse(args: readonly string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      versions: { type: 'string' },
      day: { type: 'string' },
      unknown: { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help'
  const [action, ...rest] = positionals
  const db = values.db ?? DEFAULT_DATABASE
  const json = values.json === true
  const only = (allowed: string[]) => {
    for (const flag of ['versions', 'day', 'unknown', 'limit'] as const) {
      if (values[flag] !== undefined && !allowed.includes(flag)) throw new UsageError(`--${flag} does not apply to \`downloads ${action}\``)
    }
  }
  if (values.day !== undefined && !isCalendarDate(values.day)) throw new UsageError(`--day: expected a date YYYY-MM-DD, got \`${values.day}\``)
  if (action === 'count') {
    only(['versions'])
    if (rest.length === 0) throw new UsageError('expected at least one LOG file')
    return { action, logs: rest, db, versions: values.versions, json }
  }
  if (action === 'show' || action === 'top') {
    if (rest.length > 0) throw new UsageError(`unexpected argument \`${rest[0]}\``)
    if (action === 'show') {
      only(['day', 'unknown'])
      return { action, db, day: values.day, unknown: values.unknown === true, json }
    }
    only(['day', 'limit'])
    if (values.day === undefined) throw new UsageError('expected --day YYYY-MM-DD')
    const limit = values.limit ?? '10'
    if (!/^[1-9][0-9]*$/.test(limit) || !Number.isSafeInteger(Number(limit))) throw new UsageError(`--limit: expected a positive integer, got \`${limit}\``)
    return { action, db, day: values.day, limit: Number(limit), json }
  }
  throw new UsageError(action === undefined ? 'expected an action: count, show or top' : `unknown action \`${action}\`, expected \`count\`, \`show\` or \`top\``)
}

/** `cratesec downloads` (`dl.cli`). */
export const downloadsCommand = defineCommand({
  name: 'downloads',
  summary: 'count crate downloads from CloudFront and Fastly logs into a database; show and rank them',
  usage,
  parse,
  async execute(options, io) {
    const unusable = (message: string) => {
      io.stderr(`cratesec downloads: ${message}\n`)
      return exitCodes.unusable
    }
    let versions: CrateVersion[] | undefined
    if (options.action === 'count' && options.versions !== undefined) {
      try {
        versions = parseVersions(JSON.parse(await readFile(options.versions, 'utf8')), options.versions)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        return unusable(code ? `${options.versions}: cannot read the versions (${code})` : `${options.versions}: ${(error as Error).message}`)
      }
    }
    let store: DownloadStore
    try {
      store = openSqliteStore(options.db, { mustExist: options.action !== 'count' })
    } catch (error) {
      return unusable(`${options.db}: cannot open the database (${(error as Error).message})`)
    }
    try {
      if (options.action === 'count') {
        let result
        try {
          result = await countLogFiles(store, options.logs, versions === undefined ? {} : { versions })
        } catch (error) {
          if (error instanceof MissingInputError) return unusable(error.message)
          throw error
        }
        if (options.json) {
          const files = result.files.map(({ path, status, error, skipped, samples }) => ({ path, status, ...(error === undefined ? {} : { error }), skipped, samples }))
          io.stdout(`${JSON.stringify({ files, added: result.added, unknown: result.unknown, moved: result.moved }, null, 2)}\n`)
        } else {
          if (result.moved.length > 0) printTotals(io, 'moved from the counts kept apart, for versions --versions made known', result.moved)
          for (const file of result.files) printFile(io, file)
          printTotals(io, 'added', result.added)
          if (result.unknown.length > 0) printTotals(io, 'kept apart, for versions the database does not know', result.unknown)
        }
        return result.files.some((file) => file.status === 'refused') ? exitCodes.found : exitCodes.ok
      }
      if (options.action === 'show') {
        const counts = await store.counts({ ...(options.day === undefined ? {} : { day: options.day }), unknown: options.unknown })
        if (options.json) io.stdout(`${JSON.stringify(counts, null, 2)}\n`)
        else for (const count of counts) io.stdout(`${count.day} ${count.crate} ${count.version} ${count.count}\n`)
        return exitCodes.ok
      }
      const top = await store.top(options.day, options.limit)
      if (options.json) io.stdout(`${JSON.stringify(top, null, 2)}\n`)
      else top.forEach((row, index) => io.stdout(`${String(index + 1).padStart(3)}. ${row.crate} ${row.count.toLocaleString('en')}\n`))
      return exitCodes.ok
    } finally {
      await store.close()
    }
  },
})

function printFile(io: CommandIo, file: FileReport): void {
  if (file.status === 'already-processed') return io.stdout(`${file.path}: already processed, skipped\n`)
  if (file.status === 'refused') return io.stdout(`${file.path}: refused: ${file.error}\n`)
  const skipped = Object.entries(file.skipped)
  const total = skipped.reduce((sum, [, count]) => sum + count, 0)
  io.stdout(
    `${file.path}: counted ${file.downloads} download${file.downloads === 1 ? '' : 's'} (${file.format}, ${file.lines} lines)` +
      `${total === 0 ? '' : `, skipped ${total} line${total === 1 ? '' : 's'}: ${skipped.map(([reason, count]) => `${reason} ${count}`).join(', ')}`}\n`,
  )
  for (const sample of file.samples) io.stdout(`  line ${sample.line}: ${sample.reason}: ${sample.message}\n`)
}

function printTotals(io: CommandIo, what: string, counts: readonly DownloadCount[]): void {
  const total = counts.reduce((sum, count) => sum + count.count, 0)
  io.stdout(`${what}: ${total} download${total === 1 ? '' : 's'} of ${counts.length} version${counts.length === 1 ? '' : 's'}${counts.length === 0 ? '' : ':'}\n`)
  for (const count of counts) io.stdout(`  ${count.day} ${count.crate} ${count.version}: ${count.count}\n`)
}

/** The `--versions` file: a JSON array of `{"crate", "version"}` with valid names and versions. */
function parseVersions(value: unknown, file: string): CrateVersion[] {
  if (!Array.isArray(value)) throw new Error('expected a JSON array of {"crate", "version"}')
  return value.map((entry: unknown, index) => {
    const { crate, version } = (entry ?? {}) as Record<string, unknown>
    if (typeof crate !== 'string' || !validateCrateName(crate).ok) throw new Error(`[${index}]: expected "crate" to be a valid crate name, got ${JSON.stringify(crate)} (${file})`)
    if (typeof version !== 'string' || !isSemver(version)) throw new Error(`[${index}]: expected "version" to be a semantic version, got ${JSON.stringify(version)} (${file})`)
    return { crate, version }
  })
}
