import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises'
import path from 'node:path'

/** Files by path relative to the output folder. */
export type Outputs = ReadonlyMap<string, string | Uint8Array>

/**
 * Write `outputs` into `outDir` so that readers see either the old or the new files, never a mix
 * (see `stageOutputs`). On failure nothing of `outDir` changes.
 */
export async function writeOutputsAtomically(outDir: string, outputs: Outputs): Promise<void> {
  const staging = await stageOutputs(outDir)
  try {
    // Several writes at a time: a site is thousands of small files (the search index's fragments),
    // and one after another each waited for the last.
    const queue = [...outputs]
    const writer = async () => {
      for (let next = queue.pop(); next !== undefined; next = queue.pop()) await staging.write(next[0], next[1])
    }
    await Promise.all(Array.from({ length: parallelWrites }, writer))
  } catch (error) {
    await staging.abort()
    throw error
  }
  await staging.commit()
}

/** How many files `writeOutputsAtomically` writes at once (libuv's thread pool has four threads by default). */
const parallelWrites = 8

/** Files being written for `commit` to swap into place, or `abort` to drop. */
export interface Staging {
  /**
   * Writes one file, by its path relative to the output folder. `content` may come in pieces, made
   * as they are written; `observe` is then given the file's bytes, in order, before they are written
   * (to hash them, say), and may not keep them: a text piece's bytes are overwritten by later ones.
   */
  write(relative: string, content: string | Uint8Array | Iterable<string | Uint8Array>, observe?: (bytes: Uint8Array) => void): Promise<void>
  /** Swaps the top-level entries written (`site/`, `rules.json`) into the output folder. */
  commit(): Promise<void>
  /** Removes what was written; the output folder stays as it was. */
  abort(): Promise<void>
}

/**
 * Stage files for `outDir`: each `write` goes into a temporary folder inside `outDir`, so a caller
 * can write a large output and let go of it before it makes the next. Only `commit` touches the
 * folder's own entries, each by a rename; entries that nothing wrote (test results, say) are left
 * alone.
 */
export async function stageOutputs(outDir: string): Promise<Staging> {
  await mkdir(outDir, { recursive: true })
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`
  const staging = path.join(outDir, `.ferrule-tmp-${token}`)
  const retired = path.join(outDir, `.ferrule-old-${token}`)
  await mkdir(staging)
  const written = new Set<string>()
  // Each folder is made once, however many files go into it (and however many writes wait for it).
  const folders = new Map<string, Promise<unknown>>()
  const folder = (name: string) => {
    let made = folders.get(name)
    if (!made) folders.set(name, (made = mkdir(name, { recursive: true })))
    return made
  }
  return {
    async write(relative, content, observe) {
      const file = path.join(staging, relative)
      await folder(path.dirname(file))
      if (typeof content === 'string' || content instanceof Uint8Array) await writeFile(file, content)
      else await writePieces(file, content, observe)
      written.add(relative)
    },
    async commit() {
      const entries = [...new Set([...written].map((relative) => relative.split('/')[0]!))].sort()
      await mkdir(retired)
      for (const entry of entries) {
        const target = path.join(outDir, entry)
        if (existsSync(target)) await rename(target, path.join(retired, entry))
        await rename(path.join(staging, entry), target)
      }
      await rm(retired, { recursive: true, force: true })
      await rm(staging, { recursive: true, force: true })
    },
    async abort() {
      await rm(staging, { recursive: true, force: true })
    },
  }
}

/** The size of each of the two buffers `writePieces` encodes text pieces into. */
const pieceBufferSize = 4 << 20

/**
 * Writes `pieces` to `file` in order, each write going on while the next pieces are made
 * (`writeFile` would wait for each write before it asked for the next piece, and so leave this
 * thread idle). Text pieces are encoded into one of two buffers until it is full, then it is
 * written while the other fills: a fresh buffer for each piece of a large file cost a third more
 * than encoding it, and small pieces make few writes so.
 */
async function writePieces(file: string, pieces: Iterable<string | Uint8Array>, observe: ((bytes: Uint8Array) => void) | undefined): Promise<void> {
  const handle = await open(file, 'w')
  const buffers = [Buffer.allocUnsafe(pieceBufferSize), Buffer.allocUnsafe(pieceBufferSize)] as const
  let turn = 0
  let buffer = buffers[0]
  let used = 0
  let writing: Promise<void> = Promise.resolve()
  const send = async (bytes: Uint8Array) => {
    observe?.(bytes)
    // One write at a time: a buffer is filled again only once the write of it has ended.
    await writing
    writing = writeAll(handle, bytes)
    // Rejected while the next pieces are made: awaited at the next send, or below.
    writing.catch(() => {})
  }
  // A UTF-16 code unit is at most 3 bytes of UTF-8.
  const fits = (text: string, room: number) => text.length * 3 <= room
  try {
    for (const piece of pieces) {
      if (typeof piece === 'string' && fits(piece, buffer.length - used)) {
        used += buffer.write(piece, used)
        continue
      }
      if (used > 0) {
        await send(buffer.subarray(0, used))
        buffer = buffers[++turn % 2]!
        used = 0
      }
      if (typeof piece === 'string' && fits(piece, buffer.length)) used = buffer.write(piece)
      else await send(typeof piece === 'string' ? Buffer.from(piece) : piece)
    }
    if (used > 0) await send(buffer.subarray(0, used))
    await writing
  } finally {
    await handle.close()
  }
}

/** Writes all of `bytes` at the handle's position; a write may take fewer bytes than it is given. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength; ) offset += (await handle.write(bytes, offset)).bytesWritten
}

/**
 * Replace one file so that readers see the old or the new content, never half of either: write a
 * sibling temporary file, then rename it over the target.
 */
export async function writeFileAtomically(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temporary, content)
    await rename(temporary, file)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
