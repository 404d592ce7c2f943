import type { Token, TokenKind } from './tokenize.ts'
import type { Expression, GrammarError, Point, Span } from './types.ts'

/**
 * What the parser's functions share: the token cursor, the error they throw to abandon a
 * production, and the helpers that look at tokens and build spans and diagnostics.
 */

/** Thrown inside the parser to abandon one production; `parseGrammar` catches it, nothing else sees it. */
export class Malformed {
  constructor(readonly error: GrammarError) {}
}

/** The cursor over one block's tokens, advanced by the parsing functions. */
export interface State {
  tokens: Token[]
  /** The next token to read. */
  index: number
  /** The block's source lines, to cut each production's own text from. */
  lines: string[]
}

/** The stable name of every error the parser reports. */
export const ruleId = 'ferrule:malformed-production'

/** What to write instead, for a token that cannot start an expression. */
export function hintFor(kind: TokenKind): string | undefined {
  switch (kind) {
    case 'arrow':
      return 'a production is one `Name -> ...`; start the next production on a new line at column 1'
    case 'rbracket':
      return 'this `]` closes no `[`'
    case 'question':
    case 'star':
    case 'plus':
    case 'range':
      return 'a quantifier follows its expression without a space, such as Item*'
    case 'dash':
      return 'a `-` outside a character set belongs in backticks: `-`'
    case 'suffix':
      return 'a suffix follows an expression, such as Expression _except StructExpression_'
    case 'root':
      return '`@root` goes before a production name at the start of a line'
    default:
      return undefined
  }
}

/** A token as a diagnostic names it: "name `X`", "`)`", or "the end of the production". */
export function describe(token: Token | undefined): string {
  if (!token) return 'the end of the production'
  switch (token.kind) {
    case 'name':
      return `name \`${token.value}\``
    case 'terminal':
      return `terminal \`${token.value}\``
    case 'prose':
      return 'prose'
    case 'comment':
      return 'a comment'
    case 'unicode':
      return `U+${token.value}`
    case 'range':
      return `\`{${token.value}}\``
    case 'footnote':
      return `footnote \`[^${token.value}]\``
    case 'suffix':
      return 'a suffix'
    case 'error':
      return `\`${token.value}\``
    default:
      return `\`${token.value}\``
  }
}

/** Abandons the production being parsed with an error at `where`. */
export function fail(where: Token | Point, reason: string, hint: string | undefined): never {
  const error: GrammarError = 'kind' in where
    ? { reason, start: where.start, end: where.end, ruleId }
    : { reason, start: where, ruleId }
  if (hint) error.hint = hint
  throw new Malformed(error)
}

/** Past the failed production to the next line at column 1; always moves on, so parsing ends. */
export function skipToNextProduction(state: State, startIndex: number): void {
  state.index = Math.max(state.index, startIndex + 1)
  while (state.index < state.tokens.length && !(startsProduction(state.tokens[state.index]!) && state.tokens[state.index]!.start.column === 1)) {
    state.index++
  }
}

/** A token that begins a line at column 1, or follows a blank line, ends the production before it. */
export function startsProduction(token: Token): boolean {
  return token.first && (token.start.column === 1 || token.blankBefore)
}

/** The next token, or `undefined` at the end of the block. */
export function peek(state: State): Token | undefined {
  return state.tokens[state.index]
}

/** The next token when it is on the current line, for operators that must follow directly. */
export function peekSameLine(state: State): Token | undefined {
  const token = state.tokens[state.index]
  return token && !token.first ? token : undefined
}

/** Whether `start` follows `end` with nothing between, as a quantifier follows its operand. */
export function adjacent(end: Point, start: Point): boolean {
  return end.line === start.line && end.column === start.column
}

/** Where a missing token should have been: just after `token`. */
export function after(token: Token): Point {
  return token.end
}

/** The extent from the start of `first` to the end of `last`. */
export function span(first: Token, last: Token): Span {
  return { start: first.start, end: last.end }
}

/** The extent of a non-empty list of expressions. */
export function spanOf(items: Expression[]): Span {
  return { start: items[0]!.span.start, end: items[items.length - 1]!.span.end }
}
