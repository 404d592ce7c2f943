/**
 * The figures of the third security issue, on inputs generated here (`BENCH_ONLY=security3`):
 *
 * 1. Generate a CloudFront and a Fastly log of about 64 MB each (plain text), from a fixed seed:
 *    an hour's downloads of 20,000 crates, long-tailed, with one unrelated request in ten (`requests`); write each plain, gzip'd (node:zlib, level 6) and zstd'd (zstd(1) at level 3 when it is on
 *    PATH, else stored zstd blocks, and the figure says so).
 * 2. For each format and compression, in a fresh process: the floor (read the file, decompress,
 *    split into line strings: nothing else) and `countLog` on the same file, its counts handed over
 *    in batches as `countLogFiles` takes them, 7 times each (BENCH_RUNS, when more);
 *    MB/s of uncompressed log for both, the ratio, and whether it is at least half the floor.
 *    The floor decodes each read (256 KiB) or inflated piece whole, and gunzips in zlib's 16 KiB
 *    pieces; countLog does both in ways that took less time (`LineSplitter`, `decompress`). So also
 *    "floor 2", which decompresses and decodes as countLog does, and countLog's ratio to it: the
 *    cost of reading the lines and counting alone.
 *    For each plain log also the parsing alone: split as countLog splits, each line cut out and read
 *    by the format's parser, nothing judged or counted. countLog reads so only the lines that it
 *    does not read in place: a row in the format's usual layout it reads by one pattern where it
 *    stands in the decompressed text.
 * 3. The whole `countLogFiles` into SQLite, gzip'd CloudFront log, in a fresh process: MB/s and peak RSS.
 * 4. Rows per second inserted into SQLite: 200,000 distinct (day, crate, version) counts in batches of
 *    10,000 in one file's transaction, half of them of known versions.
 *
 * The same file runs as the child of each measurement: `node --import tsx security-3.ts child MODE ...`.
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { finished } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { Decompress } from 'fzstd'
import { type Compression, compressionOf, countLog, countLogFiles, decompress, DEFAULT_MAX_LINE_LENGTH, type DownloadCount, formats, openSqliteStore, zstdStoredFrame } from '../security/downloads/index.ts'
import { LineSplitter } from '../security/downloads/lines.ts'
import { random } from './corpus.ts'
import { label, lastJson, measure, median, runs } from './measure.ts'

const targetRatio = 0.5
// Runs of each figure, one after another in its process: a run takes well under a second, and the
// median of BENCH_RUNS (3 by default) swung by a third between benches, the first run being cold.
const repeats = Math.max(runs, 7)
const logBytes = 64 * 1024 * 1024
const self = fileURLToPath(import.meta.url)
const tsx = ['--import', 'tsx']

const cloudFrontFields =
  'date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end'

/**
 * Requests drawn from a seed, shared by both formats: one log file covers an hour, so nearly all
 * lines fall on one day (one in a hundred on the next, as a file that crosses midnight has); crates
 * and their versions are long-tailed, as downloads are (a few recent versions of popular crates).
 */
function requests(seed: number) {
  const next = random(seed)
  const agents = ['cargo/1.75.0 (1d8b05cdd 2023-11-20)', 'cargo/1.76.0 (c84b36747 2024-01-18)', 'cargo/1.74.1 (ecb9851af 2023-10-18)']
  return () => {
    const day = next() < 0.99 ? '2024-01-15' : '2024-01-16'
    const time = `${String(Math.floor(next() * 24)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}`
    const crate = `crate-${Math.floor(20_000 * next() ** 4)}`
    const release = Math.floor(40 * next() ** 3)
    const version = `${Math.floor(release / 20)}.${release % 20}.${Math.floor(3 * next() ** 2)}${next() < 0.02 ? '+zstd.1.5.5' : ''}`
    const unrelated = next() < 0.1
    const url = unrelated ? '/index.html' : next() < 0.9 ? `/crates/${crate}/${crate}-${version}.crate` : `/crates/${crate}/${version}/download`
    return { day, time, url, agent: agents[Math.floor(next() * agents.length)]!, status: next() < 0.02 ? 304 : 200, id: Math.floor(next() * 2 ** 31) }
  }
}

function cloudFrontLine(request: ReturnType<ReturnType<typeof requests>>): string {
  const url = request.url.replace('+', '%252B')
  const agent = request.agent.replaceAll(' ', '%20')
  return [request.day, request.time, 'FRA56-P5', '15730', `192.0.2.${request.id % 250}`, 'GET', 'd19xqa3lc3clo8.cloudfront.net', url, String(request.status), '-', agent, '-', '-', 'Hit',
    `${request.id.toString(36)}EXAMPLEREQUESTIDxxxxxxxxxxxxxxxxxxxxxx==`, 'static.crates.io', 'https', '212', '0.002', '-', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'Hit', 'HTTP/1.1', '-', '-',
    String(40000 + (request.id % 20000)), '0.001', 'Hit', 'application/x-tar', '15730', '-', '-'].join('\t')
}

