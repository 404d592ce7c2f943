import { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import { byPopularity, DEFAULT_TOP_CRATES } from './corpus.ts'
import { type LoadedRecords, RecordCollector } from './corpus-records.ts'

/** Text of a CSV file, whole or as chunks (a file stream). */
export type CsvSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>

/** The files of crates.io's database dump that a corpus is made of (`typo.corpus.dump`). */
export interface DumpSources {
  /** `crates.csv`: columns `id` and `name`, and `downloads` in dumps that have no `crate_downloads.csv`. */
  crates: CsvSource
  /** `crate_owners.csv`: columns `crate_id`, `owner_id` and `owner_kind` (0 a user, 1 a team). */
  owners: CsvSource
  /** `crate_downloads.csv`: columns `crate_id` and `downloads`, where the dump has it. */
  downloads?: CsvSource
}

/** Options of {@link corpusRecordsFromDump}. */
export interface DumpOptions {
  /** How many of the most downloaded crates to keep. Default: {@link DEFAULT_TOP_CRATES}. */
  top?: number
  /** The files' names, for messages. Default: the dump's own names. */
  files?: { crates?: string; owners?: string; downloads?: string }
}

interface Row {
  fields: string[]
  line: number
}

/**
 * Corpus records from crates.io's database dump, keeping the `top` most downloaded crates. Columns
 * are found by the header row, so added or reordered columns do not matter. The files are read
 * once each, as streams:
 *
 * 1. `crates.csv`: ids, names (and downloads, in older dumps).
 * 2. `crate_downloads.csv`, where given: downloads by crate id.
 * 3. Keep the top crates by downloads, then crate-name order.
 * 4. `crate_owners.csv`: owners of the kept crates only.
 *
 * Malformed rows are skipped and reported by file and line; a missing column is a fatal error.
 */
export async function corpusRecordsFromDump(sources: DumpSources, options?: DumpOptions): Promise<LoadedRecords> {
  const top = options?.top ?? DEFAULT_TOP_CRATES
  const files = { crates: 'crates.csv', owners: 'crate_owners.csv', downloads: 'crate_downloads.csv', ...options?.files }
  const problems = new RecordCollector(files.crates)
  const malformed = (file: string, line: number, reason: string) => problems.malformed.push({ file, location: `line ${line}`, reason })

  // 1.
  const crates = new Map<string, { name: string; downloads: number | undefined; line: number }>()
  {
    const rows = csvRows(sources.crates, files.crates, malformed)
    const columns = await header(rows, files.crates, sources.downloads === undefined ? ['id', 'name', 'downloads'] : ['id', 'name'])
    for await (const { fields, line } of rows) {
      const id = fields[columns.id!]
      if (id === undefined || id === '') {
        malformed(files.crates, line, 'a row without an `id`')
        continue
      }
      const downloads = columns.downloads === undefined ? undefined : parseCount(fields[columns.downloads])
      if (sources.downloads === undefined && downloads === undefined) {
        malformed(files.crates, line, `downloads must be a non-negative integer, found ${JSON.stringify(fields[columns.downloads!])}`)
        continue
      }
      crates.set(id, { name: fields[columns.name!] ?? '', downloads, line })
    }
  }

  // 2.
  if (sources.downloads !== undefined) {
    for (const crate of crates.values()) crate.downloads = undefined
    const rows = csvRows(sources.downloads, files.downloads, malformed)
    const columns = await header(rows, files.downloads, ['crate_id', 'downloads'])
    for await (const { fields, line } of rows) {
      const crate = crates.get(fields[columns.crate_id!] ?? '')
      const downloads = parseCount(fields[columns.downloads!])
      if (crate === undefined) malformed(files.downloads, line, `no crate has the id ${JSON.stringify(fields[columns.crate_id!])}`)
      else if (downloads === undefined) malformed(files.downloads, line, `downloads must be a non-negative integer, found ${JSON.stringify(fields[columns.downloads!])}`)
      else crate.downloads = downloads
    }
  }

  // 3. Validate names first, so that a malformed row never takes a place in the top.
  const collector = new RecordCollector(files.crates)
  const candidates: { id: string; name: string; downloads: number; owners: string[]; line: number }[] = []
  for (const [id, crate] of crates) {
    if (crate.downloads === undefined) {
      malformed(files.crates, crate.line, `the crate with id ${id} has no downloads in ${files.downloads}`)
      continue
    }
    candidates.push({ id, name: crate.name, downloads: crate.downloads, owners: [], line: crate.line })
  }
  const valid = candidates.filter((candidate) => {
    const before = collector.malformed.length
    collector.add(`line ${candidate.line}`, candidate.name, [], candidate.downloads)
    return collector.malformed.length === before
  })
  const kept = new Map(valid.sort(byPopularity).slice(0, top).map((candidate) => [candidate.id, candidate]))

  // 4.
  const rows = csvRows(sources.owners, files.owners, malformed)
  const columns = await header(rows, files.owners, ['crate_id', 'owner_id', 'owner_kind'])
  for await (const { fields, line } of rows) {
    const crate = kept.get(fields[columns.crate_id!] ?? '')
    if (crate === undefined) continue
    const kind = fields[columns.owner_kind!] === '0' ? 'user' : fields[columns.owner_kind!] === '1' ? 'team' : undefined
    const owner = fields[columns.owner_id!] ?? ''
    if (kind === undefined || !/^[^\s:]+$/.test(owner)) {
      malformed(files.owners, line, `expected an \`owner_id\` and an \`owner_kind\` of 0 (user) or 1 (team), found ${JSON.stringify(owner)} and ${JSON.stringify(fields[columns.owner_kind!])}`)
      continue
    }
    crate.owners.push(`${kind}:${owner}`)
  }
  return {
    records: [...kept.values()].map(({ name, owners, downloads }) => ({ name, owners: [...new Set(owners)].sort(), downloads })),
    // In file order, then line order, whichever step found them.
    malformed: [...problems.malformed, ...collector.malformed].sort((a, b) => {
      const order = [files.crates, files.downloads, files.owners]
      return order.indexOf(a.file) - order.indexOf(b.file) || Number(a.location.slice(5)) - Number(b.location.slice(5))
    }),
  }
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]+$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** The rows of a CSV source; rows the parser cannot read are reported and skipped. */
async function* csvRows(source: CsvSource, file: string, malformed: (file: string, line: number, reason: string) => void): AsyncGenerator<Row> {
  const chunks = typeof source === 'string' || source instanceof Uint8Array ? [source] : source
  const parser = Readable.from(chunks).pipe(parse({ info: true, relax_column_count: true, skip_records_with_error: true, bom: true }))
  parser.on('skip', (error: Error & { lines?: number }) => malformed(file, error.lines ?? 0, error.message))
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { fields: record, line: info.lines }
}

/** Read the header row and find the `wanted` columns; a missing one is a fatal error naming the file. */
async function header(rows: AsyncGenerator<Row>, file: string, wanted: readonly string[]): Promise<Record<string, number | undefined>> {
  const first = await rows.next()
  const names = first.done ? [] : first.value.fields
  const columns: Record<string, number | undefined> = {}
  for (const column of ['id', 'name', 'downloads', 'crate_id', 'owner_id', 'owner_kind']) {
    const index = names.indexOf(column)
    columns[column] = index === -1 ? undefined : index
  }
  const missing = wanted.filter((column) => columns[column] === undefined)
  if (missing.length > 0) {
    throw new Error(`${file}: no column ${missing.map((column) => `\`${column}\``).join(', ')} in the header row (found ${names.map((name) => `\`${name}\``).join(', ') || 'no header'})`)
  }
  return columns
}

