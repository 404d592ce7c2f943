import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import zlib from 'node:zlib'
import fc from 'fast-check'
import xxhash from 'xxhash-wasm'
import { describe, expect, test } from 'vitest'
import {
  compareVersions,
  compressionOf,
  countLog,
  decompress,
  type DownloadCount,
  isCargoAgent,
  isSemver,
  type LogCount,
  pathToDownload,
  requestToDownload,
  skipReasons,
  utcDay,
  zstdStoredFrame,
} from '../../tools/security/downloads/index.ts'
import { LineSplitter } from '../../tools/security/downloads/lines.ts'

const fixtures = path.resolve(import.meta.dirname ?? '.', '../fixtures/security/downloads')
const { h64Raw } = await xxhash()

/** A zstd frame of raw blocks with a checksum: the low 32 bits of XXH64 of its content, little-endian. */
function checksummed(content: Uint8Array): Buffer {
  const frame = zstdStoredFrame(content)
  frame[4] = frame[4]! | 0x04
  const checksum = Buffer.alloc(4)
  checksum.writeUInt32LE(Number(h64Raw(content) & 0xffffffffn))
  return Buffer.concat([frame, checksum])
}

/** The rules each fixture case verifies. */
const cases: Record<string, string[]> = {
  'cloudfront-basic': ['dl.cloudfront', 'dl.cloudfront.day', 'dl.counts'],
  'cloudfront-percent-encoding': ['dl.cloudfront.decoding', 'dl.filter.user-agent', 'dl.path.version'],
  'cloudfront-unrelated': ['dl.filter', 'dl.filter.user-agent', 'dl.path'],
  'cloudfront-recoverable-errors': ['dl.cloudfront.fields', 'dl.cloudfront.comments', 'dl.cloudfront.rows', 'dl.skipped', 'dl.path.name'],
  'cloudfront-unsupported-version': ['dl.cloudfront.version', 'dl.refused'],
  'cloudfront-version-mid-file': ['dl.cloudfront.version', 'dl.refused'],
  'fastly-basic': ['dl.fastly', 'dl.fastly.day', 'dl.counts'],
  'fastly-percent-encoding': ['dl.fastly.decoding', 'dl.path', 'dl.filter.user-agent'],
  'fastly-unrelated': ['dl.filter', 'dl.filter.user-agent', 'dl.path'],
  'fastly-recoverable-errors': ['dl.fastly.record', 'dl.skipped', 'dl.path.name', 'dl.path.version'],
  'fastly-unsupported-version': ['dl.fastly.record'],
  'wrong-first-byte': ['dl.format', 'dl.refused'],
}

/** The result as a fixture's expected.json holds it. */
async function countFixture(file: string, options: Partial<Parameters<typeof countLog>[1]> = {}): Promise<LogCount> {
  return countLog(await readFile(file), { fileName: file, ...options })
}

const total = (counts: DownloadCount[]) => counts.reduce((sum, count) => sum + count.count, 0)

