import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { expect } from 'vitest'

/**
 * Compare `actual` with the expectation file. A missing file is written on a developer's first run
 * (and fails on CI, where nothing may be written); `UPDATE=1` rewrites it, so the diff is reviewed.
 */
export async function expectFileContent(file: string, actual: string): Promise<void> {
  const exists = existsSync(file)
  if (process.env.UPDATE || (!exists && !process.env.CI)) {
    await writeFile(file, actual)
    return
  }
  if (!exists) throw new Error(`Missing expectation ${file}: run the tests once locally and commit it`)
  expect(actual).toBe(await readFile(file, 'utf8'))
}
