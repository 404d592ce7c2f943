import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  countLog,
  countLogFiles,
  type DownloadCount,
  type DownloadStore,
  MissingInputError,
  openSqliteStore,
} from '../../tools/security/downloads/index.ts'
import { fastlyLine, fastlyLog, knownVersions } from './helpers/download-logs.ts'
import { killMidway } from './helpers/kill-midway.ts'

const repository = path.resolve(import.meta.dirname ?? '.', '../..')
const fixtures = path.join(repository, 'test/fixtures/security/downloads')

let work: string
let stores: DownloadStore[]
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-downloads-'))
  stores = []
})
afterEach(async () => {
  for (const store of stores) await store.close()
  await rm(work, { recursive: true, force: true })
})

function open(file = path.join(work, 'downloads.sqlite')) {
  const store = openSqliteStore(file)
  stores.push(store)
  return store
}

/** The counts of several logs added up, as a store that counted each once holds them. */
async function expectedCounts(files: string[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {}
  for (const file of files) {
    for (const count of (await countLog(await readFile(file), { fileName: file })).counts) {
      const key = `${count.day} ${count.crate} ${count.version}`
      sums[key] = (sums[key] ?? 0) + count.count
    }
  }
  return sums
}

const asRecord = (counts: DownloadCount[]) => Object.fromEntries(counts.map((count) => [`${count.day} ${count.crate} ${count.version}`, count.count]))

describe('the SQLite store', () => {
  test('[dl.store] counts of several logs add up in the database, which is created under its folder', async () => {
    const store = open(path.join(work, 'data/nested/downloads.sqlite'))
    await store.addVersions([{ crate: 'serde', version: '1.0.195' }, { crate: 'tokio', version: '1.35.1' }, { crate: 'rand', version: '0.8.5' }])
    const files = [path.join(fixtures, 'fastly-basic/input.log'), path.join(fixtures, 'compressed/cloudfront-basic.log.gz')]
    const result = await countLogFiles(store, files)
    expect(result.files.map((file) => file.status)).toEqual(['counted', 'counted'])
    expect(await store.counts()).toEqual([
      { day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 5 },
      { day: '2024-01-15', crate: 'tokio', version: '1.35.1', count: 2 },
      { day: '2024-01-16', crate: 'rand', version: '0.8.5', count: 3 },
      { day: '2024-01-16', crate: 'tokio', version: '1.35.1', count: 3 },
    ])
    expect(result.added).toEqual(await store.counts())
    expect(await store.counts({ day: '2024-01-16' })).toHaveLength(2)
    expect(await store.top('2024-01-15', 10)).toEqual([{ crate: 'serde', count: 5 }, { crate: 'tokio', count: 2 }])
  })

  test('[dl.store.unknown] downloads of versions the database does not know are kept apart and reported', async () => {
    const store = open()
    await store.addVersions([{ crate: 'serde', version: '1.0.195' }])
    const result = await countLogFiles(store, [path.join(fixtures, 'fastly-basic/input.log')])
    expect(result.added).toEqual([{ day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 2 }])
    expect(result.unknown).toEqual([
      { day: '2024-01-15', crate: 'tokio', version: '1.35.1', count: 1 },
      { day: '2024-01-16', crate: 'rand', version: '0.8.5', count: 2 },
      { day: '2024-01-16', crate: 'tokio', version: '1.35.1', count: 2 },
    ])
    expect(await store.counts({ unknown: true })).toEqual(result.unknown)
    expect(await store.counts()).toEqual(result.added)
    // Nothing is lost: known and unknown add up to every download counted.
    expect([...result.added, ...result.unknown].reduce((sum, count) => sum + count.count, 0)).toBe(result.files[0]!.downloads)
  })

  test('[dl.store.unknown] [sec.crate-name.same] versions are looked up by canonical crate name: every spelling counts for the crate as the database names it', async () => {
    const store = open()
    await store.addVersions([{ crate: 'serde_json', version: '1.0.0' }])
    const log = path.join(work, 'spellings.log')
    const urls = ['/crates/serde_json/serde_json-1.0.0.crate', '/crates/serde-json/serde-json-1.0.0.crate', '/crates/Serde_JSON/1.0.0/download', '/crates/serde-json/serde-json-2.0.0.crate']
    await writeFile(log, urls.map((url) => fastlyLine('2024-01-15', url)).join('\n') + '\n')
    const result = await countLogFiles(store, [log])
    expect(result.added).toEqual([{ day: '2024-01-15', crate: 'serde_json', version: '1.0.0', count: 3 }])
    // An unknown version keeps the name as the log spelled it.
    expect(result.unknown).toEqual([{ day: '2024-01-15', crate: 'serde-json', version: '2.0.0', count: 1 }])
    expect(await store.counts()).toEqual(result.added)
  })

  test('[dl.store.unknown.later] a version made known later takes along its downloads kept apart, in every spelling, and adds them to its counts once', async () => {
    const store = open()
    await store.addVersions([{ crate: 'serde_json', version: '1.0.0' }])
    const early = path.join(work, 'early.log')
    await writeFile(early, ['/crates/serde-json/serde-json-2.0.0.crate', '/crates/Serde_JSON/2.0.0/download', '/crates/serde_json/serde_json-1.0.0.crate'].map((url) => fastlyLine('2024-01-15', url)).join('\n') + '\n')
    await countLogFiles(store, [early])
    expect(await store.counts({ unknown: true })).toEqual([
      { day: '2024-01-15', crate: 'Serde_JSON', version: '2.0.0', count: 1 },
      { day: '2024-01-15', crate: 'serde-json', version: '2.0.0', count: 1 },
    ])

    expect(await store.addVersions([{ crate: 'serde_json', version: '2.0.0' }, { crate: 'serde_json', version: '1.0.0' }])).toEqual({
      added: 1,
      moved: [{ day: '2024-01-15', crate: 'serde_json', version: '2.0.0', count: 2 }],
    })
    expect(await store.counts({ unknown: true })).toEqual([])
    expect(await store.counts()).toEqual([
      { day: '2024-01-15', crate: 'serde_json', version: '1.0.0', count: 1 },
      { day: '2024-01-15', crate: 'serde_json', version: '2.0.0', count: 2 },
    ])
    // Known already: nothing moves again, and a later log adds to the count.
    expect(await store.addVersions([{ crate: 'serde_json', version: '2.0.0' }])).toEqual({ added: 0, moved: [] })
    const late = path.join(work, 'late.log')
    await writeFile(late, fastlyLine('2024-01-15', '/crates/serde-json/serde-json-2.0.0.crate') + '\n')
    await countLogFiles(store, [late])
    expect(await store.counts()).toContainEqual({ day: '2024-01-15', crate: 'serde_json', version: '2.0.0', count: 3 })
  })

  test('[dl.store.once] a file already processed is skipped, by content: renamed or recompressed copies too', async () => {
    const store = open()
    const plain = path.join(fixtures, 'fastly-basic/input.log')
    const copy = path.join(work, 'renamed.log')
    await writeFile(copy, await readFile(plain))
    const first = await countLogFiles(store, [plain])
    expect(first.files[0]!.status).toBe('counted')
    const again = await countLogFiles(store, [plain, copy, plain])
    expect(again.files.map((file) => file.status)).toEqual(['already-processed', 'already-processed', 'already-processed'])
    expect(again.added).toEqual([])
    expect(asRecord(await store.counts({ unknown: true }))).toEqual(await expectedCounts([plain]))
    // The same lines compressed are other bytes, another file: whether two logs hold the same
    // requests cannot be told from their bytes, so a recompressed copy is the uploader's to avoid.
    const gz = path.join(work, 'other.log.gz')
    await writeFile(gz, zlib.gzipSync(await readFile(plain)))
    expect((await countLogFiles(store, [gz])).files[0]!.status).toBe('counted')
    expect((await store.processedFiles()).map((file) => [file.path, file.format, file.downloads])).toEqual(
      expect.arrayContaining([[plain, 'fastly', 7], [gz, 'fastly', 7]]),
    )
  })

  test('[dl.store.transaction] a file is one transaction: batches stay invisible until its record commits, a refusal leaves nothing', async () => {
    const db = path.join(work, 'downloads.sqlite')
    const store = open(db)
    await store.addVersions(knownVersions())
    const log = path.join(work, 'big.log')
    await writeFile(log, `${fastlyLog(2000, 7)}#not a fastly line\n`)
    const reader = new Database(db, { readonly: true })
    const seen: number[] = []
    try {
      const result = await countLogFiles(store, [log], {
        batchSize: 25,
        onBatchWritten() {
          seen.push((reader.prepare('SELECT COUNT(*) FROM version_downloads').pluck().get() as number) + (reader.prepare('SELECT COUNT(*) FROM processed_log_files').pluck().get() as number))
        },
      })
      expect(result.files[0]).toMatchObject({ status: 'counted', skipped: { 'not-syslog': 1, 'not-a-download': expect.any(Number) } })
      expect(seen.length).toBeGreaterThan(10)
      expect(new Set(seen)).toEqual(new Set([0]))
      expect(reader.prepare('SELECT COUNT(*) FROM processed_log_files').pluck().get()).toBe(1)
      expect(asRecord(await store.counts())).toEqual(await expectedCounts([log]))
    } finally {
      reader.close()
    }
    // A gzip file cut short is refused after some of its batches were written: they are rolled back.
    const cut = path.join(work, 'cut.log.gz')
    const gz = zlib.gzipSync(fastlyLog(3000, 8))
    await writeFile(cut, gz.subarray(0, gz.length - 50))
    const before = await store.counts()
    let batches = 0
    const refused = await countLogFiles(store, [cut], { batchSize: 25, onBatchWritten: () => void batches++ })
    expect(refused.files[0]).toMatchObject({ status: 'refused', error: 'cannot decompress: unexpected end of file' })
    expect(batches).toBeGreaterThan(0)
    expect(await store.counts()).toEqual(before)
    expect(await store.isProcessed('x')).toBe(false)
    expect((await store.processedFiles()).map((file) => file.path)).toEqual([log])
  })

  test('[dl.store.once] [sec.malformed.earlier-results] killed mid-file and run again, every download is counted exactly once', async () => {
    const db = path.join(work, 'downloads.sqlite')
    const logs = [1, 2, 3].map((n) => path.join(work, `cdn-${n}.log${n === 2 ? '.gz' : ''}`))
    await writeFile(logs[0]!, fastlyLog(1500, 1))
    await writeFile(logs[1]!, zlib.gzipSync(fastlyLog(1500, 2)))
    await writeFile(logs[2]!, fastlyLog(1500, 3))
    const seed = open(db)
    await seed.addVersions(knownVersions().filter((_, index) => index % 3 !== 0))
    await seed.close()
    stores.pop()

    // The child commits the first file, writes 3 batches of the second into its transaction, then is killed.
    expect(await killMidway('test/security/helpers/count-and-hang.ts', [db, logs[1]!, '3', ...logs], 'mid-file')).toBe('SIGKILL')

    // What the killed run committed: the first file, and nothing of the second.
    const store = open(db)
    expect((await store.processedFiles()).map((file) => file.path)).toEqual([logs[0]])
    const all = async () => ({ ...asRecord(await store.counts()), ...asRecord(await store.counts({ unknown: true })) })
    expect(await all()).toEqual(await expectedCounts([logs[0]!]))

    const rerun = await countLogFiles(store, logs)
    expect(rerun.files.map((file) => file.status)).toEqual(['already-processed', 'counted', 'counted'])
    const expected = await expectedCounts(logs)
    expect(await all()).toEqual(expected)
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(3 * 1500 * 0.8)
    // And once more: nothing changes.
    expect((await countLogFiles(store, logs)).files.every((file) => file.status === 'already-processed')).toBe(true)
    expect(await all()).toEqual(expected)
  }, 60_000)

  test('[sec.offline.missing] a missing log stops the run before anything is stored, naming the file', async () => {
    const store = open()
    const missing = path.join(work, 'missing.log')
    await expect(countLogFiles(store, [path.join(fixtures, 'fastly-basic/input.log'), missing])).rejects.toThrow(new MissingInputError(`${missing}: cannot read the log (ENOENT)`))
    await expect(countLogFiles(store, [work])).rejects.toThrow(`${work}: is not a file`)
    expect(await store.processedFiles()).toEqual([])
  })

  test('[dl.store.processed] the record of a file: the SHA-256 of its bytes as stored, its path, format, lines, downloads and skipped lines', async () => {
    const store = open()
    const gz = path.join(work, 'recoverable.log.gz')
    await writeFile(gz, zlib.gzipSync(await readFile(path.join(fixtures, 'cloudfront-recoverable-errors/input.log'))))
    const [report] = (await countLogFiles(store, [gz])).files
    expect(await store.processedFiles()).toEqual([
      {
        digest: createHash('sha256').update(await readFile(gz)).digest('hex'),
        path: gz,
        format: 'cloudfront',
        lines: report!.lines,
        downloads: report!.downloads,
        skipped: report!.skipped,
      },
    ])
    expect(report!.downloads).toBeGreaterThan(0)
    expect(Object.keys(report!.skipped).length).toBeGreaterThan(0)
  })

  test('[dl.store.sqlite] the database is a SQLite file in write-ahead logging, its folder made when missing', async () => {
    const file = path.join(work, 'made/for/it/downloads.sqlite')
    const store = open(file)
    await countLogFiles(store, [path.join(fixtures, 'fastly-basic/input.log')])
    const raw = new Database(file, { readonly: true })
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(raw.pragma('user_version', { simple: true })).toBe(1)
    } finally {
      raw.close()
    }
  })

  test('[dl.store] [dl.store.sqlite] a database of a later schema is refused, not misread', async () => {
    const db = path.join(work, 'later.sqlite')
    const raw = new Database(db)
    raw.pragma('user_version = 7')
    raw.close()
    expect(() => openSqliteStore(db)).toThrow(`${db}: the database has schema version 7; this counter writes version 1`)
    expect(() => openSqliteStore(path.join(work, 'none.sqlite'), { mustExist: true })).toThrow()
  })

  test('[dl.counts] a line with a status other than 200 or another method adds nothing', async () => {
    const store = open()
    const log = path.join(work, 'mixed.log')
    await writeFile(log, [fastlyLine('2024-01-15', '/crates/a/a-1.0.0.crate', { status: 304 }), fastlyLine('2024-01-15', '/crates/a/a-1.0.0.crate', { method: 'HEAD' }), fastlyLine('2024-01-15', '/crates/a/a-1.0.0.crate')].join('\n'))
    const result = await countLogFiles(store, [log])
    expect(result.unknown).toEqual([{ day: '2024-01-15', crate: 'a', version: '1.0.0', count: 1 }])
    expect(result.files[0]!.skipped).toEqual({ method: 1, status: 1 })
  })
})