describe('download-counting fixtures', () => {
  test('every fixture folder has its case here', async () => {
    const folders = (await readdir(fixtures, { withFileTypes: true })).filter((entry) => entry.isDirectory() && entry.name !== 'compressed').map((entry) => entry.name)
    expect(folders.sort()).toEqual(Object.keys(cases).sort())
  })

  for (const [name, rules] of Object.entries(cases)) {
    test(`${rules.map((rule) => `[${rule}]`).join(' ')} ${name}`, async () => {
      const result = await countFixture(path.join(fixtures, name, 'input.log'))
      const expectedFile = path.join(fixtures, name, 'expected.json')
      // A missing expectation is written on the first run, and UPDATE=1 rewrites it, for review in the diff.
      if (process.env.UPDATE || !existsSync(expectedFile)) await writeFile(expectedFile, `${JSON.stringify(result, null, 2)}\n`)
      expect(result).toEqual(JSON.parse(await readFile(expectedFile, 'utf8')))
      // Every line is a download, a skipped line or a directive; nothing is lost between them.
      const skipped = Object.values(result.skipped).reduce((sum, count) => sum + count, 0)
      if (result.status === 'counted') {
        expect(total(result.counts)).toBe(result.downloads)
        expect(result.downloads + skipped).toBeLessThanOrEqual(result.lines)
      }
    })
  }

  test('[dl.cloudfront] [dl.counts] the basic CloudFront log gives counts per day, crate and version', async () => {
    const result = await countFixture(path.join(fixtures, 'cloudfront-basic/input.log'))
    expect(result).toMatchObject({ status: 'counted', format: 'cloudfront', lines: 9, downloads: 7, skipped: {} })
    expect(result.counts).toEqual([
      { day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 3 },
      { day: '2024-01-15', crate: 'serde_json', version: '1.0.111', count: 1 },
      { day: '2024-01-15', crate: 'tokio', version: '1.35.1', count: 1 },
      { day: '2024-01-16', crate: 'rand', version: '0.8.5', count: 1 },
      { day: '2024-01-16', crate: 'tokio', version: '1.35.1', count: 1 },
    ])
  })

  test('[dl.cloudfront.decoding] CloudFront paths are decoded twice: `%252B` is `+`', async () => {
    const result = await countFixture(path.join(fixtures, 'cloudfront-percent-encoding/input.log'))
    expect(result.counts).toContainEqual({ day: '2024-01-15', crate: 'zstd-sys', version: '2.0.9+zstd.1.5.5', count: 3 })
    expect(result.counts).toContainEqual({ day: '2024-01-15', crate: 'serde-json', version: '1.0.0-rc.1', count: 1 })
    expect(result.skipped).toEqual({ 'user-agent': 1 })
  })

  test('[dl.fastly.decoding] Fastly URLs are decoded once: `%2B` is `+`, `%252B` stays `%2B`', async () => {
    const result = await countFixture(path.join(fixtures, 'fastly-percent-encoding/input.log'))
    expect(result.counts).toEqual([
      { day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 3 },
      { day: '2024-01-15', crate: 'zstd-sys', version: '2.0.9+zstd.1.5.5', count: 2 },
    ])
    expect(result.samples.find((sample) => sample.reason === 'invalid-version')?.message).toContain('`2.0.9%2Bzstd.1.5.5`')
  })

  test('[dl.fastly.day] a time in Z is read as the same time at +00:00', () => {
    // utcDay reads the 20-character Z form on its own; the offset form goes through the pattern.
    const digit = fc.constantFrom(...'0123456789'.split(''), ...'0012'.split(''))
    const zulu = fc
      .tuple(fc.array(digit, { minLength: 14, maxLength: 14 }), fc.constantFrom('T', 't', ' ', 'x'), fc.constantFrom('Z', 'z', 'Y'), fc.constantFrom(':', '-'))
      .map(([d, t, z, colon]) => `${d.slice(0, 4).join('')}-${d.slice(4, 6).join('')}-${d.slice(6, 8).join('')}${t}${d.slice(8, 10).join('')}${colon}${d.slice(10, 12).join('')}:${d.slice(12).join('')}${z}`)
    fc.assert(
      fc.property(zulu, (text) => {
        expect(utcDay(text), text).toBe(/[Zz]$/.test(text) ? utcDay(`${text.slice(0, -1)}+00:00`) : undefined)
      }),
      { numRuns: 200 },
    )
    expect(utcDay('2024-02-29T23:59:60Z')).toBe('2024-02-29')
    expect(utcDay('2023-02-29T12:00:00Z')).toBeUndefined()
  })

  test('[dl.fastly.day] the day is the UTC date of date_time, whatever its offset', async () => {
    const result = await countFixture(path.join(fixtures, 'fastly-basic/input.log'))
    expect(result.counts.filter((count) => count.crate === 'tokio')).toEqual([
      { day: '2024-01-15', crate: 'tokio', version: '1.35.1', count: 1 },
      { day: '2024-01-16', crate: 'tokio', version: '1.35.1', count: 2 },
    ])
    expect(utcDay('2024-01-15T23:30:00-01:00')).toBe('2024-01-16')
    expect(utcDay('2024-01-17T00:30:00+02:00')).toBe('2024-01-16')
    expect(utcDay('2024-03-01T00:00:00.5+00:01')).toBe('2024-02-29')
    expect(utcDay('2023-12-31T23:59:60Z')).toBe('2023-12-31')
    // The years 0 to 99 are those years, not 1900 to 1999; a day before 0000 has no date.
    expect(utcDay('0050-01-01T00:30:00+01:00')).toBe('0049-12-31')
    expect(utcDay('0099-12-31T23:30:00-01:00')).toBe('0100-01-01')
    expect(utcDay('0000-01-01T00:30:00+01:00')).toBeUndefined()
    for (const bad of ['2024-01-15', '2024-01-15 12:00:00Z', '2024-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-15T24:00:00Z', '2024-01-15T12:00:00+24:00', '2024-01-15T12:00:00']) {
      expect(utcDay(bad), bad).toBeUndefined()
    }
  })

  test('[dl.cloudfront.fields] a later #Fields: line redefines the columns; one without a needed field skips its rows', async () => {
    const result = await countFixture(path.join(fixtures, 'cloudfront-recoverable-errors/input.log'))
    expect(result.counts).toEqual([
      { day: '2024-01-15', crate: 'log', version: '0.4.20', count: 2 },
      { day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 1 },
    ])
    expect(result.samples.filter((sample) => sample.reason === 'missing-field').map((sample) => [sample.line, sample.message])).toEqual([
      [16, 'a field the counter needs is absent or of the wrong type: `sc-status`'],
    ])
  })

  test('[dl.cloudfront.fields] columns are found by name, in any order, and the user agent only when the fields line has one', async () => {
    const log = [
      '#Version: 1.0',
      '#Fields: cs(User-Agent) sc-status x-extra cs-uri-stem date cs-method',
      'cargo/1.75.0\t200\t-\t/crates/a/a-1.0.0.crate\t2024-01-15\tGET',
      'curl/8\t200\t-\t/crates/a/a-1.0.0.crate\t2024-01-15\tGET',
      '#Fields: cs-method date cs-uri-stem sc-status',
      'GET\t2024-01-16\t/crates/a/1.0.0/download\t200',
      'GET\t2024-01-16\t/crates/a/1.0.0/download\t200\tcargo/1',
    ].join('\n')
    const result = await countLog(Buffer.from(log), { fileName: 'x.log' })
    expect(result.counts).toEqual([
      { day: '2024-01-15', crate: 'a', version: '1.0.0', count: 1 },
      { day: '2024-01-16', crate: 'a', version: '1.0.0', count: 1 },
    ])
    expect(result.skipped).toEqual({ 'field-count': 1, 'user-agent': 1 })
    expect(result.samples.find((sample) => sample.reason === 'field-count')?.message).toContain('`5 fields, the #Fields: line has 4`')
  })

  test('[dl.cloudfront.fields] a fields line of thousands of columns is read like any other, and a later one goes back to the usual layout', async () => {
    // V8 cannot compile one pattern for such a row ("regular expression too large"): the counter splits it.
    const extra = Array.from({ length: 8000 }, (_, index) => `x${index}`)
    const wide = ['2024-01-15', 'GET', '/crates/a/a-1.0.0.crate', '200', ...extra.map(() => '-')].join('\t')
    const log = [
      '#Version: 1.0',
      `#Fields: date cs-method cs-uri-stem sc-status ${extra.join(' ')}`,
      wide,
      wide.slice(0, -2),
      '#Fields: date cs-method cs-uri-stem sc-status',
      '2024-01-16\tGET\t/crates/a/a-1.0.0.crate\t200',
    ].join('\n')
    const result = await countLog(Buffer.from(log), { fileName: 'wide.log' })
    expect(result).toMatchObject({ status: 'counted', downloads: 2, skipped: { 'field-count': 1 } })
    expect(result.counts).toEqual([
      { day: '2024-01-15', crate: 'a', version: '1.0.0', count: 1 },
      { day: '2024-01-16', crate: 'a', version: '1.0.0', count: 1 },
    ])
    expect(result.samples.find((sample) => sample.reason === 'field-count')?.message).toContain(`\`${8003} fields, the #Fields: line has ${8004}\``)
  })

  test('[dl.cloudfront.comments] a `#` line is a comment even when its fields are those of a row, read in place or not', async () => {
    // Led by the date, and not: a row, `#` and a row, `#` and another row, a row.
    const layouts: Array<[string, (mark: string, path: string) => string]> = [
      ['date cs-method cs-uri-stem sc-status', (mark, path) => `${mark}2024-01-15\tGET\t${path}\t200`],
      ['x-edge-location date cs-method cs-uri-stem sc-status', (mark, path) => `${mark}FRA\t2024-01-15\tGET\t${path}\t200`],
    ]
    for (const [fields, row] of layouts) {
      const download = '/crates/a/a-1.0.0.crate'
      const text = `#Version: 1.0\n#Fields: ${fields}\n${row('', download)}\n${row('#', download)}\n${row('#', '/index.html')}\n${row('', download)}\n`
      const inPlace = await countLog(Buffer.from(text), { fileName: 'x.log' })
      expect(inPlace, fields).toMatchObject({ lines: 6, downloads: 2, skipped: { comment: 2 } })
      const byLine = async function* () {
        for (let at = 0; at < text.length; at++) yield Buffer.from(text[at]!)
      }
      expect(await countLog(byLine(), { fileName: 'x.log' })).toEqual(inPlace)
    }
  })

  test('[dl.refused] [dl.cloudfront.version] a #Version: other than 1.0 refuses the whole file, even after rows were counted', async () => {
    for (const [name, line, version] of [['cloudfront-unsupported-version', 1, '2.0'], ['cloudfront-version-mid-file', 4, '1.1']] as const) {
      const result = await countFixture(path.join(fixtures, name, 'input.log'))
      expect(result).toMatchObject({ status: 'refused', error: `line ${line}: \`#Version: ${version}\` is not supported, expected \`#Version: 1.0\``, downloads: 0, counts: [] })
    }
    const rowFirst = await countLog(Buffer.from('#Fields: date\n2024-01-15\n'), { fileName: 'x.log' })
    expect(rowFirst).toMatchObject({ status: 'refused', error: 'line 2: a row comes before any `#Version:` line, so the format version is unknown' })
  })

  test('[dl.format] [dl.refused] a first byte other than `#` or `<` refuses the file and names the byte', async () => {
    const result = await countFixture(path.join(fixtures, 'wrong-first-byte/input.log'))
    expect(result).toMatchObject({ status: 'refused', error: 'the first byte is 0x7B (`{`), expected `#` for cloudfront or `<` for fastly' })
    expect((await countLog(Buffer.from([0xef, 0xbb, 0xbf, 0x23]), { fileName: 'bom.log' })).error).toBe('the first byte is 0xEF, expected `#` for cloudfront or `<` for fastly')
    expect((await countLog(Buffer.alloc(0), { fileName: 'empty.log' })).error).toBe('the log is empty')
  })
})

