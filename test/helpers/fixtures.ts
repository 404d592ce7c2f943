import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { test } from 'vitest'
import type { UserConfig } from '../../tools/ferrule/config.ts'
import { compileSpec } from '../../tools/ferrule/compile/compile.ts'
import { createChapterRenderer } from '../../tools/ferrule/render/chapter.ts'
import { memoryReader, reportText, sharedHighlighter, testConfig, type BookFiles } from './book.ts'
import { expectFileContent } from './expectations.ts'

export const fixturesRoot = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../fixtures')

const expectationFiles = new Set(['output.html', 'messages.txt'])

/** Every file of a fixture folder but the expectations, by path relative to it. */
export function readFixtureBook(folder: string): BookFiles {
  const files: BookFiles = {}
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(folder, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name
      if (statSync(path.join(folder, child)).isDirectory()) walk(child)
      else if (!expectationFiles.has(child)) files[child] = readFileSync(path.join(folder, child), 'utf8')
    }
  }
  walk('')
  return files
}

/**
 * One test per case folder under `test/fixtures/<area>/`: the case is a book whose chapter under
 * test is `input.md` (the outline is made up when the case has no `SUMMARY.md`); the rendered
 * content of `input.md` must equal `output.html`, and the report of every diagnostic `messages.txt`.
 */
export function testFixtures(area: string, config: UserConfig = {}): void {
  const folder = path.join(fixturesRoot, area)
  for (const name of readdirSync(folder).sort()) {
    const caseFolder = path.join(folder, name)
    if (!statSync(caseFolder).isDirectory()) continue
    test(`fixture ${area}/${name}`, async () => {
      const files = readFixtureBook(caseFolder)
      files['SUMMARY.md'] ??= [
        '# Summary',
        '',
        ...Object.keys(files)
          .filter((file) => file.endsWith('.md'))
          .sort((a, b) => (a === 'input.md' ? -1 : b === 'input.md' ? 1 : a < b ? -1 : 1))
          .map((file) => `- [${file}](${file})`),
        '',
      ].join('\n')
      const spec = await compileSpec(testConfig(config), memoryReader(files))
      const chapter = spec.chapters.find((candidate) => candidate.path === 'input.md')
      if (!chapter) throw new Error(`Fixture ${area}/${name} has no input.md`)
      const html = createChapterRenderer(await sharedHighlighter())(chapter.tree, chapter.file)
      await expectFileContent(path.join(caseFolder, 'output.html'), html + '\n')
      await expectFileContent(path.join(caseFolder, 'messages.txt'), reportText(spec.files))
    })
  }
}
