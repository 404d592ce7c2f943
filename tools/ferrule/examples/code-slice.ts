import type { Code } from 'mdast'
import MagicString, { type SourceMap } from 'magic-string'

/** The text of a fenced block cut out of its chapter, with a source map back into the chapter. */
export interface CodeSlice {
  code: string
  map: SourceMap
  /** 1-based line of the chapter on which the block's first line of code sits. */
  firstLine: number
  /** For each line of code, how many characters of the chapter's line precede it. */
  indents: number[]
}

/** The chapter's 1-based line and column of a 0-based place in a slice's code. */
export function chapterPlace(slice: CodeSlice, line: number, column: number): { line: number; column: number } {
  return { line: slice.firstLine + line, column: (slice.indents[line] ?? 0) + column + 1 }
}

/**
 * Cut a fenced block's code out of the chapter's Markdown, keeping a source map from every character
 * of the code to its place in the chapter: a stack trace or a type error in an example then names
 * the `.md` file and its line, not a generated file's.
 *
 * Inside block quotes and list items, each line's container prefix (`> `, indentation) is dropped as
 * mdast drops it from `node.value`.
 */
export function sliceCode(markdown: string, node: Code, sourcePath: string): CodeSlice {
  const start = node.position?.start
  if (!start) throw new Error(`Ferrule bug: the code block in ${sourcePath} has no position`)
  const firstLine = start.line + 1
  const lineStarts = lineOffsets(markdown)
  const text = new MagicString(markdown)
  const lines = node.value === '' ? [] : node.value.split('\n')
  if (lines.length === 0) {
    text.remove(0, markdown.length)
    return { code: '', map: text.generateMap({ source: sourcePath, hires: true }), firstLine, indents: [] }
  }
  const first = lineStarts[firstLine - 1] ?? markdown.length
  if (first > 0) text.remove(0, first)
  const indents: number[] = []
  lines.forEach((value, index) => {
    const lineStart = lineStarts[firstLine - 1 + index] ?? markdown.length
    const lineEnd = lineEndOf(markdown, lineStart)
    const prefix = lineEnd - lineStart - value.length
    indents.push(Math.max(0, prefix))
    if (prefix >= 0 && markdown.slice(lineStart + prefix, lineEnd) === value) {
      if (prefix > 0) text.remove(lineStart, lineStart + prefix)
    } else if (lineEnd > lineStart) {
      // Tabs widened to spaces, say: keep the line's mapping, if not its columns.
      text.overwrite(lineStart, lineEnd, value)
    } else {
      text.appendLeft(lineStart, value)
    }
    const next = lineStarts[firstLine + index]
    if (index === lines.length - 1 && lineEnd < markdown.length) text.remove(lineEnd, markdown.length)
    else if (next === undefined && index < lines.length - 1) text.append('\n')
  })
  const code = text.toString()
  return { code, map: text.generateMap({ source: sourcePath, hires: true, includeContent: true }), firstLine, indents }
}

function lineOffsets(text: string): number[] {
  const offsets = [0]
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) offsets.push(index + 1)
  return offsets
}

function lineEndOf(text: string, lineStart: number): number {
  const end = text.indexOf('\n', lineStart)
  const stop = end === -1 ? text.length : end
  return stop > lineStart && text[stop - 1] === '\r' ? stop - 1 : stop
}
