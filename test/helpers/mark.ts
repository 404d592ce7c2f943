/** The character that marks an expected diagnostic's start in test input. */
export const marker = '‸'

/**
 * Remove every `‸` from `text` and return where each stood, as 1-based line and column of the
 * character after it. Lets a test say where a diagnostic must point by pointing at it.
 */
export function mark(text: string): { text: string; places: Array<{ line: number; column: number }> } {
  const places: Array<{ line: number; column: number }> = []
  let clean = ''
  let line = 1
  let column = 1
  for (const char of text) {
    if (char === marker) {
      places.push({ line, column })
      continue
    }
    clean += char
    if (char === '\n') {
      line++
      column = 1
    } else {
      column += char.length
    }
  }
  return { text: clean, places }
}
