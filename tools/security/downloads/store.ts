import type { DownloadCount } from './count-log.ts'
import type { SkipReason } from './skip-reasons.ts'

/** A crate version the registry knows. */
export interface CrateVersion {
  crate: string
  version: string
}

/** The record that a log file was counted, stored with its counts in one transaction (`dl.store.processed`). */
export interface ProcessedFile {
  /** SHA-256 of the file's bytes as stored (compressed): its identity, wherever it is found. */
  digest: string
  /** The path it was counted from. */
  path: string
  format: string
  lines: number
  downloads: number
  skipped: Partial<Record<SkipReason, number>>
}

/** One log file's writes: open from `begin` until `commit` or `rollback`. */
export interface FileTransaction {
  /**
   * Add a batch of counts: to the versions the store knows, looked up by canonical crate name and
   * counted under the store's spelling of it, and apart for the others, as spelled (`dl.store.unknown`).
   */
  add(counts: readonly DownloadCount[]): Promise<{ known: DownloadCount[]; unknown: DownloadCount[] }>
  /** Record the file as processed and make every batch of it durable at once. */
  commit(record: Omit<ProcessedFile, 'digest' | 'path'>): Promise<void>
  /** Forget every batch of the file. */
  rollback(): Promise<void>
}

/**
 * Where download counts are kept (`dl.store`).
 *
 * To add a new backend (PostgreSQL, say):
 * 1. Implement this interface in `FOOBAR-store.ts`: `begin` opens a transaction that `add` writes
 *    into and `commit` ends together with the processed-file record, so that a file counts wholly
 *    or not at all; `begin` resolves to undefined when the file's digest is already recorded.
 * 2. Open it from `openStore` in `command.ts` for a `--db` of its own form (a `postgres://` URL).
 * 3. Run the store tests of `test/security/downloads-store.test.ts` against it.
 */
export interface DownloadStore {
  /** Whether a file with this digest was processed. */
  isProcessed(digest: string): Promise<boolean>
  /** Start counting a file; undefined when it was processed (meanwhile, by another run). */
  begin(file: { digest: string; path: string }): Promise<FileTransaction | undefined>
  /**
   * Make versions known, in one transaction; resolves to how many were new, and to the downloads of
   * new ones that were kept apart and now count under them (`dl.store.unknown.later`).
   */
  addVersions(versions: readonly CrateVersion[]): Promise<{ added: number; moved: DownloadCount[] }>
  /** Every stored count, sorted (`dl.order`): of known versions, or with `unknown`, of the others. */
  counts(query?: { day?: string; unknown?: boolean }): Promise<DownloadCount[]>
  /** The crates most downloaded on a day, all versions together: by count, then by name. */
  top(day: string, limit: number): Promise<{ crate: string; count: number }[]>
  /** The processed files, by digest. */
  processedFiles(): Promise<ProcessedFile[]>
  close(): Promise<void>
}
