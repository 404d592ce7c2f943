import { cp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseGrammar, productionToHast, productionToSvg } from '../ferrule/grammar/index.ts'
import { writeCorpus } from './corpus.ts'
import { label, repository, series } from './measure.ts'

/** What issue 10 asks: 1,000 productions add less than this share to the build of the generated corpus. */
const target = 0.1
const chaptersWithGrammar = 50
const productionsPerChapter = 20

/**
 * A grammar block of `productionsPerChapter` productions for chapter `k`: a chain through the
 * chapter's productions and on to the next chapter's first, with every construct of the notation in
 * its alternatives, so that the whole grammar is reachable from `G0_0`.
 */
function grammarBlock(k: number): string {
  const lines = ['```grammar,generated-' + (k % 5)]
  for (let i = 0; i < productionsPerChapter; i++) {
    const name = `G${k}_${i}`
    const next = i + 1 < productionsPerChapter ? `G${k}_${i + 1}` : k + 1 < chaptersWithGrammar ? `G${k + 1}_0` : '`end`'
    const head = k === 0 && i === 0 ? `@root ${name}` : name
    lines.push(
      `${head} ->`,
      `    \`kw${i}\` ${next} ( \`,\` ${next} )* \`,\`?`,
      `  | [\`a\`-\`z\` \`_\`] [\`a\`-\`z\` \`0\`-\`9\` \`_\`]{0..=${i + 2}} // an identifier of up to ${i + 3} characters`,
      `  | !\`r#\` ^ \`#\`{n:1..=255} ~[\`"\` U+000A] \`#\`{n}`,
      `  | U+000A | <any character that is not ${name}> | \`x\` _except ${next}_`,
      '',
    )
  }
  lines.push('```', '')
  return lines.join('\n')
}

/** The corpus with 1,000 productions more: a grammar block in each of its first 50 chapters, linked from prose. */
async function addGrammar(corpus: string, into: string): Promise<number> {
  await cp(corpus, into, { recursive: true })
  const summary = await readFile(path.join(into, 'SUMMARY.md'), 'utf8')
  const chapters = [...summary.matchAll(/\]\(([^)]+\.md)\)/g)].map((match) => match[1]!)
  let productions = 0
  for (const [k, chapter] of chapters.slice(0, chaptersWithGrammar).entries()) {
    const file = path.join(into, chapter)
    const text = await readFile(file, 'utf8')
    await writeFile(file, `${text}\n## Grammar\n\nThis chapter's syntax starts at [G${k}_0] and uses [grammar.G${k}_1].\n\n${grammarBlock(k)}`)
    productions += productionsPerChapter
  }
  return productions
}

/** Parse, text and diagrams of the 1,000 productions in this process, without the rest of a build. */
function parseAndRender(): { productions: number; milliseconds: number } {
  const blocks = Array.from({ length: chaptersWithGrammar }, (_, k) => grammarBlock(k).split('\n').slice(1, -3).join('\n'))
  const started = performance.now()
  let productions = 0
  for (const block of blocks) {
    const parsed = parseGrammar(block)
    if (parsed.errors.length > 0) throw new Error(`The generated grammar has errors: ${parsed.errors[0]!.reason}`)
    for (const production of parsed.productions) {
      const href = (name: string) => `#grammar-${name}`
      productionToHast(production, { href })
      productionToSvg(production, { href })
      productions++
    }
  }
  return { productions, milliseconds: performance.now() - started }
}

/** Grammar blocks: 1,000 productions parsed and rendered, and what they add to a build of the corpus. */
export async function benchGrammar(work: string): Promise<void> {
  const corpus = path.join(work, 'grammar-corpus')
  await writeCorpus(corpus)
  const withGrammar = path.join(work, 'grammar-corpus-1000')
  const productions = await addGrammar(corpus, withGrammar)
  const alone = parseAndRender()
  console.log(`Grammar blocks (${productions} productions in ${chaptersWithGrammar} chapters):`)
  console.log(`${label('parse + text + SVG')} ${alone.milliseconds.toFixed(0)} ms in process (${((alone.milliseconds * 1000) / alone.productions).toFixed(0)} µs per production)`)
  const ferrule = path.join(repository, 'bin/ferrule.js')
  const without = await series('build, corpus', [ferrule, 'build', '--root', corpus, '--out', path.join(work, 'grammar-dist-0'), '--quiet'])
  const withThem = await series('build, corpus + grammar', [ferrule, 'build', '--root', withGrammar, '--out', path.join(work, 'grammar-dist-1'), '--quiet'])
  const added = withThem.seconds / without.seconds - 1
  console.log(`added by ${productions} productions: ${(added * 100).toFixed(1)} % (target < ${target * 100} %: ${added < target ? 'met' : 'NOT met'})`)
}
