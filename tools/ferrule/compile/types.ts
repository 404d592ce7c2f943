import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import type { OutlineChapter } from '../outline.ts'

/** A chapter after the parse phase. */
export interface ParsedChapter {
  /** Chapter file relative to the root, `/`-separated. */
  path: string
  /** Page in the site, relative to the site root: `static/types.html`. */
  page: string
  outline: OutlineChapter
  file: VFile
  tree: Root
}
