import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Theme } from '../render/layout.ts'

/** Read a theme folder: `layout.html`, `ferrule.css`, `ferrule.js`. */
export async function readTheme(folder: string): Promise<Theme> {
  const read = (name: string) => readFile(path.join(folder, name), 'utf8')
  const [layout, css, js] = await Promise.all([read('layout.html'), read('ferrule.css'), read('ferrule.js')])
  return { layout, css, js }
}