describe('compression', () => {
  test('[dl.input.compression] the extension chooses the decompressor; an unknown one refuses the file and is named', async () => {
    expect(['a.gz', 'a.zst', 'a.zstd', 'a.log', 'a.txt'].map(compressionOf)).toEqual(['gzip', 'zstd', 'zstd', 'none', 'none'])
    expect(compressionOf('E2K2.2024-01-15-12.abcd.bz2')).toEqual({ error: 'unknown extension `.bz2`, expected `.gz`, `.zst`, `.zstd`, `.log` or `.txt`' })
    expect(compressionOf('logfile')).toEqual({ error: 'the file name has no extension, expected `.gz`, `.zst`, `.zstd`, `.log` or `.txt`' })
    const refused = await countLog(Buffer.from('#Version: 1.0\n'), { fileName: 'x.bz2' })
    expect(refused).toMatchObject({ status: 'refused', error: 'unknown extension `.bz2`, expected `.gz`, `.zst`, `.zstd`, `.log` or `.txt`' })
  })

  test('[dl.input.compression] gzip and zstd files made by gzip(1) and zstd(1) count as their plain text does', async () => {
    for (const name of ['cloudfront-basic', 'fastly-basic']) {
      const plain = await countFixture(path.join(fixtures, name, 'input.log'))
      expect(await countFixture(path.join(fixtures, 'compressed', `${name}.log.gz`))).toEqual(plain)
      expect(await countFixture(path.join(fixtures, 'compressed', `${name}.log.zst`))).toEqual(plain)
    }
  })

  test('[dl.input.compression] [dl.refused] corrupt or truncated compression refuses the file, with what the decompressor said', async () => {
    const text = await readFile(path.join(fixtures, 'fastly-basic/input.log'))
    const gzip = zlib.gzipSync(text)
    expect(await countLog(gzip.subarray(0, gzip.length - 10), { fileName: 'x.gz' })).toMatchObject({ status: 'refused', error: 'cannot decompress: unexpected end of file' })
    expect((await countLog(Buffer.from('not gzip at all'), { fileName: 'x.gz' })).error).toBe('cannot decompress: incorrect header check')
    const zstd = await readFile(path.join(fixtures, 'compressed/fastly-basic.log.zst'))
    expect(await countLog(zstd.subarray(0, zstd.length - 3), { fileName: 'x.zst' })).toMatchObject({ status: 'refused', error: 'cannot decompress: unexpected EOF' })
    expect((await countLog(Buffer.from('not zstd at all'), { fileName: 'x.zst' })).error).toBe('cannot decompress: invalid zstd data')
  })

  test('[dl.input.compression] zstd decompressed in a worker thread gives the same bytes and the same errors', async () => {
    const zstd = await readFile(path.join(fixtures, 'compressed/fastly-basic.log.zst'))
    const inChunks = (bytes: Uint8Array, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size))
    const read = async (bytes: Uint8Array, zstdWorkerAfter: number) => {
      const out: Uint8Array[] = []
      try {
        for await (const chunk of decompress(inChunks(bytes, 100), 'zstd', { zstdWorkerAfter })) out.push(chunk)
        return { bytes: Buffer.concat(out) }
      } catch (error) {
        return { error: (error as Error).message, code: (error as { code?: unknown }).code }
      }
    }
    for (const bytes of [zstd, zstd.subarray(0, zstd.length - 3), Buffer.concat([zstd.subarray(0, 40), Buffer.from('garbage'), zstd.subarray(47)]), Buffer.from('not zstd at all')]) {
      const here = await read(bytes, Number.POSITIVE_INFINITY)
      expect(await read(bytes, 0)).toEqual(here)
    }
    expect((await read(zstd, 0)).bytes).toEqual(await readFile(path.join(fixtures, 'fastly-basic/input.log')))
    // Two logs at once, and a log left midway, after which the next still reads.
    const [a, b] = await Promise.all([read(zstd, 0), read(zstd, 0)])
    expect(a).toEqual(b)
    for await (const _ of decompress(inChunks(zstd, 100), 'zstd', { zstdWorkerAfter: 0 })) break
    expect(await read(zstd, 0)).toEqual(a)
  })

  test('[dl.input.compression] [dl.refused] a zstd frame whose content does not match its checksum refuses the file, in this thread and in the worker', async () => {
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3])
    const cloudfront = await readFile(path.join(fixtures, 'compressed/cloudfront-basic.log.zst'))
    const fastly = await readFile(path.join(fixtures, 'compressed/fastly-basic.log.zst'))
    const plain = Buffer.concat(await Promise.all(['cloudfront-basic', 'fastly-basic'].map((name) => readFile(path.join(fixtures, name, 'input.log')))))
    // Frames made by zstd(1), a skippable frame, and one of raw blocks (it keeps a flipped byte readable).
    const stream = Buffer.concat([cloudfront, skippable, fastly, checksummed(plain)])
    const read = async (bytes: Uint8Array, size: number, zstdWorkerAfter: number) => {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size))
      const out: Uint8Array[] = []
      try {
        for await (const chunk of decompress(chunks, 'zstd', { zstdWorkerAfter })) out.push(chunk)
        return Buffer.concat(out)
      } catch (error) {
        return { error: (error as Error).message, code: (error as { code?: unknown }).code }
      }
    }
    const corrupt = (at: number) => {
      const bytes = Buffer.from(stream)
      bytes[at] = bytes[at]! ^ 0x20
      return bytes
    }
    // The last byte of the fastly frame is its checksum's; a byte of the raw frame's content is text.
    const checksumByte = cloudfront.length + skippable.length + fastly.length - 1
    const contentByte = stream.length - 4 - 100
    for (const zstdWorkerAfter of [Number.POSITIVE_INFINITY, 0]) {
      for (const size of [1, 7, 100, stream.length]) {
        expect(await read(stream, size, zstdWorkerAfter)).toEqual(Buffer.concat([plain, plain]))
        expect(await read(corrupt(checksumByte), size, zstdWorkerAfter)).toEqual({ error: expect.stringMatching(/^the content of zstd frame 2 does not match its checksum: it hashes to 0x[0-9a-f]{8}, the frame says 0x[0-9a-f]{8}$/), code: 'ZSTD_CHECKSUM' })
        expect(await read(corrupt(contentByte), size, zstdWorkerAfter)).toMatchObject({ error: expect.stringMatching(/^the content of zstd frame 3 does not match/) })
      }
    }
    const refused = await countLog(corrupt(checksumByte), { fileName: 'x.log.zst' })
    expect(refused).toMatchObject({ status: 'refused', downloads: 0, counts: [], error: expect.stringMatching(/^cannot decompress: the content of zstd frame 2 does not match its checksum/) })
  })

  test('[dl.input.compression] [sec.malformed.continue] zstd data on which fzstd fails midway (a RangeError, not one of its errors) refuses the file, never throws', async () => {
    // A skippable frame, then a frame whose only block has lost its last-block bit.
    const bytes = Buffer.from([95, 42, 77, 24, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 181, 47, 253, 4, 56, 32, 0, 0, 0, 102, 0, 0, 75, 226, 250, 48])
    const byByte = [...bytes].map((byte) => Uint8Array.of(byte))
    expect(await countLog(byByte, { fileName: 'x.zst' })).toMatchObject({ status: 'refused', error: 'cannot decompress: invalid zstd data (offset is out of bounds)' })
    const inWorker = async () => {
      for await (const _ of decompress(byByte, 'zstd', { zstdWorkerAfter: 0 }));
    }
    await expect(inWorker()).rejects.toMatchObject({ message: 'invalid zstd data (offset is out of bounds)', code: 'ZSTD_CORRUPT' })
  })

  test('[dl.input.compression] any stream of zstd frames decodes to their contents however it is cut, and any flipped byte refuses it or leaves the content as it was', async () => {
    // Frames of raw blocks, with a checksum or without, empty or not, and skippable frames between.
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((content) => ({ content, bytes: checksummed(content) })),
      fc.uint8Array({ maxLength: 300 }).map((content) => ({ content, bytes: Buffer.from(zstdStoredFrame(content)) })),
      fc.uint8Array({ maxLength: 20 }).map((data) => {
        const header = Buffer.from([0x5f, 0x2a, 0x4d, 0x18, 0, 0, 0, 0])
        header.writeUInt32LE(data.length, 4)
        return { content: new Uint8Array(0), bytes: Buffer.concat([header, data]) }
      }),
    )
    const frames = fc.array(frame, { minLength: 1, maxLength: 5 }).filter((list) => list.some((item) => item.bytes[0] === 0x28))
    await fc.assert(
      fc.asyncProperty(frames, fc.integer({ min: 1, max: 40 }), fc.nat(), fc.constantFrom(Number.POSITIVE_INFINITY, 0), async (list, size, flip, zstdWorkerAfter) => {
        const stream = Buffer.concat(list.map((item) => item.bytes))
        const content = Buffer.concat(list.map((item) => item.content))
        const read = async (bytes: Buffer) => {
          const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size))
          const out: Uint8Array[] = []
          try {
            for await (const chunk of decompress(chunks, 'zstd', { zstdWorkerAfter })) out.push(chunk)
            return Buffer.concat(out)
          } catch (error) {
            return { code: (error as { code?: unknown }).code }
          }
        }
        expect(await read(stream)).toEqual(content)
        const flipped = Buffer.from(stream)
        flipped[flip % stream.length] = flipped[flip % stream.length]! ^ 0x01
        const result = await read(flipped)
        // A byte of content in a frame without a checksum changes the content unseen; nothing else does.
        if (Buffer.isBuffer(result) && !result.equals(content)) {
          const at = flip % stream.length
          let start = 0
          const owner = list.find((item) => (start += item.bytes.length) > at)!
          expect(owner.bytes[4]! & 0x04, `byte ${at} changed the content of a checksummed frame`).toBe(0)
        } else if (!Buffer.isBuffer(result)) expect(['ZSTD_CHECKSUM', 'ZSTD_CORRUPT', 0, 1, 2, 3, 4, 5, 6, 7]).toContain(result.code)
      }),
      { numRuns: 200 },
    )
  })

  test('[dl.input.stream] a zstd log that compresses extremely well (512 MiB from 16 KiB) is never decompressed whole into memory', async () => {
    // RLE blocks (RFC 8878, 3.1.1.2.2): each 4 bytes stand for 128 KiB of line breaks.
    const blocks = 4096
    const frame = new Uint8Array(6 + blocks * 4)
    frame.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3])
    for (let block = 0; block < blocks; block++) {
      const header = (block === blocks - 1 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3)
      frame.set([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x0a], 6 + block * 4)
    }
    for (const zstdWorkerAfter of [Number.POSITIVE_INFINITY, 0]) {
      const before = process.memoryUsage().rss
      let grown = 0
      let total = 0
      for await (const chunk of decompress([frame], 'zstd', { zstdWorkerAfter })) {
        total += chunk.length
        grown = Math.max(grown, process.memoryUsage().rss - before)
      }
      expect(total).toBe(blocks * 128 * 1024)
      // Decoded whole, it held all 512 MiB at once (in this thread, or as messages from the worker).
      expect(grown, `zstdWorkerAfter ${zstdWorkerAfter}`).toBeLessThan(256 * 1024 * 1024)
    }
  })

  test('[dl.input.compression] a zstd log of more than a MiB counts as its plain text does, and is refused as it is', async () => {
    const text = await readFile(path.join(fixtures, 'cloudfront-recoverable-errors/input.log'))
    const [header, rows] = [text.subarray(0, text.indexOf('\n#Fields') + 1), text.subarray(text.indexOf('\n#Fields') + 1)]
    const big = Buffer.concat([header, ...Array.from({ length: Math.ceil((1.5 * 1024 * 1024) / rows.length) }, () => rows)])
    expect(big.length).toBeGreaterThan(1.5 * 1024 * 1024)
    const plain = await countLog(big, { fileName: 'x.log' })
    expect(plain.downloads).toBeGreaterThan(500)
    expect(await countLog(zstdStoredFrame(big), { fileName: 'x.zst' })).toEqual(plain)
    const refusedMidway = Buffer.concat([big, Buffer.from('#Version: 2.0\n'), big])
    expect(await countLog(zstdStoredFrame(refusedMidway), { fileName: 'x.zst' })).toEqual(await countLog(refusedMidway, { fileName: 'x.log' }))
  })

  test('[dl.input.stream] a log is read as it streams, in chunks of any size, with the same result', async () => {
    const text = await readFile(path.join(fixtures, 'cloudfront-recoverable-errors/input.log'))
    const whole = await countLog(text, { fileName: 'x.log' })
    for (const size of [1, 7, 100, 4096]) {
      const chunks = async function* () {
        for (let at = 0; at < text.length; at += size) yield text.subarray(at, at + size)
      }
      expect(await countLog(chunks(), { fileName: 'x.log' })).toEqual(whole)
      expect(await countLog(zlib.gzipSync(text), { fileName: 'x.gz' })).toEqual(whole)
      expect(await countLog(zstdStoredFrame(text), { fileName: 'x.zst' })).toEqual(whole)
    }
  })

  test('[dl.input.stream] a line of just the limit ending in CR LF counts wherever a chunk ends, even between the CR and the LF', async () => {
    const row = (await readFile(path.join(fixtures, 'fastly-basic/input.log'), 'utf8')).split('\n')[0]!
    const bytes = Buffer.from(`${row}\r\n${row}\r\n`)
    const whole = await countLog(bytes, { fileName: 'x.log', maxLineLength: row.length })
    expect(whole).toMatchObject({ lines: 2, downloads: 2, skipped: {} })
    for (let cut = row.length - 1; cut <= row.length + 2; cut++) {
      expect(await countLog([bytes.subarray(0, cut), bytes.subarray(cut)], { fileName: 'x.log', maxLineLength: row.length }), `cut at ${cut}`).toEqual(whole)
    }
  })

  test('[dl.input.stream] a chunk larger than the pieces it is decoded in counts as small chunks do, whatever lies at the cuts', async () => {
    // Rows of every fixture of each format, a two-, three- and four-byte character now and then, a
    // line longer than a decoding piece (so that one is cut with no line break near), and lines of
    // every length around the pieces' ends: a chunk of some 400 KiB, decoded in 64 KiB pieces.
    for (const format of ['cloudfront', 'fastly']) {
      const folders = (await readdir(fixtures)).filter((folder) => folder.startsWith(`${format}-`) && !folder.includes('version'))
      const rows = (await Promise.all(folders.map((folder) => readFile(path.join(fixtures, folder, 'input.log'), 'utf8'))))
        .flatMap((text) => text.split('\n'))
        .filter((line) => line.length > 0 && !line.startsWith('#'))
      const head = format === 'cloudfront' ? ((await readFile(path.join(fixtures, 'cloudfront-basic/input.log'), 'utf8')).match(/^(?:#.*\n)+/)?.[0] ?? '') : ''
      const lines: string[] = []
      for (let index = 0; lines.join('\n').length < 400 * 1024; index++) {
        lines.push(rows[index % rows.length]!)
        if (index % 97 === 0) lines.push(`${rows[index % rows.length]!}é€😀`)
        if (index === 300) lines.push(`<134>${'x'.repeat(70 * 1024)}`)
      }
      const bytes = Buffer.from(`${head}${lines.join('\n')}\n`)
      const whole = await countLog(bytes, { fileName: 'x.log', maxLineLength: 100_000 })
      expect(whole.downloads).toBeGreaterThan(300)
      for (const size of [4093, 65_536]) {
        const chunks = async function* () {
          for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
        }
        expect(await countLog(chunks(), { fileName: 'x.log', maxLineLength: 100_000 }), `${format}, chunks of ${size}`).toEqual(whole)
      }
    }
  })

  test('[dl.input.stream] the lines of a large chunk are its text split at line breaks, a character cut between pieces included', () => {
    // Lines of two-, three- and four-byte characters, one longer than a piece: cuts fall inside characters.
    const text = Array.from({ length: 3000 }, (_, index) => (index === 1000 ? 'é€😀'.repeat(12_000) : `${index} ${'é€😀x'.repeat(index % 50)}`)).join('\n')
    const lines: string[] = []
    const splitter = new LineSplitter({ line: (line) => void lines.push(line), tooLong: () => expect.unreachable() }, 1_000_000)
    splitter.push(Buffer.from(text))
    splitter.end()
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * LineSplitter.pieceBytes)
    expect(lines).toEqual(text.split('\n'))
  })

  test('[dl.input.stream] what counting keeps is its counts and samples, not the log they were read from', async () => {
    // 20,000 counts of long crate names and versions, and samples of long paths, on long lines:
    // cut from the decoded text, each would keep its piece of it alive unless copied.
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const log = () => {
      const rows = ['#Version: 1.0', '#Fields: date cs-method cs-uri-stem sc-status cs(Referer)']
      for (let index = 0; index < 20_000; index++) {
        const crate = `a-long-crate-name-${index}`
        const path = index % 1000 === 0 ? `/not/a/download/${'x'.repeat(100)}` : `/crates/${crate}/${crate}-1.0.0+build.${index}.crate`
        rows.push(['2024-01-15', index % 2000 === 0 ? 'PUT' : 'GET', path, '200', '-'.repeat(1500)].join('\t'))
      }
      return Buffer.from(`${rows.join('\n')}\n`)
    }
    const bytes = log()
    const chunks = function* () {
      for (let at = 0; at < bytes.length; at += 256 * 1024) yield bytes.subarray(at, at + 256 * 1024)
    }
    gc()
    const before = process.memoryUsage().heapUsed
    const result = await countLog(chunks(), { fileName: 'x.log' })
    gc()
    const kept = process.memoryUsage().heapUsed - before
    expect(result).toMatchObject({ downloads: 19_980, skipped: { method: 10, 'not-a-download': 10 } })
    expect(result.samples.length).toBe(10)
    // The log is some 30 MB of text; the counts and samples, a few.
    expect(kept).toBeLessThan(bytes.length / 4)
  })

  test('[dl.input.stream] a line longer than the limit is skipped without being held, and the next lines count', async () => {
    const row = (await readFile(path.join(fixtures, 'fastly-basic/input.log'), 'utf8')).split('\n')[0]!
    const long = `<134>${'x'.repeat(10_000)}`
    const chunks = async function* () {
      yield Buffer.from(`${row}\n`)
      for (let at = 0; at < long.length; at += 100) yield Buffer.from(long.slice(at, at + 100))
      yield Buffer.from(`\r\n${row}\r\n${long}`)
    }
    const result = await countLog(chunks(), { fileName: 'x.log', maxLineLength: 1000 })
    expect(result).toMatchObject({ lines: 4, downloads: 2, skipped: { 'line-too-long': 2 } })
    expect(result.samples.map((sample) => [sample.line, sample.reason])).toEqual([[2, 'line-too-long'], [4, 'line-too-long']])
  })
})

