import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { canonicalCrateName, compareCrateNames } from '../crate-name/index.ts'
import type { DownloadCount } from './count-log.ts'
import { sortCounts } from './order.ts'
import type { CrateVersion, DownloadStore, FileTransaction, ProcessedFile } from './store.ts'

/** The schema this code writes; a database of a later one is refused rather than misread. */
const schemaVersion = 1

const schema = `
CREATE TABLE IF NOT EXISTS crate_versions (
  crate TEXT NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY (crate, version)
) WITHOUT ROWID;
-- Versions are looked up by the crate's canonical name (sec.crate-name.same); SQLite's lower() is
-- ASCII-only, as crate names are.
CREATE INDEX IF NOT EXISTS crate_versions_by_canonical_name ON crate_versions (lower(replace(crate, '-', '_')), version);
CREATE TABLE IF NOT EXISTS version_downloads (
  day TEXT NOT NULL,
  crate TEXT NOT NULL,
  version TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (day, crate, version),
  FOREIGN KEY (crate, version) REFERENCES crate_versions (crate, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unknown_version_downloads (
  day TEXT NOT NULL,
  crate TEXT NOT NULL,
  version TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (day, crate, version)
) WITHOUT ROWID;
-- A version made known later takes its downloads kept apart along (dl.store.unknown.later).
CREATE INDEX IF NOT EXISTS unknown_version_downloads_by_canonical_name ON unknown_version_downloads (lower(replace(crate, '-', '_')), version);
CREATE TABLE IF NOT EXISTS processed_log_files (
  digest TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  format TEXT NOT NULL,
  lines INTEGER NOT NULL,
  downloads INTEGER NOT NULL,
  skipped TEXT NOT NULL
) WITHOUT ROWID;
`

/** Rows per INSERT statement: SQLite's default limit is 32,766 parameters, four per row here. */
const rowsPerStatement = 250

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * For reading commands: refuse a database that does not exist, or that the counter did not make,
   * and open it read-only, so that reading never changes it (nor any other SQLite file named by
   * mistake). Default false.
   */
  mustExist?: boolean
}

