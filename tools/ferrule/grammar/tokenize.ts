import type { Point } from './types.ts'

/** The kinds of token; punctuation kinds are named after their character. */
export type TokenKind =
  | 'name'
  | 'root'
  | 'arrow'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'dash'
  | 'question'
  | 'star'
  | 'plus'
  | 'tilde'
  | 'bang'
  | 'caret'
  | 'terminal'
  | 'prose'
  | 'unicode'
  | 'range'
  | 'footnote'
  | 'suffix'
  | 'comment'
  | 'error'

/** One token of a grammar block. */
export interface Token {
  kind: TokenKind
  /** The token's meaning: a name, a terminal's characters, prose, hex digits, a range's inside. */
  value: string
  start: Point
  end: Point
  /** The first token on its line: where a production or a continuation line starts. */
  first: boolean
  /** A blank line lies between this token and the one before it: a production ends there. */
  blankBefore: boolean
  /** For `error` tokens: what is wrong and how to mend it. */
  reason?: string
  hint?: string
}

const nameStart = /[\p{L}\p{N}]/uy
const namePattern = /[\p{L}\p{N}][\p{L}\p{N}_]*/uy
const unicodePattern = /U\+([0-9A-F]{4,6})(?![0-9A-Fa-f])/y

const punctuation: Record<string, TokenKind> = {
  '|': 'pipe',
  '(': 'lparen',
  ')': 'rparen',
  ']': 'rbracket',
  '-': 'dash',
  '?': 'question',
  '*': 'star',
  '+': 'plus',
  '~': 'tilde',
  '!': 'bang',
  '^': 'caret',
}