describe('judging a request', () => {
  test('[dl.filter.user-agent] cargo, then a slash or a space, as is or percent-encoded once or twice', () => {
    for (const agent of ['cargo/1.75.0 (1d8b05cdd 2023-11-20)', 'cargo 1.75.0', 'cargo%2F1.75.0', 'cargo%2f1.75.0', 'cargo%201.75.0', 'cargo%252F1.75.0', 'cargo%25201.75.0']) {
      expect(isCargoAgent(agent), agent).toBe(true)
    }
    for (const agent of ['cargo', 'cargo-audit/0.18', 'Cargo/1.75.0', 'curl/8.5.0', '-', '', ' cargo/1.0', 'cargo%2', 'cargo%30']) {
      expect(isCargoAgent(agent), agent).toBe(false)
    }
  })

  test('[dl.path] the two download paths, with any scheme and host, the query ignored; nothing else', () => {
    expect(pathToDownload('2024-01-15', '/crates/serde/serde-1.0.195.crate')).toEqual({ day: '2024-01-15', crate: 'serde', version: '1.0.195' })
    expect(pathToDownload('2024-01-15', '/crates/serde/1.0.195/download')).toEqual({ day: '2024-01-15', crate: 'serde', version: '1.0.195' })
    for (const path of ['/crates/serde', '/crates/serde/serde-1.0.195.crate/', '/crates/serde/1.0.195/download/x', '/api/v1/crates/serde/1.0.195/download', '/crates//-1.0.0.crate', '/crates/serde/serde-1.0.195.tar.gz']) {
      expect(pathToDownload('2024-01-15', path), path).toMatchObject({ skip: expect.stringMatching(/not-a-download|invalid-crate-name/) })
    }
  })

  test('[dl.path.version] the version must be a semantic version; build metadata is kept', () => {
    expect(pathToDownload('d', '/crates/zstd-sys/zstd-sys-2.0.9+zstd.1.5.5.crate')).toMatchObject({ version: '2.0.9+zstd.1.5.5' })
    expect(pathToDownload('d', '/crates/a/a-1.0.0-alpha.1+build.5.crate')).toMatchObject({ version: '1.0.0-alpha.1+build.5' })
    for (const version of ['1.0', '01.0.0', '1.0.0-', '1.0.0+', 'v1.0.0', '1.0.0-01']) {
      expect(pathToDownload('d', `/crates/a/${version}/download`), version).toEqual({ skip: 'invalid-version', found: version })
    }
    expect(isSemver('1.0.0-rc.1')).toBe(true)
    expect(['1.10.0', '1.9.0', '1.0.0', '1.0.0-rc.1', '1.0.0-alpha', '1.0.0+b', '1.0.0-alpha.1', '1.0.0-alpha.beta'].sort(compareVersions)).toEqual([
      '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-rc.1', '1.0.0', '1.0.0+b', '1.9.0', '1.10.0',
    ])
  })

  test('[dl.path.name] the crate name must be valid and the two names in the path agree', () => {
    expect(pathToDownload('d', '/crates/serde/serde_json-1.0.0.crate')).toEqual({ skip: 'name-mismatch', found: '/crates/serde/serde_json-1.0.0.crate' })
    expect(pathToDownload('d', '/crates/serde/serde-json-1.0.0.crate')).toEqual({ skip: 'name-mismatch', found: '/crates/serde/serde-json-1.0.0.crate' })
    expect(pathToDownload('d', '/crates/Serde/serde-1.0.0.crate')).toEqual({ skip: 'name-mismatch', found: '/crates/Serde/serde-1.0.0.crate' })
    expect(pathToDownload('d', '/crates/serde/tokio.crate')).toMatchObject({ skip: 'name-mismatch' })
    expect(pathToDownload('d', '/crates/1password/1.0.0/download')).toEqual({ skip: 'invalid-crate-name', found: '1password' })
    expect(pathToDownload('d', '/crates/nul/nul-1.0.0.crate')).toEqual({ skip: 'invalid-crate-name', found: 'nul' })
    expect(pathToDownload('d', '/crates/serde-json/serde-json-1.0.0.crate')).toMatchObject({ crate: 'serde-json', version: '1.0.0' })
  })

  test('[dl.path] [dl.path.name] [dl.path.version] a path with nothing to remove or decode is judged as pathToDownload judges it', () => {
    // requestToDownload reads such a path with one pattern; this holds it to the rules' own reading.
    const name = fc.oneof(fc.constantFrom('serde', 'serde-json', 'Serde', 'nul', 'NUL', 'std', 'a', '1password', 'x'.repeat(64), 'x'.repeat(65), 'zstd-sys', ''), fc.string({ unit: fc.constantFrom('a', 'Z', '-', '_', '1', '.', '+', '/', 'é'), maxLength: 8 }))
    const version = fc.oneof(fc.constantFrom('1.0.0', '0.1.0-rc.1', '2.0.9+zstd.1.5.5', '1.0', '01.0.0', '1.0.0-', '1.0.0-01', 'v1.0.0', '1.0.0.crate'), fc.string({ unit: fc.constantFrom('0', '1', '.', '-', '+', 'a', '/'), maxLength: 10 }))
    const path = fc.oneof(
      fc.tuple(name, name, version).map(([folder, file, v]) => `/crates/${folder}/${file}-${v}.crate`),
      fc.tuple(name, version).map(([folder, v]) => `/crates/${folder}/${folder}-${v}.crate`),
      fc.tuple(name, version, fc.constantFrom('/download', '/download/', '/downloads', '')).map(([folder, v, end]) => `/crates/${folder}/${v}${end}`),
    )
    fc.assert(
      fc.property(path, fc.constantFrom(1 as const, 2 as const), (url, decode) => {
        const request = { day: '2024-01-15', method: 'GET', status: 200, userAgent: undefined, decode, url }
        expect(requestToDownload(request)).toEqual(pathToDownload('2024-01-15', url))
      }),
      { numRuns: 2000 },
    )
  })

  test('[dl.skipped] samples are the first few lines of each reason, in line order, without addresses or user agents', async () => {
    const row = (await readFile(path.join(fixtures, 'fastly-unrelated/input.log'), 'utf8')).split('\n')[4]!
    const text = Array.from({ length: 12 }, () => row).join('\n')
    const result = await countLog(Buffer.from(text), { fileName: 'x.log', maxSamples: 3 })
    expect(result.skipped).toEqual({ 'user-agent': 12 })
    expect(result.samples).toEqual([1, 2, 3].map((line) => ({ line, reason: 'user-agent', message: "the user agent is not cargo's" })))
    expect(JSON.stringify(result)).not.toMatch(/curl|2001:db8/)
    // Control and bidirectional characters in what was found are escaped, never written raw.
    const sneaky = await countLog(Buffer.from(row.replace('"/crates/serde/serde-1.0.195.crate"', '"/\\u202e\\u0007x"').replace('curl/8.5.0', 'cargo/1')), { fileName: 'x.log' })
    expect(sneaky.samples[0]!.message).toBe('the path is not a crate download path: `/\\u{202E}\\u{7}x`')
  })

  test('[dl.order] counts are sorted by day, crate name and version precedence', async () => {
    const row = (await readFile(path.join(fixtures, 'fastly-basic/input.log'), 'utf8')).split('\n')[0]!
    const url = (crate: string, version: string) => row.replace('/crates/serde/serde-1.0.195.crate', `/crates/${crate}/${version}/download`)
    const lines = [url('b', '1.10.0'), url('b', '1.9.0'), url('B', '1.0.0'), url('a_c', '1.0.0'), url('a-b', '1.0.0'), url('b', '1.9.0-rc.1')]
    const result = await countLog(Buffer.from(lines.join('\n')), { fileName: 'x.log' })
    expect(result.counts.map((count) => `${count.crate} ${count.version}`)).toEqual(['a-b 1.0.0', 'a_c 1.0.0', 'B 1.0.0', 'b 1.9.0-rc.1', 'b 1.9.0', 'b 1.10.0'])
  })

  test('[dl.counts] batches hand the counts over as they fill, and add up to the same counts', async () => {
    const text = await readFile(path.join(fixtures, 'cloudfront-basic/input.log'))
    const batches: DownloadCount[][] = []
    const result = await countLog(text, { fileName: 'x.log', batchSize: 2, onBatch: (batch) => void batches.push(batch) })
    expect(result.counts).toEqual([])
    expect(batches.length).toBeGreaterThan(1)
    expect(batches.every((batch) => batch.length <= 2)).toBe(true)
    const whole = await countLog(text, { fileName: 'x.log' })
    const summed = new Map<string, number>()
    for (const count of batches.flat()) summed.set(`${count.day} ${count.crate} ${count.version}`, (summed.get(`${count.day} ${count.crate} ${count.version}`) ?? 0) + count.count)
    expect(Object.fromEntries(summed)).toEqual(Object.fromEntries(whole.counts.map((count) => [`${count.day} ${count.crate} ${count.version}`, count.count])))
  })

  test('[dl.counts] without onBatch, each (day, crate, version) is returned once, however small the batches', async () => {
    const text = await readFile(path.join(fixtures, 'cloudfront-basic/input.log'))
    const whole = await countLog(text, { fileName: 'x.log' })
    expect(new Set(whole.counts.map((count) => count.version)).size).toBeGreaterThan(2)
    expect(await countLog(text, { fileName: 'x.log', batchSize: 1 })).toEqual(whole)
  })
})

