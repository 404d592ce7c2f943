/** How the body of a quoted literal is read: which escapes it admits (Rust Reference, "Tokens"). */
export type QuoteMode = 'char' | 'string' | 'byte' | 'byte-string' | 'c-string'

/** A quoted literal's body as read from the character after its opening quote. */
export interface QuotedBody {
  /** Offset just past the closing quote (or the end of the source when unterminated). */
  end: number
  /** The content with escapes decoded. */
  value: string
  unterminated: boolean
  /** An escape the mode does not admit, or a malformed one. */
  malformed: boolean
}

const simpleEscapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '0': '\0', "'": "'", '"': '"' }

/**
 * Read a quoted literal's body from `start` (just past the opening quote) up to the closing `quote`,
 * decoding escapes: `\n \r \t \\ \0 \' \"`, `\xHH` (at most `\x7F` except in byte literals),
 * `\u{H...}` (not in byte literals), and in strings a `\` at the end of a line, which skips the line
 * break and the white space after it. An unknown escape is kept as written and marks the literal
 * malformed; the source ending first marks it unterminated. Never throws.
 */
export function readQuoted(source: string, start: number, quote: '"' | "'", mode: QuoteMode): QuotedBody {
  const bytes = mode === 'byte' || mode === 'byte-string'
  let value = ''
  let malformed = false
  let index = start
  while (index < source.length) {
    const character = source[index]!
    if (character === quote) return { end: index + 1, value, unterminated: false, malformed }
    // A char literal has one character: a line break means the quote was never closed on its line.
    if (quote === "'" && (character === '\n' || character === '\r')) return { end: index, value, unterminated: true, malformed: true }
    if (character !== '\\') {
      const codePoint = source.codePointAt(index)!
      const width = codePoint > 0xffff ? 2 : 1
      if (bytes && codePoint > 0x7f) malformed = true
      value += source.slice(index, index + width)
      index += width
      continue
    }
    const next = source[index + 1]
    if (next === undefined) return { end: source.length, value: value + '\\', unterminated: true, malformed: true }
    if (next in simpleEscapes) {
      value += simpleEscapes[next]
      index += 2
      continue
    }
    if (next === 'x') {
      const digits = source.slice(index + 2, index + 4)
      if (/^[0-9a-fA-F]{2}$/.test(digits)) {
        const code = Number.parseInt(digits, 16)
        if (code > 0x7f && !bytes) malformed = true
        value += String.fromCharCode(code)
        index += 4
      } else {
        malformed = true
        value += '\\x'
        index += 2
      }
      continue
    }
    if (next === 'u') {
      const match = /^\{([0-9a-fA-F_]{1,8})\}/.exec(source.slice(index + 2, index + 14))
      const code = match ? Number.parseInt(match[1]!.replaceAll('_', ''), 16) : Number.NaN
      if (match && !bytes && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
        value += String.fromCodePoint(code)
        index += 2 + match[0].length
      } else {
        malformed = true
        value += '\\u'
        index += 2
      }
      continue
    }
    if ((next === '\n' || next === '\r') && quote === '"') {
      index += 1
      while (index < source.length && /[ \t\n\r]/.test(source[index]!)) index++
      continue
    }
    malformed = true
    const width = source.codePointAt(index + 1)! > 0xffff ? 2 : 1
    value += source.slice(index, index + 1 + width)
    index += 1 + width
  }
  return { end: source.length, value, unterminated: true, malformed: true }
}
