// Apart from `results-junit.ts` so that telling a results file's format does not load its XML
// parser, which took a tenth of a second of every `ferrule matrix` run that reads no JUnit file.

/**
 * Whether `text` looks like a JUnit XML report: after an optional byte order mark, XML declaration,
 * processing instructions and comments, the root element is `<testsuites>` or `<testsuite>`. Cheap:
 * it reads only the start, to tell JUnit files from vitest's JSON before parsing either.
 */
export function isJunitXml(text: string): boolean {
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0
  for (;;) {
    index = skipWhitespace(text, index)
    if (text.startsWith('<?', index)) {
      const end = text.indexOf('?>', index + 2)
      if (end < 0) return false
      index = end + 2
    } else if (text.startsWith('<!--', index)) {
      const end = text.indexOf('-->', index + 4)
      if (end < 0) return false
      index = end + 3
    } else if (text.startsWith('<!DOCTYPE', index)) {
      // A document type declaration without an internal subset, as JUnit writers put one.
      const end = text.indexOf('>', index + 9)
      if (end < 0 || text.lastIndexOf('[', end) > index) return false
      index = end + 1
    } else {
      break
    }
  }
  const match = /^<(testsuites|testsuite)[\s/>]/.exec(text.slice(index, index + 13))
  return match !== null
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index]!)) index++
  return index
}
