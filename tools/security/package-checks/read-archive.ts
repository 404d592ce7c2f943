import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import tar from 'tar-stream'
import { ByteWindow } from './byte-window.ts'
import { ustarSize } from './ustar-size.ts'

/** A `.crate` file's bytes: whole, or as chunks (a file stream), read once and in order. */
export type CrateSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

/** One archive entry as the checks see it. */
export interface ArchiveEntry {
  /** The path: decoded from UTF-8 when it is valid UTF-8, else with its bytes as the tar header holds them. */
  path: string
  /** The path as a report shows it: control and bidirectional characters as `\u{...}`, bytes that are not UTF-8 as `\xNN`. */
  shownPath: string
  /** Whether the path's bytes are valid UTF-8, free of U+FFFD. */
  utf8: boolean
  /** tar-stream's entry type (`file`, `directory`, `symlink`, `link`, ...), or null for an unknown type flag. */
  type: string | null
  /** The size the reader uses: the pax header's when there is one. */
  size: number
  /** The pax header's `size` record, as written, when there is one. */
  paxSize: string | undefined
  /** The ustar header block's own size field (undefined when it is not a number). */
  headerSize: number | undefined
  /** The target of a link, as a report shows it. */
  linkname: string | null
}

/**
 * What the visitor of each entry returns: `continue`, or `stop` to end the reading early (the rest
 * of the archive is neither decompressed nor read).
 */
export type Visit = 'continue' | 'stop'

/** How reading ended. */
export type ArchiveEnd =
  | { kind: 'complete' }
  | { kind: 'stopped' }
  | { kind: 'too-large' }
  | { kind: 'corrupt'; message: string }

/** Summary of a read. */
export interface ArchiveOutcome {
  end: ArchiveEnd
  /** Entries seen (pax and GNU long-name headers are not entries). */
  entries: number
  /** Decompressed bytes read; past `maxBytes`, `maxBytes + 1`. */
  bytes: number
}

class TooLarge extends Error {}

/**
 * Read a gzip'd tar archive as a stream, entry by entry, never holding more of it than the
 * streams' buffers and never writing it anywhere:
 *
 * 1. The source is inflated by node:zlib; each inflated chunk is counted against `maxBytes`
 *    (the first chunk over it ends the read: a decompression bomb costs `maxBytes`, not its size),
 *    kept in a {@link ByteWindow} and written to tar-stream's extractor, waiting while it is full.
 * 2. For each entry, the visitor gets its header and its content, which it must consume.
 * 3. Reading ends when the archive does, when the visitor says `stop`, at the size limit, or at the
 *    first gzip or tar error; the streams are then torn down, source included.
 */
export async function readArchive(
  source: CrateSource,
  options: { maxBytes: number },
  visit: (entry: ArchiveEntry, content: AsyncIterable<Uint8Array>) => Promise<Visit>,
): Promise<ArchiveOutcome> {
  // Names decoded byte for byte, so that bytes that are not UTF-8 can be told from those that are.
  // (tar-stream reads `filenameEncoding`; its type declarations leave the option out.)
  const extract = tar.extract({ filenameEncoding: 'latin1' } as Parameters<typeof tar.extract>[0])
  const window = new ByteWindow()
  const abort = new AbortController()
  let bytes = 0
  let entries = 0
  let tooLarge = false

  // 1.
  const feeding = pipeline(
    Readable.from(source instanceof Uint8Array ? [source] : source),
    zlib.createGunzip(),
    async (inflated: AsyncIterable<Buffer>) => {
      for await (const chunk of inflated) {
        bytes += chunk.length
        if (bytes > options.maxBytes) {
          tooLarge = true
          throw new TooLarge()
        }
        window.push(chunk)
        if (!extract.write(chunk)) await drained(extract)
        if (extract.destroyed) return
      }
      extract.end(undefined)
    },
    { signal: abort.signal },
  )
  feeding.catch((error: unknown) => {
    if (!abort.signal.aborted) extract.destroy(error as Error)
  })

  // 2 and 3.
  let end: ArchiveEnd = { kind: 'complete' }
  try {
    for await (const stream of extract) {
      entries++
      const header = stream.header as unknown as TarHeader
      const blockStart = header.byteOffset - 512
      const block = window.read(blockStart, 512)
      if (block === undefined) throw new Error(`Ferrule bug: the header block at byte ${blockStart} is no longer in the window`)
      let floor = header.byteOffset
      window.dropBefore(floor)
      const content = (async function* () {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) {
          floor += chunk.length
          window.dropBefore(floor)
          yield chunk
        }
      })()
      let visited: Visit
      try {
        visited = await visit(describeEntry(header, block), content)
      } catch (error) {
        throw new Error(`Ferrule bug: a package check failed on an entry: ${(error as Error).stack ?? String(error)}`)
      }
      // Whatever the visitor left unread is read here, so that the window keeps moving.
      for await (const _ of content);
      if (visited === 'stop') {
        end = { kind: 'stopped' }
        break
      }
    }
  } catch (error) {
    // Tearing the streams down makes them fail with errors of their own; the size limit comes first.
    end = tooLarge ? { kind: 'too-large' } : { kind: 'corrupt', message: (error as Error).message }
    if (error instanceof Error && error.message.startsWith('Ferrule bug')) throw error
  } finally {
    abort.abort()
    extract.destroy(null)
    await feeding.catch(() => undefined)
  }
  return { end, entries, bytes: Math.min(bytes, options.maxBytes + 1) }
}

/** Resolves when the extractor can take more, or is closed. */
function drained(extract: tar.Extract): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      extract.off('drain', done)
      extract.off('close', done)
      resolve()
    }
    extract.on('drain', done)
    extract.on('close', done)
  })
}

/** The fields of tar-stream's header that its type declarations leave out. */
interface TarHeader {
  name: string
  size: number
  type: string | null
  linkname: string | null
  /** Where the entry's data starts in the decompressed stream (its header block ends there). */
  byteOffset: number
  pax: Record<string, string> | null
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

function describeEntry(header: TarHeader, block: Uint8Array): ArchiveEntry {
  const fromPax = header.pax?.path !== undefined
  let path: string
  let utf8: boolean
  let shownPath: string
  if (fromPax) {
    // tar-stream decodes pax records as UTF-8, replacing bad bytes by U+FFFD.
    path = header.name
    utf8 = !path.includes('\uFFFD')
    shownPath = showText(path)
  } else {
    const raw = Buffer.from(header.name, 'latin1')
    try {
      path = strictUtf8.decode(raw)
      utf8 = !path.includes('\uFFFD')
      shownPath = showText(path)
    } catch {
      path = header.name
      utf8 = false
      shownPath = showBytes(raw)
    }
  }
  const linkname = header.linkname == null ? null : header.pax?.linkpath !== undefined ? showText(header.linkname) : showBytes(Buffer.from(header.linkname, 'latin1'))
  return {
    path,
    shownPath,
    utf8,
    type: header.type ?? null,
    size: header.size ?? 0,
    paxSize: header.pax?.size,
    headerSize: ustarSize(block),
    linkname,
  }
}

const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd\\]/gu

/** Text with control, bidirectional and replacement characters (and `\`) escaped. */
export function showText(text: string): string {
  return text.replace(unsafeCharacter, (character) => (character === '\\' ? '\\\\' : `\\u{${character.codePointAt(0)!.toString(16).toUpperCase()}}`))
}

/** Bytes that are not valid UTF-8: printable ASCII as itself, everything else as `\xNN`. */
export function showBytes(bytes: Uint8Array): string {
  let shown = ''
  for (const byte of bytes) {
    shown += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return shown
}
