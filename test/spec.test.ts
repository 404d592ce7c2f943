import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { check } from '../tools/ferrule/build.ts'
import { compileSpec } from '../tools/ferrule/compile/compile.ts'
import { loadUserConfig, resolveConfig } from '../tools/ferrule/config.ts'
import { filesToReport } from '../tools/ferrule/report-text.ts'
import { fsSpecReader } from '../tools/ferrule/site/fs-reader.ts'

const repository = path.resolve(import.meta.dirname ?? '.', '..')

async function projectConfig() {
  return resolveConfig(repository, await loadUserConfig(repository))
}

describe("this repository's spec", () => {
  test('passes `ferrule check --strict` with no diagnostics', async () => {
    const result = await check({ config: await projectConfig(), strict: true })
    expect(filesToReport(result.files)).toBe('')
  })

  test('every chapter names its owner and defines its intro rule and a handful of rules under one prefix', async () => {
    const config = await projectConfig()
    const spec = await compileSpec(config, fsSpecReader(config.root))
    expect(spec.chapters.length).toBeGreaterThanOrEqual(27)
    for (const chapter of spec.chapters) {
      const owner = chapter.file.data.frontMatter?.owner
      expect(owner, chapter.path).toMatch(/^T-/)
      const ids = chapter.file.data.rules!.map((rule) => rule.id)
      expect(ids.length, chapter.path).toBeGreaterThanOrEqual(5)
      const prefix = ids[0]!.replace(/\.intro$/, '')
      expect(ids[0], chapter.path).toBe(`${prefix}.intro`)
      for (const id of ids) expect(id.startsWith(prefix + '.') || id === prefix, `${id} in ${chapter.path}`).toBe(true)
    }
  })

  test('chapters link to rules of other chapters', async () => {
    const config = await projectConfig()
    const spec = await compileSpec(config, fsSpecReader(config.root))
    const crossLinks = spec.chapters.flatMap((chapter) =>
      (chapter.file.data.ruleRefs ?? []).filter((ref) => ref.linked && spec.index.rules.get(ref.id)?.chapter !== chapter.path),
    )
    expect(crossLinks.length).toBeGreaterThan(50)
  })

  test('every chapter has an example that runs, in Rust for the language chapters, each bound to a rule', async () => {
    const config = await projectConfig()
    const spec = await compileSpec(config, fsSpecReader(config.root))
    for (const chapter of spec.chapters) {
      const running = (chapter.file.data.examples ?? []).filter((example) => example.info && example.info.ignore === undefined)
      const language = !chapter.path.startsWith('security/')
      const wanted = running.filter((example) => !language || example.info!.runner === 'rust')
      expect(wanted.length, chapter.path).toBeGreaterThan(0)
      for (const example of running) expect(example.rule, `${chapter.path}:${example.position?.start.line}`).toBeDefined()
    }
  })
})
