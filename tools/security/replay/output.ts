import { appendFile, mkdir, readFile, rename, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Where a replay writes (`replay.outputs`), passed in so that tests can stop a replay half-way, as
 * a crash would. Names are relative to the output folder.
 */
export interface ReplayOutput {
  /** A file's text, or undefined when it does not exist. */
  read(name: string): Promise<string | undefined>
  /** Replace a file whole, atomically (a reader sees the old or the new content, never a mix). */
  write(name: string, content: string | Uint8Array): Promise<void>
  /** Append to the journal. */
  append(name: string, text: string): Promise<void>
  /** Cut a file to `bytes` bytes. */
  truncate(name: string, bytes: number): Promise<void>
}

/** A {@link ReplayOutput} on a folder, made when first written to. */
export function folderOutput(folder: string): ReplayOutput {
  const at = (name: string) => path.join(folder, name)
  return {
    async read(name) {
      try {
        return await readFile(at(name), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async write(name, content) {
      await mkdir(path.dirname(at(name)), { recursive: true })
      // Written beside and renamed over, so that a crash leaves the old file or the new one.
      const temporary = `${at(name)}.partial`
      await writeFile(temporary, content)
      await rename(temporary, at(name))
    },
    async append(name, text) {
      await mkdir(path.dirname(at(name)), { recursive: true })
      await appendFile(at(name), text)
    },
    async truncate(name, bytes) {
      await truncate(at(name), bytes)
    },
  }
}