function fastlyLine(request: ReturnType<ReturnType<typeof requests>>): string {
  const record = {
    bytes: 15730, content_type: 'application/x-tar', date_time: `${request.day}T${request.time}Z`, edge_location: 'FRA', host: 'static.crates.io',
    ip: `2001:db8::${(request.id % 65536).toString(16)}`, method: 'GET', protocol: 'HTTP/1.1', referer: null, status: request.status, tls: 'TLSv1.3',
    url: request.url.replace('+', '%2B'), user_agent: request.agent, version: '1',
  }
  return `<134>${request.day}T${request.time}Z cache-fra-eddf8230062 s3-request-logs[337205]: ${JSON.stringify(record)}`
}

/** Step 1 for one format: the plain log, its gzip and zstd files; whether zstd(1) made the last. */
export async function writeLog(folder: string, format: 'cloudfront' | 'fastly') {
  const plain = path.join(folder, `${format}.log`)
  const out = createWriteStream(plain)
  const next = requests(format === 'cloudfront' ? 11 : 12)
  let bytes = 0
  let buffer = format === 'cloudfront' ? `#Version: 1.0\n#Fields: ${cloudFrontFields}\n` : ''
  while (bytes < logBytes) {
    const line = `${format === 'cloudfront' ? cloudFrontLine(next()) : fastlyLine(next())}\n`
    buffer += line
    bytes += line.length
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
      buffer = ''
    }
  }
  out.end(buffer)
  await finished(out)
  const gzip = `${plain}.gz`
  await finished(createReadStream(plain).pipe(zlib.createGzip({ level: 6 })).pipe(createWriteStream(gzip)))
  const zst = `${plain}.zst`
  const zstd = spawnSync('zstd', ['-q', '-3', '-f', plain, '-o', zst])
  const realZstd = zstd.status === 0
  if (!realZstd) {
    const { readFile } = await import('node:fs/promises')
    await writeFile(zst, zstdStoredFrame(await readFile(plain)))
  }
  return { plain, gzip, zst, realZstd, bytes: (await stat(plain)).size }
}

// ---- Children ----

/** The floor: read, decompress, split into line strings (sliced, so that each line exists as a string). */
async function floor(file: string): Promise<number> {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let lines = 0
  const text = (chunk: string) => {
    let start = 0
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      const line = pending + chunk.slice(start, newline)
      pending = ''
      if (line.length > 0) lines++
      start = newline + 1
    }
    pending += chunk.slice(start)
  }
  const input = createReadStream(file, { highWaterMark: 256 * 1024 })
  if (file.endsWith('.gz')) {
    for await (const chunk of input.pipe(zlib.createGunzip())) text(decoder.write(chunk as Buffer))
  } else if (file.endsWith('.zst')) {
    let ready: Uint8Array[] = []
    const zstd = new Decompress((data) => void ready.push(data))
    for await (const chunk of input) {
      zstd.push(chunk as Buffer)
      for (const data of ready) text(decoder.write(data as Buffer))
      ready = []
    }
    zstd.push(new Uint8Array(0), true)
    for (const data of ready) text(decoder.write(data as Buffer))
  } else {
    for await (const chunk of input) text(decoder.write(chunk as Buffer))
  }
  text(decoder.end())
  return lines + (pending.length > 0 ? 1 : 0)
}

/**
 * The floor as countLog decompresses and decodes: its `decompress` (gzip in 128 KiB pieces, zstd in
 * a worker thread past the first MiB) and its `LineSplitter` (text decoded in 64 KiB pieces), each
 * line cut out and dropped. What countLog does besides this is reading the lines and counting.
 */
async function floorAsCountLog(file: string): Promise<number> {
  const splitter = new LineSplitter({ line: () => undefined, tooLong: () => undefined }, Number.MAX_SAFE_INTEGER)
  for await (const chunk of decompress(createReadStream(file, { highWaterMark: 256 * 1024 }), compressionOf(file) as Compression)) splitter.push(chunk)
  splitter.end()
  return splitter.lines
}

/** The parsing alone: split into lines as countLog does, and each line read by the format's parser. */
async function parseOnly(file: string): Promise<number> {
  let parse: ((line: string) => unknown) | undefined
  const splitter = new LineSplitter({ line: (text) => void parse!(text), tooLong: () => undefined }, DEFAULT_MAX_LINE_LENGTH)
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    parse ??= formats.find((format) => format.firstByte === chunk[0])!.createParser()
    splitter.push(chunk)
  }
  splitter.end()
  return splitter.lines
}

