import { createRequire } from 'node:module'
import path from 'node:path'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'
import zlib from 'node:zlib'
import { Decompress } from 'fzstd'
import xxhash, { type XXHash } from 'xxhash-wasm'
import { type ZstdCut, ZstdFrameEnds } from './zstd-frame.ts'

/** How a log file is compressed, from its extension (`dl.input.compression`). */
export type Compression = 'gzip' | 'zstd' | 'none'

/** The extensions the counter knows, and what each means. */
export const compressionByExtension: Readonly<Record<string, Compression>> = Object.freeze({
  '.gz': 'gzip',
  '.zst': 'zstd',
  '.zstd': 'zstd',
  '.log': 'none',
  '.txt': 'none',
})

/** The compression of a file named `fileName`, or a sentence naming the extension that none matches. */
export function compressionOf(fileName: string): Compression | { error: string } {
  const extension = path.extname(fileName)
  const known = Object.keys(compressionByExtension).map((name) => `\`${name}\``)
  const expected = `expected ${known.slice(0, -1).join(', ')} or ${known.at(-1)}`
  if (extension === '') return { error: `the file name has no extension, ${expected}` }
  return Object.hasOwn(compressionByExtension, extension) ? compressionByExtension[extension]! : { error: `unknown extension \`${extension}\`, ${expected}` }
}

/** Bytes from a source: whole, or chunks read once and in order (a file stream). */
export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

/** Options of {@link decompress}. */
export interface DecompressOptions {
  /**
   * Compressed zstd bytes read ahead before decompression moves to a worker thread (default 1 MiB):
   * a log that ends sooner is decompressed in this thread, as a worker takes longer to start.
   */
  zstdWorkerAfter?: number
}

/** The decompressed bytes of `source`, as a stream of chunks; throws (while iterated) on corrupt data. */
export function decompress(source: ByteSource, compression: Compression, options: DecompressOptions = {}): AsyncIterable<Uint8Array> {
  const chunks = source instanceof Uint8Array ? [source] : source
  if (compression === 'gzip') return gunzip(chunks)
  if (compression === 'zstd') return unzstd(chunks, options.zstdWorkerAfter ?? 1024 * 1024)
  return toAsync(chunks)
}

async function* toAsync(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* chunks
}

async function* gunzip(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const input = Readable.from(chunks, { objectMode: false })
  // Larger pieces than the default 16 KiB: fewer turns of the stream, each with its own overhead.
  const inflate = zlib.createGunzip({ chunkSize: 128 * 1024 })
  input.on('error', (error) => inflate.destroy(error))
  input.pipe(inflate)
  try {
    yield* inflate as AsyncIterable<Buffer>
  } finally {
    // Reading may end early (a refused file); the source is closed either way.
    input.destroy()
    inflate.destroy()
  }
}

// node:zlib has no zstd before Node 22.15; fzstd decompresses in plain JavaScript, chunk by chunk,
// holding one window (at most 8 MiB by the zstd format's default limit) and the block it decodes.
// Where zlib inflates on libuv's threads, beside the counting, fzstd would take this thread's time:
// past the first `workerAfter` bytes it runs in a worker thread instead. fzstd skips the checksum
// at the end of a frame: this thread checks it (FrameChecks).
async function* unzstd(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, workerAfter: number): AsyncIterable<Uint8Array> {
  const source = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : toAsync(chunks)[Symbol.asyncIterator]()) as AsyncIterator<Uint8Array>
  const head: Uint8Array[] = []
  let headBytes = 0
  let ended = false
  try {
    const checks = new FrameChecks(await xxh64())
    while (headBytes <= workerAfter) {
      const next = await source.next()
      if (next.done) {
        ended = true
        break
      }
      head.push(next.value)
      headBytes += next.value.length
    }
    yield* ended ? unzstdHere(head, checks) : unzstdInWorker(resume(head, source), checks)
  } finally {
    if (!ended) await source.return?.()
  }
}

