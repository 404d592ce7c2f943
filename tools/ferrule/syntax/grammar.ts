import type { Code, Root } from 'mdast'
import type { Point, Position } from 'unist'
import { SKIP } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { location, type Location } from 'vfile-location'
import { report } from '../diagnostics.ts'
import { parseGrammar, productionNonterminals, type Point as BlockPoint, type Span } from '../grammar/index.ts'
import { visitBlocks } from './blocks.ts'
import type { GrammarNode, ProductionFact } from './types.ts'

/** A production the grammar notation cannot read: reported at the exact line and column. */
export const malformedProduction = 'malformed-production'

/** The category of a block whose info string says none. */
export const defaultCategory = 'uncategorized'

/**
 * Turn ` ```grammar,CATEGORY ` blocks into `ferruleGrammar` nodes holding their parsed productions,
 * report malformed productions where they are, and record every production in
 * `file.data.productions` with its places in the chapter's file.
 */
export default function remarkFerruleGrammar() {
  return (tree: Root, file: VFile): void => {
    const productions: ProductionFact[] = []
    let place: Location | undefined
    visitBlocks<Code>(tree, 'code', (node, index, parent) => {
      const category = grammarCategory(node)
      if (category === undefined || !parent || index === undefined) return undefined
      place ??= location(file)
      const toPoint = blockToFile(String(file), place, node)
      const toPosition = (span: Span): Position => ({ start: toPoint(span.start), end: toPoint(span.end) })
      const parsed = parseGrammar(node.value)
      for (const error of parsed.errors) {
        const start = toPoint(error.start)
        report(file, 'error', malformedProduction, error.reason, { place: error.end ? { start, end: toPoint(error.end) } : start, hint: error.hint })
      }
      for (const production of parsed.productions) {
        productions.push({
          name: production.name,
          category,
          position: toPosition(production.nameSpan),
          root: production.root,
          source: production.source,
          uses: productionNonterminals(production).map((use) => ({ name: use.name, position: toPosition(use.span) })),
        })
      }
      const grammar: GrammarNode = { type: 'ferruleGrammar', category, value: node.value, productions: parsed.productions, position: node.position }
      parent.children[index] = grammar as never
      return SKIP
    })
    file.data.productions = productions
  }
}

/** The category of a grammar block (` ```grammar,lexer `, ` ```grammar lexer `), or `undefined` for other blocks. */
export function grammarCategory(node: Code): string | undefined {
  const info = [node.lang, node.meta].filter(Boolean).join(' ')
  const match = /^grammar(?:$|[,\s]+([^,\s]*))/.exec(info)
  if (!match) return undefined
  return match[1] || defaultCategory
}

/**
 * Places in a code block's text (1-based, from its first line of code) as places in the file. The
 * block's lines are the file's lines after the fence; each may have lost a prefix (indentation, a
 * quote's `>`), which is found by comparing it with the file's line.
 */
function blockToFile(source: string, place: Location, node: Code): (point: BlockPoint) => Point {
  const fenceLine = node.position?.start.line ?? 1
  const lines = node.value.split('\n')
  const prefixes = new Map<number, number>()
  const prefixOf = (line: number): number => {
    let known = prefixes.get(line)
    if (known !== undefined) return known
    const start = place.toOffset({ line: fenceLine + line, column: 1 })
    const end = start === undefined ? -1 : source.indexOf('\n', start)
    const fileLine = start === undefined ? '' : source.slice(start, end === -1 ? undefined : end).replace(/\r$/, '')
    const text = lines[line - 1] ?? ''
    known = fileLine.endsWith(text) ? fileLine.length - text.length : 0
    prefixes.set(line, known)
    return known
  }
  return (point) => {
    const line = fenceLine + point.line
    const column = prefixOf(point.line) + point.column
    const offset = place.toOffset({ line, column })
    return offset === undefined ? { line, column } : { line, column, offset }
  }
}
