import { type QuoteMode, readQuoted } from './escapes.ts'
import type { Token, TokenKind } from './token.ts'

// Punctuation, longest first, so that the first match at a position is the longest (Rust Reference,
// "Tokens: punctuation"), `~` included as the Rust lexer still knows it.
const PUNCTUATION = [
  '>>=', '<<=', '...', '..=',
  '::', '->', '=>', '==', '!=', '<=', '>=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '^=', '&=', '|=', '<<', '>>', '..',
  '+', '-', '*', '/', '%', '^', '!', '&', '|', '=', '<', '>', '@', '.', ',', ';', ':', '#', '$', '?', '~', '{', '}', '[', ']', '(', ')',
]

const identStart = /[\p{XID_Start}_]/u
const identContinue = /\p{XID_Continue}/u
// Rust's white space is Pattern_White_Space (Rust Reference, "Whitespace").
const whiteSpace = /\p{Pattern_White_Space}/u

/** The Rust lexer's state: where it is in the source and where each line starts. */
interface Lexer {
  source: string
  index: number
  lineStarts: number[]
  tokens: Token[]
}

/**
 * Split Rust source into tokens, comments included, white space left out (Rust Reference,
 * "Lexical structure"). A state machine over the source, one token per step, chosen by the first
 * characters:
 *
 * 1. White space is skipped; `//` and `/*` start comments (block comments nest; `///`, `//!`,
 *    `/**`, `/*!` are doc comments, `////` and `/***` are not).
 * 2. `'` starts a char literal when an escape or a single character and `'` follow, else a lifetime.
 * 3. `"`, and the prefixes `b` `br` `r` `c` `cr` before `"`, `'` or `#`, start literals; `r#` before
 *    an identifier is a raw identifier.
 * 4. Identifiers, numbers (with `.` taken into a float only when a digit or nothing
 *    identifier-like follows, so `1..2` and `1.max(2)` stay integers), then punctuation, longest
 *    match.
 *
 * It never throws: what the Rust lexer would reject becomes a token marked `unterminated` or
 * `malformed`, or an `unknown` one, and lexing goes on.
 */
export function tokenize(source: string): Token[] {
  const lexer: Lexer = { source, index: 0, lineStarts: [0], tokens: [] }
  for (let index = 0; index < source.length; index++) if (source.charCodeAt(index) === 10) lexer.lineStarts.push(index + 1)
  if (source.startsWith('\uFEFF')) lexer.index = 1
  shebang(lexer)
  while (lexer.index < source.length) step(lexer)
  return lexer.tokens
}

function step(lexer: Lexer): void {
  const { source, index } = lexer
  const character = codePointAt(source, index)
  // 1.
  if (whiteSpace.test(character)) {
    lexer.index += character.length
    return
  }
  if (character === '/' && source[index + 1] === '/') return lineComment(lexer)
  if (character === '/' && source[index + 1] === '*') return blockComment(lexer)
  // 2.
  if (character === "'") return quoteOrLifetime(lexer)
  // 3.
  if (character === '"') return quoted(lexer, 'string', index + 1, '"', 'string')
  if (character === 'b' || character === 'r' || character === 'c') {
    if (prefixedLiteral(lexer)) return
  }
  // 4.
  if (identStart.test(character)) {
    const end = identEnd(source, index)
    return push(lexer, 'ident', end, source.slice(index, end))
  }
  if (character >= '0' && character <= '9') return number(lexer)
  const punctuation = PUNCTUATION.find((text) => source.startsWith(text, index))
  if (punctuation !== undefined) return push(lexer, 'punct', index + punctuation.length, punctuation)
  push(lexer, 'unknown', index + character.length, character)
}

/** `#!` on the first line, unless it opens an inner attribute `#![...]` (Rust Reference, "Shebang"). */
function shebang(lexer: Lexer): void {
  const { source, index } = lexer
  if (!source.startsWith('#!', index)) return
  let after = index + 2
  // White space and comments may stand between `#!` and the `[` of an attribute.
  for (;;) {
    while (after < source.length && whiteSpace.test(source[after]!)) after++
    if (source.startsWith('//', after)) after = lineEnd(source, after)
    else if (source.startsWith('/*', after)) after = blockCommentEnd(source, after).end
    else break
  }
  if (source[after] === '[') return
  const end = lineEnd(source, index)
  push(lexer, 'shebang', end, source.slice(index + 2, end))
}