describe('properties', () => {
  const fragments = [
    '#Version: 1.0', '#Fields: date cs-method cs-uri-stem sc-status cs(User-Agent)', '#Fields: date', '#Version: 2.0', '2024-01-15\tGET\t/crates/a/a-1.0.0.crate\t200\tcargo/1',
    '<134>2024-01-15T00:00:00Z h n[1]: ', '{"version":"1","date_time":"2024-01-15T00:00:00Z","method":"GET","status":200,"url":"/crates/a/1.0.0/download"}',
    '%', '%25', '%E0', '\t', '\r', '\n', '\u0000', '\uFFFD', '\uD800', '/crates/', '{', '"', '[1]', ': ', '<134>',
  ]
  const soup = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => Buffer.from(parts.join(''))),
  )
  const prefixed = fc.tuple(fc.constantFrom('', '#', '<', '#Version: 1.0\n', '<134>'), soup).map(([prefix, bytes]) => Buffer.concat([Buffer.from(prefix), bytes]))

  test('[dl.skipped] [sec.malformed.continue] any byte soup, plain or named as compressed, never throws; every line is accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(prefixed, fc.constantFrom('x.log', 'x.gz', 'x.zst'), fc.integer({ min: 1, max: 64 }), async (bytes, fileName, chunk) => {
        const chunks = async function* () {
          for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk)
        }
        const result = await countLog(chunks(), { fileName, maxLineLength: 100 })
        expect(['counted', 'refused']).toContain(result.status)
        if (result.status === 'refused') expect(result.error).toBeTruthy()
        else {
          const skipped = Object.values(result.skipped).reduce((sum, count) => sum + count, 0)
          expect(result.downloads + skipped).toBeLessThanOrEqual(result.lines)
          expect(total(result.counts)).toBe(result.downloads)
          for (const reason of Object.keys(result.skipped)) expect(Object.keys(skipReasons)).toContain(reason)
        }
      }),
      { numRuns: 400 },
    )
  })

  test('[dl.input.stream] [sec.determinism] the result does not depend on chunk boundaries or the compression', async () => {
    await fc.assert(
      fc.asyncProperty(prefixed, fc.integer({ min: 1, max: 50 }), async (bytes, chunk) => {
        const whole = await countLog(bytes, { fileName: 'x.log', maxLineLength: 100 })
        const chunks = async function* () {
          for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk)
        }
        expect(await countLog(chunks(), { fileName: 'x.log', maxLineLength: 100 })).toEqual(whole)
        expect(await countLog(zlib.gzipSync(bytes), { fileName: 'x.gz', maxLineLength: 100 })).toEqual(whole)
        expect(await countLog(zstdStoredFrame(bytes), { fileName: 'x.zst', maxLineLength: 100 })).toEqual(whole)
      }),
      { numRuns: 200 },
    )
  })

  /** Mostly what counts, so that the rows read in place are many; now and then one thing that does not. */
  const mostly = <T,>(good: T[], bad: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 5 }, { arbitrary: fc.constantFrom(...bad), weight: 1 })

  /**
   * Each log counts the same whole, its download rows read in place, as in one-byte chunks, where
   * every line is cut out and read by the format's parser; and downloads were counted, many.
   */
  async function expectInPlaceAsLineByLine(log: fc.Arbitrary<Buffer>, maxLineLength: number): Promise<void> {
    let counted = 0
    await fc.assert(
      fc.asyncProperty(log, async (bytes) => {
        const inPlace = await countLog(bytes, { fileName: 'x.log', maxLineLength })
        const byLine = async function* () {
          for (let at = 0; at < bytes.length; at++) yield bytes.subarray(at, at + 1)
        }
        expect(await countLog(byLine(), { fileName: 'x.log', maxLineLength })).toEqual(inPlace)
        counted += inPlace.downloads
      }),
      { numRuns: 300 },
    )
    // Not a property that holds because nothing counts.
    expect(counted).toBeGreaterThan(300)
  }

  test('[dl.cloudfront.rows] [dl.path] [dl.filter] a CloudFront row read in place counts as the same row read line by line', async () => {
    // countLog reads a download row of a chunk in place (one pattern per #Fields: line); a row cut
    // by a chunk's end, and so every row of one-byte chunks, is cut out and read by the parser.
    const name = mostly(['serde', 'serde-json', 'Serde', 'a_b', 'x'.repeat(64)], ['nul', 'NUL', 'std', '1password', 'x'.repeat(65), 'ser%64e', 'é'])
    const version = mostly(['1.0.0', '0.1.0-rc.1', '2.0.9+zstd.1.5.5'], ['1.0', '01.0.0', '1.0.0-01', 'v1.0.0', '1.0.0%2Bx'])
    const stem = fc.oneof(
      { arbitrary: fc.tuple(name, version).map(([crate, v]) => `/crates/${crate}/${crate}-${v}.crate`), weight: 3 },
      { arbitrary: fc.tuple(name, version).map(([crate, v]) => `/crates/${crate}/${v}/download`), weight: 2 },
      fc.tuple(name, name, version).map(([folder, file, v]) => `/crates/${folder}/${file}-${v}.crate`),
      fc.constantFrom('/index.html', '/crates/serde/serde-1.0.0.crate?x=1', '/crates/serde/1.0.0/download/'),
    )
    const values: Record<string, fc.Arbitrary<string>> = {
      date: mostly(['2024-01-15', '2024-01-16'], ['2024-02-30', '2024-1-15', '2024-01-15x', '']),
      'cs-method': mostly(['GET'], ['get', 'HEAD']),
      'cs-uri-stem': stem,
      'sc-status': mostly(['200'], ['304', '2000', '']),
      'cs(User-Agent)': mostly(['cargo/1.75.0%20(1d8b05cdd%202023-11-20)', 'cargo%2F1', 'cargo%252F1'], ['cargo', 'curl/8.5.0', '']),
      'x-edge-location': mostly(['FRA56-P5', ''], ['a\rb']),
    }
    const required = ['date', 'cs-method', 'cs-uri-stem', 'sc-status']
    // The fields a #Fields: line names: now and then without a needed one; in any order.
    const fieldsLine = fc
      .tuple(fc.shuffledSubarray(['cs(User-Agent)', 'x-edge-location']), fc.integer({ min: 0, max: 9 }))
      .map(([optional, drop]) => [...required.filter((_, index) => index !== drop), ...optional])
      .chain((fields) => fc.shuffledSubarray(fields, { minLength: fields.length }))
    const row = (fields: string[]) =>
      fc.tuple(fc.tuple(...fields.map((field) => values[field]!)), mostly(['\n', '\r\n'], ['\textra\n'])).map(([cells, end]) => `${cells.join('\t')}${end}`)
    const block = fieldsLine.chain((fields) => fc.array(row(fields), { maxLength: 12 }).map((rows) => `#Fields: ${fields.join(' ')}\n${rows.join('')}`))
    const log = fc.array(block, { minLength: 1, maxLength: 3 }).map((blocks) => Buffer.from(`#Version: 1.0\n${blocks.join('')}`))
    await expectInPlaceAsLineByLine(log, 200)
  })

  test('[dl.fastly.record] [dl.path] [dl.filter] a Fastly row read in place counts as the same row read line by line', async () => {
    // countLog reads a download row in Fastly's layout in place, by one pattern; any other line, and
    // every line of one-byte chunks, is cut out and read by JSON.parse.
    const name = mostly(['serde', 'serde-json', 'Serde', 'a_b'], ['nul', 'std', '1password', 'x'.repeat(65), 'ser%64e', 'é', 'se\\u0072de'])
    const version = mostly(['1.0.0', '0.1.0-rc.1', '2.0.9+zstd.1.5.5'], ['1.0', '01.0.0', 'v1.0.0', '1.0.0%2Bx'])
    const url = fc.oneof(
      { arbitrary: fc.tuple(name, version).map(([crate, v]) => `/crates/${crate}/${crate}-${v}.crate`), weight: 3 },
      { arbitrary: fc.tuple(name, version).map(([crate, v]) => `/crates/${crate}/${v}/download`), weight: 2 },
      fc.constantFrom('/index.html', '/crates/serde/serde-1.0.0.crate?x=1', 'https://static.crates.io/crates/serde/serde-1.0.0.crate'),
    )
    // Each pair as it is written in the record: the key and the value's JSON text.
    const pairs: Array<[string, fc.Arbitrary<string>]> = [
      ['bytes', mostly(['15730', 'null'], ['1.5e3', '-0', '"x"', '[1]', '{"a":1}'])],
      ['date_time', mostly(['"2024-01-15T12:00:00Z"', '"2024-01-15T23:30:00-01:00"', '"2024-01-15T12:00:00.123Z"'], ['"2024-02-30T12:00:00Z"', '"2024-01-15T24:00:00Z"', '"2024-01-15t12:00:60z"', '"2024-01-15T12:00:00+00:00"', '"yesterday"', '1', '"2024-01-15T12:00:00Z\\u0000"'])],
      ['edge_location', mostly(['"FRA"'], ['"F\\"RA"', 'true'])],
      ['method', mostly(['"GET"'], ['"get"', '"HEAD"', '"G\\u0045T"'])],
      ['status', mostly(['200'], ['200.0', '2e2', '304', '"200"'])],
      ['url', url.map((text) => JSON.stringify(text).replaceAll('\\\\', '\\'))],
      ['user_agent', mostly(['"cargo/1.75.0 (1d8b05cdd 2023-11-20)"', '"cargo%2F1"'], ['"curl/8.5.0"', 'null', '"cargo"'])],
      ['version', mostly(['"1"'], ['"2"', '1'])],
    ]
    // Mostly in the order of the alphabet, as Fastly writes them; now and then shuffled, with a pair
    // left out or written twice, or with a space.
    const layout = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: pairs.length - 1 }), fc.integer({ min: 0, max: pairs.length - 1 }))
    const record = fc.tuple(fc.tuple(...pairs.map(([, value]) => value)), layout, fc.shuffledSubarray(pairs.map((_, index) => index), { minLength: pairs.length })).map(([values, [how, one, other], shuffled]) => {
      let written = pairs.map(([key], index) => `"${key}":${values[index]}`)
      if (how === 0) written = shuffled.map((index) => written[index]!)
      if (how === 1) written.splice(one, 1)
      if (how === 2) written.splice(other, 0, written[one]!.replace(/:.*/, ':"/index.html"'))
      return `{${written.join(how === 3 ? ', ' : ',')}}`
    })
    const header = mostly(['<134>2024-01-15T12:00:00Z cache-fra-1 s3-request-logs[337205]: '], ['<134>2024-01-15T12:00:00Z  s3[1]: ', '<134>x cache s3 logs[1]: ', '<134>x cache s3[a]: ', '<13>x cache s3[1]: '])
    const line = fc.tuple(header, record, mostly(['\n', '\r\n'], [' \n', '\r\r\n'])).map(([head, body, end]) => `${head}${body}${end}`)
    const log = fc.array(line, { minLength: 1, maxLength: 12 }).map((lines) => Buffer.from(lines.join('')))
    await expectInPlaceAsLineByLine(log, 400)
  })

  test('[sec.malformed.isolation] a bad line inserted anywhere changes nothing but the skipped counts', async () => {
    const text = (await readFile(path.join(fixtures, 'fastly-basic/input.log'), 'utf8')).trimEnd().split('\n')
    const clean = await countLog(Buffer.from(text.join('\n')), { fileName: 'x.log' })
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: text.length }), fc.string({ maxLength: 30 }), async (at, junk) => {
        const lines = [...text.slice(0, at), junk.replace(/[\r\n]/g, ''), ...text.slice(at)]
        const dirty = await countLog(Buffer.from(lines.join('\n')), { fileName: 'x.log' })
        expect(dirty.counts).toEqual(clean.counts)
      }),
      { numRuns: 100 },
    )
  })
})
