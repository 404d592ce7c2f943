import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { type CountLogOptions, countLog, DEFAULT_BATCH_SIZE, type DownloadCount, type LogCount } from './count-log.ts'
import { CountTable, hashDay } from './count-table.ts'
import { compressionOf } from './decompress.ts'
import { sortCounts } from './order.ts'
import type { CrateVersion, DownloadStore } from './store.ts'

/** What happened to one log file (`dl.cli.count`): what counting it found, but its counts, which the store took. */
export interface FileReport extends Omit<LogCount, 'status' | 'counts'> {
  path: string
  status: LogCount['status'] | 'already-processed'
}

/** What a run added to the store. */
export interface CountFilesResult {
  files: FileReport[]
  /** Counts added to known versions, summed over the run's files, sorted (`dl.order`). */
  added: DownloadCount[]
  /** Counts of versions the store does not know, kept apart (`dl.store.unknown`). */
  unknown: DownloadCount[]
  /** Counts kept apart before, of versions that `options.versions` made known, now counted under them (`dl.store.unknown.later`). */
  moved: DownloadCount[]
}

/** Options of {@link countLogFiles}. */
export interface CountFilesOptions extends Omit<CountLogOptions, 'fileName' | 'onBatch'> {
  /** Called after each batch is written into a file's open transaction (for progress; tests use it to crash mid-file). */
  onBatchWritten?: (progress: { path: string; rows: number }) => void | Promise<void>
  /** Versions to make known to the store once the inputs are checked, before counting. */
  versions?: readonly CrateVersion[]
}

/** A named input that does not exist or cannot be read (`sec.offline.missing`): nothing was counted. */
export class MissingInputError extends Error {
  override name = 'MissingInputError'
}

/**
 * Count log files into a store, each exactly once (`dl.store.once`):
 *
 * 1. Check that every file exists and is a file; otherwise throw {@link MissingInputError} before
 *    anything is stored.
 * 2. Make `options.versions` known (moving the downloads kept apart of those that were not). For each file in the order given: refuse an unknown extension; hash its bytes (SHA-256, its
 *    identity); skip it when the store has recorded that digest.
 * 3. Open the file's transaction, count it as a stream (`countLog`), writing each batch into the
 *    transaction, and hash it again on the way.
 * 4. Commit the counts together with the processed-file record, or roll the whole file back when it
 *    was refused or changed while read.
 */
export async function countLogFiles(store: DownloadStore, paths: readonly string[], options: CountFilesOptions = {}): Promise<CountFilesResult> {
  // 1.
  for (const file of paths) {
    let isFile: boolean
    try {
      isFile = (await stat(file)).isFile()
    } catch (error) {
      throw new MissingInputError(`${file}: cannot read the log (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    if (!isFile) throw new MissingInputError(`${file}: is not a file`)
  }
  // 2.
  const moved = options.versions ? (await store.addVersions(options.versions)).moved : []
  const added = new CountTable(DEFAULT_BATCH_SIZE)
  const unknown = new CountTable(DEFAULT_BATCH_SIZE)
  const files: FileReport[] = []
  for (const file of paths) files.push(await countFile(store, file, options, added, unknown))
  return { files, added: sortCounts(added.take()), unknown: sortCounts(unknown.take()), moved }
}

async function countFile(
  store: DownloadStore,
  file: string,
  options: CountFilesOptions,
  added: CountTable,
  unknown: CountTable,
): Promise<FileReport> {
  const empty = { lines: 0, downloads: 0, skipped: {}, samples: [] }
  const compression = compressionOf(file)
  if (typeof compression === 'object') return { path: file, status: 'refused', error: compression.error, ...empty }
  const digest = await sha256(file)
  if (await store.isProcessed(digest)) return { path: file, status: 'already-processed', ...empty }
  // 3.
  const transaction = await store.begin({ digest, path: file })
  if (transaction === undefined) return { path: file, status: 'already-processed', ...empty }
  const fileAdded: DownloadCount[] = []
  const fileUnknown: DownloadCount[] = []
  const hash = createHash('sha256')
  try {
    const stream = createReadStream(file, { highWaterMark: 256 * 1024 })
    const hashed = (async function* () {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk)
        yield chunk
      }
    })()
    const { onBatchWritten: _, versions: __, ...countOptions } = options
    const counted = await countLog(hashed, {
      ...countOptions,
      fileName: file,
      async onBatch(batch) {
        const { known, unknown: others } = await transaction.add(batch)
        fileAdded.push(...known)
        fileUnknown.push(...others)
        await options.onBatchWritten?.({ path: file, rows: batch.length })
      },
    }).finally(() => stream.destroy())
    const report: FileReport = {
      path: file,
      status: counted.status,
      ...(counted.error === undefined ? {} : { error: counted.error }),
      ...(counted.format === undefined ? {} : { format: counted.format }),
      lines: counted.lines,
      downloads: counted.downloads,
      skipped: counted.skipped,
      samples: counted.samples,
    }
    // 4.
    if (counted.status === 'counted' && hash.digest('hex') !== digest) {
      await transaction.rollback()
      return { ...report, status: 'refused', error: 'the file changed while it was read; count it again once it is complete', downloads: 0 }
    }
    if (counted.status !== 'counted') {
      await transaction.rollback()
      return report
    }
    await transaction.commit({ format: counted.format!, lines: counted.lines, downloads: counted.downloads, skipped: counted.skipped })
    sum(added, fileAdded)
    sum(unknown, fileUnknown)
    return report
  } catch (error) {
    await transaction.rollback()
    throw error
  }
}

/** Add a file's counts into the run's. */
function sum(into: CountTable, counts: readonly DownloadCount[]): void {
  let day = ''
  let dayHash = 0
  for (const count of counts) {
    if (count.day !== day) {
      day = count.day
      dayHash = hashDay(day)
    }
    into.merge(dayHash, count)
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