function lineComment(lexer: Lexer): void {
  const { source, index } = lexer
  const end = lineEnd(source, index)
  const third = source[index + 2]
  if (third === '/' && source[index + 3] !== '/') return push(lexer, 'doc-comment', end, source.slice(index + 3, end), { doc: 'outer' })
  if (third === '!') return push(lexer, 'doc-comment', end, source.slice(index + 3, end), { doc: 'inner' })
  push(lexer, 'line-comment', end, source.slice(index + 2, end))
}

function blockComment(lexer: Lexer): void {
  const { source, index } = lexer
  const { end, closed } = blockCommentEnd(source, index)
  const body = source.slice(index + 2, closed ? end - 2 : end)
  const extra = closed ? {} : { unterminated: true as const }
  const third = source[index + 2]
  // `/**/` and `/***...` are ordinary comments; `/** x */` and `/*! x */` are doc comments.
  if (third === '*' && source[index + 3] !== '*' && !(source[index + 3] === '/' && closed && end === index + 4)) {
    return push(lexer, 'doc-comment', end, body.slice(1), { doc: 'outer', ...extra })
  }
  if (third === '!') return push(lexer, 'doc-comment', end, body.slice(1), { doc: 'inner', ...extra })
  push(lexer, 'block-comment', end, body, extra)
}

/** The end of the block comment at `start`, counting nested openings and closings. */
function blockCommentEnd(source: string, start: number): { end: number; closed: boolean } {
  let depth = 0
  let index = start
  while (index < source.length) {
    if (source.startsWith('/*', index)) {
      depth++
      index += 2
    } else if (source.startsWith('*/', index)) {
      depth--
      index += 2
      if (depth === 0) return { end: index, closed: true }
    } else index++
  }
  return { end: source.length, closed: false }
}

function quoteOrLifetime(lexer: Lexer): void {
  const { source, index } = lexer
  const first = codePointAt(source, index + 1)
  if (first === '\\') return quoted(lexer, 'char', index + 1, "'", 'char')
  if (first !== '' && first !== "'" && source[index + 1 + first.length] === "'") {
    const extra = first === '\n' || first === '\r' || first === '\t' ? { malformed: true as const } : {}
    return push(lexer, 'char', index + 2 + first.length, first, extra)
  }
  // `'r#name`, a raw lifetime.
  const raw = source.startsWith('r#', index + 1) && identStart.test(codePointAt(source, index + 3))
  const nameStart = raw ? index + 3 : index + 1
  if (identStart.test(first) || raw) {
    const end = identEnd(source, nameStart)
    // `'ab'` is a char literal of more than one character, which the Rust lexer rejects.
    if (source[end] === "'" && !raw) return push(lexer, 'char', end + 1, source.slice(index + 1, end), { malformed: true })
    return push(lexer, 'lifetime', end, source.slice(nameStart, end), raw ? { raw: true } : {})
  }
  push(lexer, 'unknown', index + 1, "'")
}

/** A literal with a prefix (`b'x'`, `b"x"`, `br#"x"#`, `r"x"`, `c"x"`, `cr"x"`) or a raw identifier; false when none starts here. */
function prefixedLiteral(lexer: Lexer): boolean {
  const { source, index } = lexer
  const character = source[index]!
  const next = source[index + 1]
  if (character === 'b' && next === "'") {
    quoted(lexer, 'byte', index + 2, "'", 'byte')
    return true
  }
  if (character === 'b' && next === '"') {
    quoted(lexer, 'byte-string', index + 2, '"', 'byte-string')
    return true
  }
  if (character === 'c' && next === '"') {
    quoted(lexer, 'c-string', index + 2, '"', 'c-string')
    return true
  }
  if (character === 'r') return rawLiteral(lexer, index + 1, 'raw-string', true)
  if ((character === 'b' || character === 'c') && next === 'r') return rawLiteral(lexer, index + 2, character === 'b' ? 'raw-byte-string' : 'raw-c-string', false)
  return false
}

