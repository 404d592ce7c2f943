import { lstat, open, readdir } from 'node:fs/promises'
import path from 'node:path'
import { readArchive } from '../package-checks/read-archive.ts'
import { type CrateSource, DEFAULT_MAX_BYTES, splitTopFolder } from '../package-checks/index.ts'
import { ByteHistogram, HEAD_BYTES } from './binary.ts'
import { crateLayout } from './layout.ts'

/** One file of a crate, as the heuristics and the unsafe statistics see it. */
export interface CrateFile {
  /** The path from the package root, `/`-separated (`build.rs`, `src/lib.rs`). */
  path: string
  /** Its size in bytes. */
  size: number
  /** Its first bytes, at most {@link HEAD_BYTES}, for the format they announce. */
  head: Uint8Array
  /** Its entropy, in millibits per byte (see `ByteHistogram.entropy`). */
  entropy: number
  /** The text of a Rust source file or of `Cargo.toml` (UTF-8; other bytes as U+FFFD); undefined for other files and past the source size limit. */
  text?: string
}

/** A crate's files, from a `.crate`, a source folder or memory. */
export interface CrateContents {
  /** The crate's name and version: the manifest's, else the top folder's or the folder's name. */
  name: string
  version: string | undefined
  /** Every regular file, ordered by path (code unit order). */
  files: CrateFile[]
  /** Source files not read as text, with why (too large). */
  skipped: { path: string; reason: string }[]
}

/** A crate that cannot be read at all: a missing file, a corrupt archive. The message names the input. */
export class CrateReadError extends Error {
  override name = 'CrateReadError'
}

/** Options of the readers. */
export interface ReadCrateOptions {
  /** The most bytes a `.crate` may inflate to. Default: the package checks' limit, 512 MiB. */
  maxBytes?: number
  /** The largest Rust source file read as text. Default: {@link DEFAULT_MAX_SOURCE_BYTES}. */
  maxSourceBytes?: number
}

/** The default largest Rust source file that is read as text (larger ones are listed as skipped). */
export const DEFAULT_MAX_SOURCE_BYTES = 8 * 1024 * 1024

/** A file's content in memory, for {@link crateFromFiles}. */
export interface MemoryFile {
  path: string
  content: string | Uint8Array
}

/** Whether the text of a file is kept: Rust sources and the root manifest. */
function wantsText(file: string): boolean {
  return file.endsWith('.rs') || file === 'Cargo.toml'
}

/** Collects a file's head, entropy and (for sources) text from its chunks. */
class FileCollector {
  readonly histogram = new ByteHistogram()
  readonly head: Uint8Array[] = []
  headBytes = 0
  readonly chunks: Uint8Array[] | undefined
  tooLarge = false

  constructor(
    readonly path: string,
    readonly maxSourceBytes: number,
  ) {
    this.chunks = wantsText(path) ? [] : undefined
  }

  add(chunk: Uint8Array): void {
    this.histogram.add(chunk)
    if (this.headBytes < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headBytes)
      this.head.push(part)
      this.headBytes += part.length
    }
    if (this.chunks !== undefined && !this.tooLarge) {
      if (this.histogram.total > this.maxSourceBytes) {
        this.tooLarge = true
        this.chunks.length = 0
      } else this.chunks.push(chunk)
    }
  }

  finish(contents: CrateContents): void {
    const file: CrateFile = { path: this.path, size: this.histogram.total, head: Buffer.concat(this.head), entropy: this.histogram.entropy() }
    if (this.chunks !== undefined && !this.tooLarge) file.text = Buffer.concat(this.chunks).toString('utf8')
    if (this.tooLarge) contents.skipped.push({ path: this.path, reason: `larger than ${this.maxSourceBytes} bytes, not read as source` })
    contents.files.push(file)
  }
}

/**
 * Read a `.crate` file through the package checks' archive reader (streamed, inflating at most
 * `maxBytes`). Paths lose the top folder; entries that are not regular files are left out (the
 * package checks report them). `label` names the input in errors.
 */
export async function readCrateArchive(source: CrateSource, label: string, options?: ReadCrateOptions): Promise<CrateContents> {
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES
  const maxSourceBytes = options?.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES
  const contents: CrateContents = { name: '', version: undefined, files: [], skipped: [] }
  let top: string | undefined
  const outcome = await readArchive(source, { maxBytes }, async (entry, content) => {
    const [first, ...rest] = entry.path.split('/')
    top ??= first
    if (entry.type !== 'file' || rest.length === 0 || rest.at(-1) === '') return 'continue'
    const collector = new FileCollector(rest.join('/'), maxSourceBytes)
    for await (const chunk of content) collector.add(chunk)
    collector.finish(contents)
    return 'continue'
  })
  if (outcome.end.kind === 'corrupt') throw new CrateReadError(`${label}: not a readable .crate (gzip'd tar): ${outcome.end.message}`)
  if (outcome.end.kind === 'too-large') throw new CrateReadError(`${label}: inflates to more than ${maxBytes} bytes`)
  const identity = top === undefined ? undefined : splitTopFolder(top)
  return finish(contents, identity?.name ?? top ?? path.basename(label), identity?.version)
}

/**
 * Read a crate's source folder: every regular file below it, except the `target` and `.git`
 * folders at its root; symbolic links are not followed. `folder` names the input in errors.
 */
export async function readSourceFolder(folder: string, options?: ReadCrateOptions): Promise<CrateContents> {
  const maxSourceBytes = options?.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES
  const contents: CrateContents = { name: '', version: undefined, files: [], skipped: [] }
  const info = await lstat(folder).catch((error: NodeJS.ErrnoException) => {
    throw new CrateReadError(`${folder}: cannot read the crate (${error.code ?? error.message})`)
  })
  if (!info.isDirectory()) throw new CrateReadError(`${folder}: not a folder`)
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(folder, relative), { withFileTypes: true })
    for (const entry of entries) {
      const file = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory()) {
        if (relative === '' && (entry.name === 'target' || entry.name === '.git')) continue
        await walk(file)
      } else if (entry.isFile()) {
        const collector = new FileCollector(file, maxSourceBytes)
        const handle = await open(path.join(folder, file))
        try {
          for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 16 })) collector.add(chunk as Buffer)
        } finally {
          await handle.close()
        }
        collector.finish(contents)
      }
    }
  }
  await walk('')
  return finish(contents, path.basename(path.resolve(folder)), undefined)
}

/** A crate from files in memory (paths from the package root), for examples and tests. */
export function crateFromFiles(files: readonly MemoryFile[], options?: ReadCrateOptions): CrateContents {
  const maxSourceBytes = options?.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES
  const contents: CrateContents = { name: '', version: undefined, files: [], skipped: [] }
  for (const file of files) {
    const collector = new FileCollector(file.path, maxSourceBytes)
    collector.add(typeof file.content === 'string' ? Buffer.from(file.content) : file.content)
    collector.finish(contents)
  }
  return finish(contents, 'crate', undefined)
}

/** Sort the files, and take the name and version from the manifest where it gives them. */
function finish(contents: CrateContents, fallbackName: string, fallbackVersion: string | undefined): CrateContents {
  contents.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const layout = crateLayout(contents.files)
  contents.name = layout.name ?? fallbackName
  contents.version = layout.version ?? fallbackVersion
  return contents
}