/**
 * The SQLite store (`dl.store.sqlite`), a file opened with better-sqlite3: write-ahead logging
 * with full synchronisation, so that a committed file survives a crash and an uncommitted one
 * leaves no trace. Its folder is created when missing.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): DownloadStore {
  if (options.mustExist) {
    const db = new Database(file, { fileMustExist: true, readonly: true })
    try {
      const version = db.pragma('user_version', { simple: true }) as number
      if (version !== schemaVersion) throw new Error(`not a database of the download counter (schema version ${version}, expected ${schemaVersion})`)
    } catch (error) {
      db.close()
      throw error
    }
    return new SqliteStore(db)
  }
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    // A second run over the same database waits for the first's file to commit, rather than failing.
    db.pragma('busy_timeout = 60000')
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > schemaVersion) throw new Error(`${file}: the database has schema version ${version}; this counter writes version ${schemaVersion}`)
    db.exec(schema)
    if (version < schemaVersion) db.pragma(`user_version = ${schemaVersion}`)
  } catch (error) {
    db.close()
    throw error
  }
  return new SqliteStore(db)
}

class SqliteStore implements DownloadStore {
  private readonly processed
  private readonly known
  private readonly insertProcessed
  private readonly insertVersion
  private readonly unknownOf
  private readonly forgetUnknown
  private readonly upserts = new Map<string, Database.Statement>()
  private open: SqliteTransaction | undefined

  constructor(private readonly db: Database.Database) {
    this.processed = db.prepare('SELECT 1 FROM processed_log_files WHERE digest = ?').pluck()
    this.known = db.prepare("SELECT crate FROM crate_versions WHERE lower(replace(crate, '-', '_')) = ? AND version = ? ORDER BY crate LIMIT 1").pluck()
    this.insertProcessed = db.prepare('INSERT INTO processed_log_files (digest, path, format, lines, downloads, skipped) VALUES (?, ?, ?, ?, ?, ?)')
    this.insertVersion = db.prepare('INSERT INTO crate_versions (crate, version) VALUES (?, ?) ON CONFLICT DO NOTHING')
    const unknownVersion = "lower(replace(crate, '-', '_')) = ? AND version = ?"
    this.unknownOf = db.prepare(`SELECT day, SUM(count) AS count FROM unknown_version_downloads WHERE ${unknownVersion} GROUP BY day ORDER BY day`)
    this.forgetUnknown = db.prepare(`DELETE FROM unknown_version_downloads WHERE ${unknownVersion}`)
  }

  async isProcessed(digest: string): Promise<boolean> {
    return this.processed.get(digest) !== undefined
  }

  async begin(file: { digest: string; path: string }): Promise<FileTransaction | undefined> {
    if (this.open) throw new Error('Ferrule bug: a second log file began before the first was committed or rolled back')
    // IMMEDIATE takes the write lock now: a concurrent run counting the same file waits, then sees it processed.
    this.db.exec('BEGIN IMMEDIATE')
    if (this.processed.get(file.digest) !== undefined) {
      this.db.exec('ROLLBACK')
      return undefined
    }
    this.open = new SqliteTransaction(this, file)
    return this.open
  }

  /** The transaction's writes; called only by the open transaction. */
  write(counts: readonly DownloadCount[]): { known: DownloadCount[]; unknown: DownloadCount[] } {
    const known: DownloadCount[] = []
    const unknown: DownloadCount[] = []
    // A known version's downloads are counted under the database's spelling of its crate's name, so
    // that `Serde_JSON` and `serde-json` in the logs add up to one crate's count. In the order of the
    // tables' keys: rows written in order, each near the last, took a fifth less time than as they
    // came.
    for (const count of [...counts].sort(byKey)) {
      const crate = this.known.get(canonicalCrateName(count.crate), count.version) as string | undefined
      if (crate === undefined) unknown.push(count)
      else known.push(crate === count.crate ? count : { ...count, crate })
    }
    this.upsert('version_downloads', known)
    this.upsert('unknown_version_downloads', unknown)
    return { known, unknown }
  }

  finish(file: { digest: string; path: string }, record: Omit<ProcessedFile, 'digest' | 'path'> | undefined): void {
    this.open = undefined
    if (record === undefined) {
      this.db.exec('ROLLBACK')
      return
    }
    try {
      this.insertProcessed.run(file.digest, file.path, record.format, record.lines, record.downloads, JSON.stringify(record.skipped))
      this.db.exec('COMMIT')
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
      throw error
    }
  }

  /** Add `rows` into `table` with multi-row upserts of up to {@link rowsPerStatement} rows each. */
  private upsert(table: 'version_downloads' | 'unknown_version_downloads', rows: readonly DownloadCount[]): void {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const slice = rows.slice(start, start + rowsPerStatement)
      const key = `${table}:${slice.length}`
      let statement = this.upserts.get(key)
      if (statement === undefined) {
        const values = Array.from({ length: slice.length }, () => '(?, ?, ?, ?)').join(', ')
        statement = this.db.prepare(`INSERT INTO ${table} (day, crate, version, count) VALUES ${values} ON CONFLICT (day, crate, version) DO UPDATE SET count = count + excluded.count`)
        this.upserts.set(key, statement)
      }
      const parameters: (string | number)[] = []
      for (const row of slice) parameters.push(row.day, row.crate, row.version, row.count)
      statement.run(parameters)
    }
  }

  async addVersions(versions: readonly CrateVersion[]): Promise<{ added: number; moved: DownloadCount[] }> {
    let added = 0
    const moved: DownloadCount[] = []
    this.db.transaction(() => {
      for (const { crate, version } of versions) {
        if (this.insertVersion.run(crate, version).changes === 0) continue
        added++
        // Its downloads kept apart, in any spelling of the crate's name, now count under the
        // database's spelling, as a later log's would.
        const canonical = canonicalCrateName(crate)
        const days = this.unknownOf.all(canonical, version) as { day: string; count: number }[]
        if (days.length === 0) continue
        const spelled = this.known.get(canonical, version) as string
        const counts = days.map(({ day, count }) => ({ day, crate: spelled, version, count }))
        this.upsert('version_downloads', counts)
        this.forgetUnknown.run(canonical, version)
        moved.push(...counts)
      }
    })()
    return { added, moved: sortCounts(moved) }
  }

  async counts(query: { day?: string; unknown?: boolean } = {}): Promise<DownloadCount[]> {
    const table = query.unknown ? 'unknown_version_downloads' : 'version_downloads'
    const rows = (query.day === undefined
      ? this.db.prepare(`SELECT day, crate, version, count FROM ${table}`).all()
      : this.db.prepare(`SELECT day, crate, version, count FROM ${table} WHERE day = ?`).all(query.day)) as DownloadCount[]
    return sortCounts(rows)
  }

  async top(day: string, limit: number): Promise<{ crate: string; count: number }[]> {
    const rows = this.db.prepare('SELECT crate, SUM(count) AS count FROM version_downloads WHERE day = ? GROUP BY crate').all(day) as { crate: string; count: number }[]
    return rows.sort((a, b) => b.count - a.count || compareCrateNames(a.crate, b.crate)).slice(0, limit)
  }

  async processedFiles(): Promise<ProcessedFile[]> {
    const rows = this.db.prepare('SELECT digest, path, format, lines, downloads, skipped FROM processed_log_files ORDER BY digest').all() as (Omit<ProcessedFile, 'skipped'> & { skipped: string })[]
    return rows.map((row) => ({ ...row, skipped: JSON.parse(row.skipped) as ProcessedFile['skipped'] }))
  }

  async close(): Promise<void> {
    if (this.open) this.finish(this.open.file, undefined)
    this.db.close()
  }
}

/** By day, crate and version, in code units: the order of the tables' primary keys. */
function byKey(a: DownloadCount, b: DownloadCount): number {
  if (a.day !== b.day) return a.day < b.day ? -1 : 1
  if (a.crate !== b.crate) return a.crate < b.crate ? -1 : 1
  return a.version < b.version ? -1 : a.version > b.version ? 1 : 0
}

class SqliteTransaction implements FileTransaction {
  private done = false

  constructor(
    private readonly store: SqliteStore,
    readonly file: { digest: string; path: string },
  ) {}

  async add(counts: readonly DownloadCount[]) {
    this.check()
    return this.store.write(counts)
  }

  async commit(record: Omit<ProcessedFile, 'digest' | 'path'>): Promise<void> {
    this.check()
    this.done = true
    this.store.finish(this.file, record)
  }

  async rollback(): Promise<void> {
    if (this.done) return
    this.done = true
    this.store.finish(this.file, undefined)
  }

  private check(): void {
    if (this.done) throw new Error('Ferrule bug: a log file transaction was used after it ended')
  }
}
