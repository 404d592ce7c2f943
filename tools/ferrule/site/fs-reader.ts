import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SpecReader } from '../compile/compile.ts'


/** Read a book from the file system under `root`. */
export function fsSpecReader(root: string): SpecReader {
  return {
    async read(relative) {
      try {
        return await readFile(path.join(root, relative), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async list() {
      let entries
      try {
        entries = await readdir(root, { recursive: true, withFileTypes: true })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
      const files: string[] = []
      for (const entry of entries) {
        if (!entry.isFile()) continue
        const relative = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
        const parts = relative.split('/')
        // Hidden files, installed packages and the book's own theme hold no chapters.
        if (parts.some((part) => part.startsWith('.') || part === 'node_modules') || (parts[0] === 'theme' && parts.length > 1)) continue
        files.push(relative)
      }
      return files.sort()
    },
  }
}