async function child(mode: string, args: string[]): Promise<void> {
  if (mode === 'floor' || mode === 'floor-as-countlog' || mode === 'count' || mode === 'parse') {
    const [file, times] = args as [string, string]
    const ms: number[] = []
    let lines = 0
    let downloads = 0
    let keys = 0
    for (let run = 0; run < Number(times); run++) {
      const started = performance.now()
      if (mode === 'floor') lines = await floor(file)
      else if (mode === 'floor-as-countlog') lines = await floorAsCountLog(file)
      else if (mode === 'parse') lines = await parseOnly(file)
      else {
        // Counts handed over in batches, as countLogFiles takes them (not sorted into one array).
        keys = 0
        const result = await countLog(createReadStream(file, { highWaterMark: 256 * 1024 }), { fileName: file, onBatch: (batch) => void (keys += batch.length) })
        if (result.status !== 'counted') throw new Error(`${file}: ${result.error}`)
        lines = result.lines
        downloads = result.downloads
      }
      ms.push(performance.now() - started)
    }
    console.log(JSON.stringify({ ms, lines, downloads, keys }))
  } else if (mode === 'store') {
    const [file, db] = args as [string, string]
    const store = openSqliteStore(db)
    const started = performance.now()
    const result = await countLogFiles(store, [file])
    const ms = performance.now() - started
    await store.close()
    console.log(JSON.stringify({ ms, downloads: result.files[0]!.downloads, rows: result.added.length + result.unknown.length }))
  } else if (mode === 'insert') {
    const [db] = args as [string]
    const store = openSqliteStore(db)
    const rows: DownloadCount[] = []
    for (let day = 0; day < 4; day++) for (let crate = 0; crate < 5000; crate++) for (let version = 0; version < 10; version++) rows.push({ day: `2024-01-${10 + day}`, crate: `crate-${crate}`, version: `1.${version}.0`, count: 1 + ((crate * version) % 7) })
    await store.addVersions(rows.filter((_, index) => index % 2 === 0).map(({ crate, version }) => ({ crate, version })))
    const transaction = (await store.begin({ digest: 'bench', path: 'bench' }))!
    const started = performance.now()
    for (let at = 0; at < rows.length; at += 10_000) await transaction.add(rows.slice(at, at + 10_000))
    await transaction.commit({ format: 'bench', lines: 0, downloads: 0, skipped: {} })
    const ms = performance.now() - started
    // Adding the same rows again updates every one of them (the upsert's other path).
    const again = (await store.begin({ digest: 'bench-2', path: 'bench' }))!
    const restarted = performance.now()
    for (let at = 0; at < rows.length; at += 10_000) await again.add(rows.slice(at, at + 10_000))
    await again.commit({ format: 'bench', lines: 0, downloads: 0, skipped: {} })
    const updateMs = performance.now() - restarted
    await store.close()
    console.log(JSON.stringify({ rows: rows.length, ms, updateMs }))
  } else {
    throw new Error(`Unexpected mode \`${mode}\`, expected floor, count, parse, store or insert`)
  }
}

// ---- The parent ----

