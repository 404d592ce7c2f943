import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import tar from 'tar-stream'

/** One entry of a `.crate` made by {@link packCrate}. */
export interface CrateEntry {
  path: string
  /** Default: `file`. Links and devices are here to make hostile packages. */
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device' | 'block-device' | 'contiguous-file'
  /** A file's content: whole, or as chunks (then `size` is required). Default: empty. */
  content?: string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>
  /** The content's size, when it comes as chunks. */
  size?: number
  /** A link's target. */
  linkname?: string
  /** Extra pax records, written as tar-stream writes them (with the path in a pax `path` record). */
  pax?: Record<string, string>
}

/** Cargo writes every entry with this modification time (2006-07-24), so packages are reproducible. */
const cargoMtime = new Date(1153704088 * 1000)

/**
 * A `.crate` file (a gzip'd tar) of `entries`, made with tar-stream and node:zlib, as a stream that
 * is produced only as fast as it is read: a package of 100,000 entries or of 10 GB of content costs
 * memory only for what the reader holds. For fixtures, examples and benchmarks of the package
 * checks. Entries may come lazily (an async generator).
 */
export function packCrate(entries: Iterable<CrateEntry> | AsyncIterable<CrateEntry>, options?: { level?: number }): Readable {
  const pack = tar.pack()
  const gzip = zlib.createGzip({ level: options?.level ?? zlib.constants.Z_DEFAULT_COMPRESSION })
  let closed = false
  gzip.on('close', () => {
    closed = true
    pack.destroy()
  })
  // A reader that stops early closes the gzip stream, which tears the pack down: no error then.
  pack.on('error', (error: Error) => {
    if (!closed) gzip.destroy(error)
  })
  const produce = async () => {
    for await (const entry of entries) {
      if (closed) return
      await writeEntry(pack, entry)
    }
    pack.finalize()
  }
  ;(pack as unknown as Readable).pipe(gzip)
  produce().catch((error: Error) => gzip.destroy(closed ? undefined : error))
  return gzip
}

async function writeEntry(pack: tar.Pack, entry: CrateEntry): Promise<void> {
  const header = {
    name: entry.path,
    type: entry.type ?? 'file',
    mtime: cargoMtime,
    mode: entry.type === 'directory' ? 0o755 : 0o644,
    ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
    ...(entry.pax === undefined ? {} : { pax: entry.pax }),
  } as const
  const content = entry.content ?? ''
  if (typeof content === 'string' || content instanceof Uint8Array) {
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry(header, content, (error) => (error ? reject(error) : resolve()))
      // A torn-down pack destroys the entry too; the callback above reports that, not an event.
      sink.on('error', () => undefined)
    })
    return
  }
  if (entry.size === undefined) throw new TypeError(`packCrate: \`${entry.path}\` has its content as chunks, so it needs a \`size\``)
  let failure: Error | undefined
  const sink = pack.entry({ ...header, size: entry.size }, (error) => {
    failure ??= error ?? undefined
  })
  const finished = new Promise<void>((resolve) => {
    sink.on('finish', () => resolve())
    sink.on('close', () => resolve())
    sink.on('error', (error: Error) => {
      failure ??= error
      resolve()
    })
  })
  for await (const chunk of content) {
    if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()))
    if (sink.destroyed) break
  }
  if (!sink.destroyed) sink.end(undefined)
  await finished
  if (failure) throw failure
}
