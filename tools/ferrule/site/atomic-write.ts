import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Files by path relative to the output folder. */
export type Outputs = ReadonlyMap<string, string | Uint8Array>

/**
 * Write `outputs` into `outDir` so that readers see either the old or the new files, never a mix.
 *
 * Everything is written into a temporary folder inside `outDir` first; only when every file is
 * written are the top-level entries (`site/`, `rules.json`) swapped into place, each by a rename.
 * Entries of `outDir` that the outputs do not name (test results, say) are left alone. On failure
 * the temporary folder is removed and the old entries stay as they were.
 */
export async function writeOutputsAtomically(outDir: string, outputs: Outputs): Promise<void> {
  await mkdir(outDir, { recursive: true })
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`
  const staging = path.join(outDir, `.ferrule-tmp-${token}`)
  const retired = path.join(outDir, `.ferrule-old-${token}`)
  try {
    await mkdir(staging)
    const folders = new Set<string>()
    for (const relative of outputs.keys()) folders.add(path.dirname(path.join(staging, relative)))
    for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true })
    for (const [relative, content] of outputs) await writeFile(path.join(staging, relative), content)
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error
  }

  const entries = [...new Set([...outputs.keys()].map((relative) => relative.split('/')[0]!))].sort()
  await mkdir(retired)
  for (const entry of entries) {
    const target = path.join(outDir, entry)
    if (existsSync(target)) await rename(target, path.join(retired, entry))
    await rename(path.join(staging, entry), target)
  }
  await rm(retired, { recursive: true, force: true })
  await rm(staging, { recursive: true, force: true })
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
