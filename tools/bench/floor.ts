/**
 * The floor of the benchmark: the same corpus through a bare unified pipeline (remark-parse +
 * remark-gfm -> remark-rehype -> shiki -> rehype-stringify), with the same highlighter settings as
 * Ferrule, each page written to disk. Nothing else: no outline, rules, links, checks or layout.
 *
 * Usage: node --import tsx tools/bench/floor.ts CORPUS OUT
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import rehypeShikiFromHighlighter from '@shikijs/rehype/core'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import { unified } from 'unified'
import { createFerruleHighlighter, themes } from '../ferrule/render/highlighter.ts'

const [corpus, out] = process.argv.slice(2)
if (!corpus || !out) throw new Error('Usage: floor.ts CORPUS OUT')

const highlighter = await createFerruleHighlighter()
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeShikiFromHighlighter, highlighter, { themes, defaultLanguage: 'text', fallbackLanguage: 'text', tokenizeTimeLimit: 0 })
  .use(rehypeStringify)
  .freeze()

const files = (await readdir(corpus, { recursive: true })).filter((file) => file.endsWith('.md')).sort()
for (const file of files) {
  const html = String(await processor.process(await readFile(path.join(corpus, file), 'utf8')))
  const target = path.join(out, file.replace(/\.md$/, '.html'))
  await mkdir(path.dirname(target), { recursive: true })
  await writeFile(target, html)
}
