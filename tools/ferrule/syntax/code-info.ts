import type { Code, Root } from 'mdast'
import { SKIP, visitParents } from 'unist-util-visit-parents'
import type { VFile } from 'vfile'
import { quoteList, report } from '../diagnostics.ts'
import { nearest } from '../nearest.ts'
import { holdsNoBlock } from './blocks.ts'
import { exampleInfo, knownWords } from './example-info.ts'
import type { ExampleFact, ExampleInfo } from './types.ts'

/** An executable example that verifies no rule: not inside a rule's section and no `rule=ID`. */
export const exampleOutsideRule = 'example-outside-rule'
/** `ignore` with no reason after it. */
export const ignoreWithoutReason = 'ignore-without-reason'
/** A word in an example's info string that its runner does not know, most often a typo. */
export const unknownExampleWord = 'unknown-example-word'

/**
 * Split mdBook-style info strings (` ```rust,ignore `) into the language and its attributes, and
 * record every fenced code block with the rule it stands in in `file.data.examples`.
 *
 * A block stands in the rule of its nearest enclosing rule marker, or else in the last rule marked
 * before it in the same section: a heading ends the section. Executable examples (`ts`, `rust`) also
 * get their info string read, and mistakes in it reported.
 */
export default function remarkFerruleCodeInfo() {
  return (tree: Root, file: VFile): void => {
    const examples: ExampleFact[] = []
    let current: string | undefined
    visitParents(tree, (node, ancestors) => {
      if (node.type === 'ferruleRule') {
        current = node.id
        return
      }
      if (node.type === 'heading' && ancestors.at(-1)?.type !== 'ferruleRule') current = undefined
      // No code block is inside a heading, a paragraph or a table.
      if (holdsNoBlock(node)) return SKIP
      if (node.type !== 'code') return
      splitInfo(node)
      const attributes = node.meta ? node.meta.split(/[\s,]+/).filter(Boolean) : []
      const info = exampleInfo(node.lang, node.meta)
      if (info) checkInfo(file, node, info, current)
      const rule = info?.rule ?? current
      examples.push({ lang: node.lang ?? undefined, attributes, rule, position: node.position, node, info })
    })
    file.data.examples = examples
  }
}

function splitInfo(node: Code): void {
  if (!node.lang?.includes(',')) return
  const [lang, ...rest] = node.lang.split(',')
  node.lang = lang || null
  node.meta = [rest.join(' '), node.meta].filter(Boolean).join(' ') || null
}

function checkInfo(file: VFile, node: Code, info: ExampleInfo, standsIn: string | undefined): void {
  const place = node.position
  const known = knownWords(info.runner)
  for (const word of info.unknownWords) {
    const near = nearest(word, known, 1)
    report(file, 'warning', unknownExampleWord, `Unexpected word \`${word}\` in the info string of a \`${info.runner}\` example, expected ${quoteList(known)}`, {
      place,
      hint: near.length > 0 ? `Did you mean \`${near[0]}\`?` : 'Remove the word; only the words above change how an example runs',
    })
  }
  if (info.ignore === '') {
    report(file, 'warning', ignoreWithoutReason, 'Expected a reason after `ignore`: a reviewer must see why this example is never run', {
      place,
      hint: 'Write the reason after the word, as in `ignore needs network access`',
    })
  }
  if (info.rule === undefined && standsIn === undefined && info.ignore === undefined) {
    report(file, 'warning', exampleOutsideRule, `This \`${info.runner}\` example stands in no rule, so running it verifies nothing`, {
      place,
      hint: 'Move it below the block of the rule it illustrates (in the same section), or name the rule: `rule=ID` in its info string',
    })
  }
}