/** The chunks read ahead, then the rest of the source. */
async function* resume(head: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/**
 * The sizes of the compressed pieces that fzstd is given, each decoded whole before the next: at
 * most about `maxOutput` bytes of log at the ratio seen so far, so that a log that compresses very
 * well (or a zstd bomb: one 128 KiB block from 4 bytes) is never decompressed whole into memory.
 * The first piece is small enough for any ratio; later ones grow to `maxPiece` for an ordinary log.
 */
export class ZstdPieces {
  static readonly maxOutput = 4 * 1024 * 1024
  static readonly maxPiece = 256 * 1024
  private size = 128

  /** `chunk` in pieces of the size at hand; `saw` must be told what each piece made before the next is taken. */
  of(chunk: Uint8Array): Iterable<Uint8Array> {
    return inPieces(chunk, () => this.size)
  }

  /** A piece of `input` bytes made `output` bytes of log. */
  saw(input: number, output: number): void {
    const ratio = Math.max(1, output / Math.max(1, input))
    this.size = Math.max(64, Math.min(ZstdPieces.maxPiece, this.size * 4, Math.floor(ZstdPieces.maxOutput / ratio)))
  }
}

function* inPieces(chunk: Uint8Array, size: () => number): Iterable<Uint8Array> {
  for (let at = 0; at < chunk.length; ) {
    const end = at + size()
    yield chunk.subarray(at, end)
    at = end
  }
}

let xxhashApi: ReturnType<typeof xxhash> | undefined

/** A new XXH64 of seed 0, once the WebAssembly module is compiled (once a process). */
async function xxh64(): Promise<() => XXHash<bigint>> {
  xxhashApi ??= xxhash()
  const api = await xxhashApi
  return () => api.create64()
}

/**
 * The content of the frames of a zstd stream, hashed as it is decoded and checked at the end of
 * each frame against the frame's checksum, the low 32 bits of its XXH64 (RFC 8878, 3.1.1).
 */
class FrameChecks {
  readonly ends = new ZstdFrameEnds()
  private hash: XXHash<bigint>
  private frame = 1

  constructor(private readonly create: () => XXHash<bigint>) {
    this.hash = create()
  }

  saw(data: Uint8Array): void {
    this.hash.update(data)
  }

  /** A frame ended, its content all seen: throws when `checksum` is not that of its content. */
  ended(checksum: number | null): void {
    if (checksum !== null) {
      const actual = Number(this.hash.digest() & 0xffffffffn)
      const hex = (value: number) => `0x${value.toString(16).padStart(8, '0')}`
      if (actual !== checksum) {
        const error = new Error(`the content of zstd frame ${this.frame} does not match its checksum: it hashes to ${hex(actual)}, the frame says ${hex(checksum)}`)
        throw Object.assign(error, { code: 'ZSTD_CHECKSUM' })
      }
    }
    this.frame++
    this.hash = this.create()
  }
}

/**
 * What fzstd threw, as an error of corrupt data: its own errors carry a numeric code; on some
 * corrupt data it fails in the middle of its work instead (a RangeError of a window copied out of
 * bounds), which is corrupt data all the same.
 */
function zstdError(message: string, code: unknown): Error {
  if (typeof code === 'number') return Object.assign(new Error(message), { code })
  return Object.assign(new Error(`invalid zstd data (${message})`), { code: 'ZSTD_CORRUPT' })
}

function* unzstdHere(chunks: readonly Uint8Array[], checks: FrameChecks): Iterable<Uint8Array> {
  let ready: Uint8Array[] = []
  let made = 0
  // A decoder for each frame, ended with it: fzstd holds a frame's first 17 bytes until more come.
  const newDecoder = () =>
    new Decompress((data) => {
      if (data.length === 0) return
      checks.saw(data)
      ready.push(data)
      made += data.length
    })
  let decoder = newDecoder()
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      decoder.push(piece, final)
    } catch (error) {
      throw zstdError(String((error as Error).message), (error as { code?: unknown }).code)
    }
  }
  const pieces = new ZstdPieces()
  for (const chunk of chunks) {
    // (Each piece is sized after the last was decoded: `of` is read lazily.)
    for (const sized of pieces.of(chunk)) {
      for (const { piece, frameEnd } of checks.ends.cut(sized)) {
        push(piece, frameEnd !== undefined)
        if (frameEnd === undefined) continue
        checks.ended(frameEnd.checksum)
        decoder = newDecoder()
      }
      pieces.saw(sized.length, made)
      made = 0
      if (ready.length > 0) {
        const out = ready
        ready = []
        yield* out
      }
    }
  }
  // An incomplete frame fails here ("unexpected EOF").
  push(new Uint8Array(0), true)
  yield* ready
}

/** What the zstd worker answers: a decompressed block, the end of one input message, or fzstd's error. */
type ZstdReply = { data: Uint8Array } | { done: true; end: boolean } | { error: string; code: unknown }