/**
 * Splits a grammar block into tokens, line by line, since the notation's layout is part of its
 * syntax: a production starts at the start of a line and continues on indented ones. Malformed
 * tokens become `error` tokens rather than exceptions, so that the parser reports them in order
 * with the rest and recovers at the next production.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  const lines = source.split('\n')
  let blank = false
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const lineNumber = index + 1
    let column = 0
    let first = true
    const at = (offset: number): Point => ({ line: lineNumber, column: offset + 1 })
    const push = (kind: TokenKind, value: string, from: number, to: number, extra?: Pick<Token, 'reason' | 'hint'>) => {
      tokens.push({ kind, value, start: at(from), end: at(to), first, blankBefore: first && blank, ...extra })
      first = false
      blank = false
    }
    while (column < line.length) {
      const char = line[column]!
      if (char === ' ' || char === '\t' || char === '\r') {
        column++
        continue
      }
      const from = column
      const rest = line.slice(column)
      if (rest.startsWith('//')) {
        push('comment', line.slice(column + 2).replace(/\r$/, ''), from, line.replace(/\r$/, '').length)
        column = line.length
      } else if (rest.startsWith('->')) {
        push('arrow', '->', from, (column += 2))
      } else if (rest.startsWith('@root')) {
        push('root', '@root', from, (column += 5))
      } else if (char === '`') {
        const close = line.indexOf('`', column + 1)
        if (close === -1) {
          push('error', rest, from, (column = line.length), {
            reason: 'Unclosed terminal: expected a closing backtick before the end of the line',
            hint: 'close it with ` on the same line; a backtick itself is written U+0060',
          })
        } else if (close === column + 1) {
          push('error', '``', from, (column = close + 1), {
            reason: 'Empty terminal: expected at least one character between the backticks',
            hint: 'a backtick itself is written U+0060',
          })
        } else {
          push('terminal', line.slice(column + 1, close), from, (column = close + 1))
        }
      } else if (char === '<') {
        const close = line.indexOf('>', column + 1)
        if (close === -1 || close === column + 1) {
          push('error', rest, from, (column = close === -1 ? line.length : close + 1), {
            reason: close === -1 ? 'Unclosed prose: expected `>` before the end of the line' : 'Empty prose: expected a description between `<` and `>`',
            hint: 'prose is one line of English between angle brackets, such as <any character except LF>',
          })
        } else {
          push('prose', line.slice(column + 1, close), from, (column = close + 1))
        }
      } else if (rest.startsWith('U+')) {
        unicodePattern.lastIndex = column
        const match = unicodePattern.exec(line)
        if (!match || Number.parseInt(match[1]!, 16) > 0x10ffff) {
          const end = column + 2 + (/^[0-9A-Za-z]*/.exec(line.slice(column + 2))?.[0].length ?? 0)
          push('error', line.slice(column, end), from, (column = end), {
            reason: match ? `\`${match[0]}\` is beyond the last Unicode code point, U+10FFFF` : 'Expected 4 to 6 upper-case hexadecimal digits after `U+`',
            hint: 'write a code point as U+000A',
          })
        } else {
          push('unicode', match[1]!, from, (column += match[0].length))
        }
      } else if (char === '[') {
        if (line[column + 1] === '^') {
          const close = line.indexOf(']', column + 2)
          if (close === -1 || close === column + 2) {
            push('error', rest, from, (column = close === -1 ? line.length : close + 1), {
              reason: close === -1 ? 'Unclosed footnote reference: expected `]`' : 'Empty footnote reference: expected a label after `[^`',
              hint: 'a footnote reference is written [^label]',
            })
          } else {
            push('footnote', line.slice(column + 2, close), from, (column = close + 1))
          }
        } else {
          push('lbracket', '[', from, (column += 1))
        }
      } else if (char === '{') {
        const close = line.indexOf('}', column + 1)
        if (close === -1) {
          push('error', rest, from, (column = line.length), {
            reason: 'Unclosed repetition range: expected `}` on the same line',
            hint: 'a range is written {2..4}, {..=4}, {n:1..=255} or {n}',
          })
        } else {
          push('range', line.slice(column + 1, close), from, (column = close + 1))
        }
      } else if (char === '_' && (column === 0 || /\s/.test(line[column - 1]!))) {
        const end = suffixEnd(line, column + 1)
        if (end === -1) {
          push('error', rest, from, (column = line.length), {
            reason: 'Unclosed suffix: expected `_` followed by a space or the end of the line',
            hint: 'a suffix is written after its expression, such as Expression _except StructExpression_',
          })
        } else {
          push('suffix', line.slice(column + 1, end), from, (column = end + 1))
        }
      } else if (isNameStart(line, column)) {
        namePattern.lastIndex = column
        const name = namePattern.exec(line)![0]
        push('name', name, from, (column += name.length))
      } else if (punctuation[char]) {
        push(punctuation[char], char, from, (column += 1))
      } else {
        const width = char.codePointAt(0)! > 0xffff ? 2 : 1
        push('error', line.slice(column, column + width), from, (column += width), {
          reason: `Unexpected character \`${line.slice(from, column)}\``,
          hint: char === '_' ? 'a suffix starts with ` _` after a space' : 'characters other than names and operators belong in backticks, such as `' + line.slice(from, column) + '`',
        })
      }
    }
    if (first) blank = true
  }
  return tokens
}

function isNameStart(line: string, column: number): boolean {
  nameStart.lastIndex = column
  return nameStart.test(line)
}

/**
 * Where a suffix's closing `_` is: one outside backticks followed by a space or the line's end, as
 * in the Reference, or by what may follow an expression without a space (`)`, `|`, a footnote).
 */
function suffixEnd(line: string, from: number): number {
  let inBackticks = false
  for (let index = from; index < line.length; index++) {
    const char = line[index]
    if (char === '`') inBackticks = !inBackticks
    else if (char === '_' && !inBackticks && index > from && closesSuffix(line, index + 1)) return index
  }
  return -1
}

function closesSuffix(line: string, index: number): boolean {
  return index === line.length || /[\s)|]/.test(line[index]!) || line.startsWith('[^', index)
}