/** Steps 1 to 4, in `work`. */
export async function benchSecurity3(work: string): Promise<void> {
  const folder = path.join(work, 'security-3')
  await mkdir(folder, { recursive: true })
  console.log('Security tools III (download counting):')
  // 1.
  const logs = { cloudfront: await writeLog(folder, 'cloudfront'), fastly: await writeLog(folder, 'fastly') }
  const ratios: { name: string; ratio: number }[] = []
  const tightRatios: { name: string; ratio: number }[] = []
  // 2.
  for (const [format, log] of Object.entries(logs)) {
    const mb = log.bytes / 1e6
    for (const [compression, file] of [['plain', log.plain], ['gzip', log.gzip], [log.realZstd ? 'zstd' : 'zstd (stored blocks: zstd(1) not on PATH)', log.zst]] as const) {
      const size = (await stat(file)).size / 1e6
      const time = async (mode: 'floor' | 'floor-as-countlog' | 'count' | 'parse') => {
        const sample = await measure([...tsx, self, 'child', mode, file, String(repeats)])
        const figures = lastJson<{ ms: number[]; lines: number; downloads: number; keys: number }>(sample)
        return { ms: median(figures.ms), all: figures.ms, rssMb: sample.rssMb, lines: figures.lines, downloads: figures.downloads, keys: figures.keys }
      }
      const floorTime = await time('floor')
      const countTime = await time('count')
      if (floorTime.lines !== countTime.lines) throw new Error(`${file}: the floor split ${floorTime.lines} lines, countLog ${countTime.lines}`)
      const floorRate = mb / (floorTime.ms / 1000)
      const countRate = mb / (countTime.ms / 1000)
      const ratio = countRate / floorRate
      ratios.push({ name: `${format} ${compression}`, ratio })
      console.log(
        `${label(`${format}, ${compression.split(' ')[0]}`)} countLog ${countRate.toFixed(0)} MB/s, floor ${floorRate.toFixed(0)} MB/s of uncompressed log ` +
          `(${mb.toFixed(0)} MB, ${size.toFixed(1)} MB on disk, ${countTime.lines.toLocaleString('en')} lines, ${countTime.downloads.toLocaleString('en')} downloads of ${countTime.keys.toLocaleString('en')} (day, crate, version); ` +
          `median of ${repeats}: ${countTime.all.map((ms) => ms.toFixed(0)).join(', ')} ms against ${floorTime.all.map((ms) => ms.toFixed(0)).join(', ')} ms), ` +
          `ratio ${ratio.toFixed(2)} (target >= ${targetRatio}: ${ratio >= targetRatio ? 'met' : 'NOT met'}), peak RSS ${countTime.rssMb.toFixed(0)} MB${compression.includes('stored') ? `; ${compression}` : ''}`,
      )
      // The same ratio against a floor that decompresses and decodes as countLog does.
      const tightTime = await time('floor-as-countlog')
      if (tightTime.lines !== countTime.lines) throw new Error(`${file}: the floor as countLog decodes split ${tightTime.lines} lines, countLog ${countTime.lines}`)
      const tightRate = mb / (tightTime.ms / 1000)
      tightRatios.push({ name: `${format} ${compression}`, ratio: countRate / tightRate })
      console.log(
        `${label(`${format}, ${compression.split(' ')[0]}, floor 2`)} ${tightRate.toFixed(0)} MB/s decompressed and decoded as countLog does (median of ${repeats}: ` +
          `${tightTime.all.map((ms) => ms.toFixed(0)).join(', ')} ms): countLog's ratio to it ${(countRate / tightRate).toFixed(2)}`,
      )
      if (compression === 'plain') {
        const parseTime = await time('parse')
        const parseRate = mb / (parseTime.ms / 1000)
        console.log(
          `${label(`${format}, plain, parsing`)} ${parseRate.toFixed(0)} MB/s splitting and parsing alone, nothing judged or counted (median of ${repeats}: ` +
            `${parseTime.all.map((ms) => ms.toFixed(0)).join(', ')} ms): ratio ${(parseRate / floorRate).toFixed(2)} to the floor` +
            '; countLog reads most rows in place instead',
        )
      }
    }
  }
  // 3.
  const stored = await measure([...tsx, self, 'child', 'store', logs.cloudfront.gzip, path.join(folder, 'store.sqlite')])
  const storeFigures = lastJson<{ ms: number; downloads: number; rows: number }>(stored)
  console.log(
    `${label('countLogFiles into SQLite')} ${(logs.cloudfront.bytes / 1e6 / (storeFigures.ms / 1000)).toFixed(0)} MB/s of uncompressed log (gzip'd CloudFront, hashed, counted, ` +
      `${storeFigures.rows.toLocaleString('en')} rows stored, ${storeFigures.downloads.toLocaleString('en')} downloads), peak RSS ${stored.rssMb.toFixed(0)} MB`,
  )
  // 4.
  const inserted = lastJson<{ rows: number; ms: number; updateMs: number }>(await measure([...tsx, self, 'child', 'insert', path.join(folder, 'insert.sqlite')]))
  console.log(
    `${label('SQLite insertion')} ${Math.round(inserted.rows / (inserted.ms / 1000)).toLocaleString('en')} rows/s new, ` +
      `${Math.round(inserted.rows / (inserted.updateMs / 1000)).toLocaleString('en')} rows/s adding to existing rows (${inserted.rows.toLocaleString('en')} rows in batches of 10,000, half of known versions, one transaction)`,
  )
  const lowest = (list: typeof ratios) => list.reduce((a, b) => (a.ratio <= b.ratio ? a : b))
  const worst = lowest(ratios)
  console.log(`download counting: lowest ratio to the floor ${worst.ratio.toFixed(2)} (${worst.name}; target >= ${targetRatio}: ${ratios.every((r) => r.ratio >= targetRatio) ? 'met' : 'NOT met'})`)
  console.log(
    `download counting: lowest ratio to floor 2, which decompresses and decodes as countLog does, ${lowest(tightRatios).ratio.toFixed(2)} ` +
      `(${tightRatios.map((r) => `${r.name} ${r.ratio.toFixed(2)}`).join(', ')})`,
  )
}

if (process.argv[1] === self && process.argv[2] === 'child') await child(process.argv[3]!, process.argv.slice(4))