/**
 * After `r` (at `at`): `#`* `"` starts a raw string closed by `"` and as many `#`; `#` before an
 * identifier is a raw identifier (only after a bare `r`). False when neither starts here.
 */
function rawLiteral(lexer: Lexer, at: number, kind: TokenKind, identifierAllowed: boolean): boolean {
  const { source } = lexer
  let hashes = 0
  while (source[at + hashes] === '#') hashes++
  if (source[at + hashes] === '"') {
    const close = '"' + '#'.repeat(hashes)
    const bodyStart = at + hashes + 1
    const found = source.indexOf(close, bodyStart)
    if (found === -1) push(lexer, kind, source.length, source.slice(bodyStart), { unterminated: true })
    else push(lexer, kind, found + close.length, source.slice(bodyStart, found))
    return true
  }
  if (identifierAllowed && hashes === 1 && identStart.test(codePointAt(source, at + 1))) {
    const end = identEnd(source, at + 1)
    push(lexer, 'ident', end, source.slice(at + 1, end), { raw: true })
    return true
  }
  return false
}

function quoted(lexer: Lexer, kind: TokenKind, bodyStart: number, quote: '"' | "'", mode: QuoteMode): void {
  const body = readQuoted(lexer.source, bodyStart, quote, mode)
  // A char literal holds exactly one character (an escape counts as one).
  const count = [...body.value].length
  const wrongLength = (mode === 'char' || mode === 'byte') && !body.unterminated && count !== 1
  push(lexer, kind, body.end, body.value, {
    ...(body.unterminated ? { unterminated: true as const } : {}),
    ...(body.malformed || wrongLength ? { malformed: true as const } : {}),
  })
}

function number(lexer: Lexer): void {
  const { source, index } = lexer
  let end = index
  const radix = source[index] === '0' ? source[index + 1] : undefined
  if (radix === 'x' || radix === 'o' || radix === 'b') {
    end += 2
    while (end < source.length && /[0-9a-fA-F_]/.test(source[end]!)) end++
  } else {
    end = digits(source, end)
    // A `.` makes a float unless another `.`, an identifier or a digit-less field access follows.
    if (source[end] === '.' && source[end + 1] !== '.' && !identStart.test(codePointAt(source, end + 1))) {
      end = digits(source, end + 1)
    }
    const exponent = /^[eE][+-]?[0-9_]*[0-9]/.exec(source.slice(end, end + 64))
    if (exponent) end += exponent[0].length
  }
  // The suffix: `u8`, `f64`, or anything identifier-like (the Rust lexer accepts any, then rejects).
  if (identStart.test(codePointAt(source, end))) end = identEnd(source, end)
  push(lexer, 'number', end, source.slice(index, end))
}

function digits(source: string, from: number): number {
  let end = from
  while (end < source.length && /[0-9_]/.test(source[end]!)) end++
  return end
}

function identEnd(source: string, from: number): number {
  let end = from
  while (end < source.length) {
    const character = codePointAt(source, end)
    if (!identContinue.test(character)) break
    end += character.length
  }
  return end
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf('\n', from)
  return end === -1 ? source.length : end
}

/** The whole code point at `index` (two code units for a surrogate pair), or '' past the end. */
function codePointAt(source: string, index: number): string {
  const codePoint = source.codePointAt(index)
  return codePoint === undefined ? '' : String.fromCodePoint(codePoint)
}

function push(lexer: Lexer, kind: TokenKind, end: number, value: string, extra?: Pick<Token, 'raw' | 'doc' | 'unterminated' | 'malformed'>): void {
  const start = lexer.index
  const line = lineOf(lexer.lineStarts, start)
  lexer.tokens.push({ kind, text: lexer.source.slice(start, end), start, end, line, column: start - lexer.lineStarts[line - 1]! + 1, value, ...extra })
  lexer.index = end
}

/** The 1-based line of `offset`, by binary search over the line starts. */
function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0
  let high = lineStarts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (lineStarts[middle]! <= offset) low = middle
    else high = middle - 1
  }
  return low + 1
}