// The worker is plain JavaScript (fzstd is), so it starts without the TypeScript loader. Each log
// begins with `start`; it answers each chunk with the blocks it decodes, copied (fzstd keeps reading
// the block it hands over), then `done`; a chunk that ends a frame ends its decoder too (see
// unzstdHere). After an error it answers nothing until the next `start`.
const zstdWorker = `
const { parentPort, workerData } = require('node:worker_threads')
const { Decompress } = require(workerData.fzstd)
const newDecoder = () =>
  new Decompress((data) => {
    if (data.length === 0) return
    const copy = new Uint8Array(data)
    parentPort.postMessage({ data: copy }, [copy.buffer])
  })
let decoder
let failed = false
parentPort.on('message', (message) => {
  if (message.start) {
    failed = false
    decoder = newDecoder()
    return
  }
  if (failed) return
  try {
    if (message.end) decoder.push(new Uint8Array(0), true)
    else decoder.push(message.chunk, message.frameEnd === true)
    if (message.frameEnd) decoder = newDecoder()
    parentPort.postMessage({ done: true, end: message.end === true })
  } catch (error) {
    failed = true
    parentPort.postMessage({ error: String(error && error.message), code: error && error.code })
  }
})
`
const fzstdPath = createRequire(import.meta.url).resolve('fzstd')

// A worker that ended its last log cleanly waits here for the next one, so that a run over many
// files starts one worker, whose compiled fzstd stays warm. It does not keep the process alive.
let idleWorker: Worker | undefined

function startZstdWorker(): Worker {
  const worker = new Worker(zstdWorker, { eval: true, workerData: { fzstd: fzstdPath } })
  // One that ends while it waits is not handed out again.
  worker.on('exit', () => {
    if (idleWorker === worker) idleWorker = undefined
  })
  return worker
}

/**
 * zstd in a worker thread. At most two compressed pieces (`ZstdPieces`) are out at once, so the
 * worker decodes the next while this thread counts the last, and no more than their blocks wait here.
 */
async function* unzstdInWorker(chunks: AsyncIterable<Uint8Array>, checks: FrameChecks): AsyncIterable<Uint8Array> {
  const source = chunks[Symbol.asyncIterator]()
  const worker = idleWorker ?? startZstdWorker()
  idleWorker = undefined
  worker.ref()
  const replies: (ZstdReply | { crashed: Error })[] = []
  let wake: (() => void) | undefined
  const arrive = (reply: ZstdReply | { crashed: Error }) => {
    replies.push(reply)
    wake?.()
  }
  const crashed = (error: Error) => arrive({ crashed: error })
  const exited = (code: number) => arrive({ crashed: new Error(`the zstd worker exited with status ${code}`) })
  worker.on('message', arrive)
  worker.on('error', crashed)
  worker.on('exit', exited)
  worker.postMessage({ start: true })
  let reading = true
  let out = 0
  let clean = false
  // The pieces of the chunk at hand still to post (cut where frames end), and those posted, in order.
  const pieces = new ZstdPieces()
  const cut = function* (chunk: Uint8Array) {
    for (const sized of pieces.of(chunk)) yield* checks.ends.cut(sized)
  }
  let waiting: Iterator<ZstdCut> | undefined
  const posted: ZstdCut[] = []
  let made = 0
  const fill = async () => {
    while (reading && out < 2) {
      let piece = waiting?.next()
      if (piece === undefined || piece.done) {
        const next = await source.next()
        if (next.done) {
          reading = false
          worker.postMessage({ end: true })
          out++
          return
        }
        waiting = cut(next.value)
        piece = waiting.next()
        if (piece.done) continue
      }
      // A copy of the piece alone, moved: a view posted as it is sends the whole buffer under it.
      // (Not `slice`, which on a Buffer is a view too.)
      const chunk = new Uint8Array(piece.value.piece)
      posted.push(piece.value)
      worker.postMessage({ chunk, frameEnd: piece.value.frameEnd !== undefined }, [chunk.buffer])
      out++
    }
  }
  try {
    await fill()
    for (;;) {
      while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
      const reply = replies.shift()!
      if ('data' in reply) {
        made += reply.data.length
        checks.saw(reply.data)
        yield reply.data
      } else if ('done' in reply) {
        out--
        if (reply.end) {
          clean = true
          return
        }
        // Every block of the piece came before its `done`.
        const { piece, frameEnd } = posted.shift()!
        if (frameEnd !== undefined) checks.ended(frameEnd.checksum)
        pieces.saw(piece.length, made)
        made = 0
        await fill()
      } else if ('error' in reply) {
        // As it is thrown in this thread.
        throw zstdError(reply.error, reply.code)
      } else {
        throw reply.crashed
      }
    }
  } finally {
    // Only these three: Worker listens to its own listeners being added and removed.
    worker.off('message', arrive).off('error', crashed).off('exit', exited)
    // A log left midway (refused, or its reader stopped) may still have answers on their way.
    if (clean && idleWorker === undefined) {
      worker.unref()
      idleWorker = worker
    } else {
      await worker.terminate()
    }
  }
}
