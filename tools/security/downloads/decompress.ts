import path from 'node:path'
import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { Decompress } from 'fzstd'

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

/** The decompressed bytes of `source`, as a stream of chunks; throws (while iterated) on corrupt data. */
export function decompress(source: ByteSource, compression: Compression): AsyncIterable<Uint8Array> {
  const chunks = source instanceof Uint8Array ? [source] : source
  if (compression === 'gzip') return gunzip(chunks)
  if (compression === 'zstd') return unzstd(chunks)
  return toAsync(chunks)
}

async function* toAsync(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* chunks
}

async function* gunzip(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const input = Readable.from(chunks, { objectMode: false })
  const inflate = zlib.createGunzip()
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
async function* unzstd(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let ready: Uint8Array[] = []
  const decoder = new Decompress((data) => {
    if (data.length > 0) ready.push(data)
  })
  for await (const chunk of chunks) {
    decoder.push(chunk)
    if (ready.length > 0) {
      const out = ready
      ready = []
      yield* out
    }
  }
  // An incomplete frame fails here ("unexpected EOF").
  decoder.push(new Uint8Array(0), true)
  yield* ready
}
