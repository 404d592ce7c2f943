/**
 * The tree of a grammar block in the Rust Reference's notation (its `docs/grammar.md`).
 *
 * Positions are relative to the block's own source text, 1-based, with columns counted in UTF-16
 * code units as JavaScript strings and mdast count them, so that the pipeline can add the block's
 * offset in its chapter without converting. An `end` is the point just after the last character,
 * as in unist.
 */

/** A place in a block's source text. */
export interface Point {
  line: number
  column: number
}

/** The extent of a node: `end` is exclusive. */
export interface Span {
  start: Point
  end: Point
}

/**
 * What every expression may carry besides its own fields: the Reference's subscript remark
 * (`X _except Y_`) and its footnote reference (`X[^id]`), both written after the expression.
 */
interface Adornments {
  span: Span
  /** The text between the underscores of a suffix such as `_except LazyBooleanExpression_`. */
  suffix?: string
  /** The label of a footnote reference `[^label]`, defined outside the block as Markdown. */
  footnote?: string
}

/** `A | B | C`. */
export interface Alternation extends Adornments {
  type: 'alternation'
  alternatives: Expression[]
}

/** `A B C`; also holds the line breaks and end-of-line comments that lay a production out. */
export interface Sequence extends Adornments {
  type: 'sequence'
  items: Expression[]
}

/** `( A )`. */
export interface Group extends Adornments {
  type: 'group'
  expression: Expression
}

/** `A?`. */
export interface Optional extends Adornments {
  type: 'optional'
  expression: Expression
}

/** `A*` (`min` 0) or `A+` (`min` 1); `A*?` and `A+?` are the non-greedy forms. */
export interface Repeat extends Adornments {
  type: 'repeat'
  expression: Expression
  min: 0 | 1
  greedy: boolean
}

/**
 * `A{a..b}`, `A{a..=b}`, `A{..=b}`, `A{a..}`; `label` is set by `A{n:a..=b}`, which binds the count
 * so that a later `B{n}` repeats exactly as often.
 */
export interface RepeatRange extends Adornments {
  type: 'repeat-range'
  expression: Expression
  min?: number
  max?: number
  /** `..=`: `max` is included. */
  inclusive: boolean
  label?: string
}

/** `A{n}`: as many times as the range labelled `n` matched. */
export interface RepeatLabelled extends Adornments {
  type: 'repeat-labelled'
  expression: Expression
  label: string
}

/** A name: a use of another production. */
export interface Nonterminal extends Adornments {
  type: 'nonterminal'
  name: string
}

/** `` `fn` ``: exactly these characters. */
export interface Terminal extends Adornments {
  type: 'terminal'
  value: string
}

/** `<any character except LF>`: an English description. */
export interface Prose extends Adornments {
  type: 'prose'
  text: string
}

/** `U+000A`: one character by its code point; `hex` is the digits as written. */
export interface Unicode extends Adornments {
  type: 'unicode'
  hex: string
  value: string
}

/** `` [`a`-`z` `_` LF] ``: one character of a set. */
export interface Charset extends Adornments {
  type: 'charset'
  items: CharsetItem[]
}

/** `~X`: any one character (or token) except what `X`, a charset, terminal or name, matches. */
export interface Negation extends Adornments {
  type: 'negation'
  expression: Charset | Terminal | Nonterminal
}

/** `!X`: matches nothing, and only where `X` does not follow. */
export interface Lookahead extends Adornments {
  type: 'lookahead'
  expression: Expression
}

/** `^ A B`: once the sequence got here, the rest must match; no backtracking past the cut. */
export interface Cut extends Adornments {
  type: 'cut'
  expression: Expression
}

/** `// text` at the end of a line inside a production. */
export interface Comment extends Adornments {
  type: 'comment'
  text: string
}

/** A line break inside a production; `indent` is the next line's indentation in columns. */
export interface Break extends Adornments {
  type: 'break'
  indent: number
}

/** Every node of a production's expression, told apart by `type`. */
export type Expression =
  | Alternation
  | Sequence
  | Group
  | Optional
  | Repeat
  | RepeatRange
  | RepeatLabelled
  | Nonterminal
  | Terminal
  | Prose
  | Unicode
  | Charset
  | Negation
  | Lookahead
  | Cut
  | Comment
  | Break

/** A character of a set or an end of a range: a literal one in backticks, or `U+XXXX`. */
export interface SetCharacter {
  value: string
  /** The hex digits when written as `U+XXXX`. */
  hex?: string
  span: Span
}

/** One element of a character set. */
export type CharsetItem =
  | { type: 'character'; character: SetCharacter; span: Span }
  | { type: 'range'; from: SetCharacter; to: SetCharacter; span: Span }
  | { type: 'named'; name: string; span: Span }

/** `Name -> Expression`, with the comment lines directly above it. */
export interface Production {
  name: string
  nameSpan: Span
  /** From `@root` or the name to the end of the last line of the expression. */
  span: Span
  expression: Expression
  /** Marked `@root`: a start symbol, reachable by definition. */
  root: boolean
  /** The production's own lines (from the one with its name), for a fingerprint. */
  source: string
  /** Texts of the `//` lines directly above the production (no blank line between), in order. */
  comments: string[]
}

/** A `//` line that stands on its own, not directly above a production. */
export interface StandaloneComment {
  text: string
  span: Span
}

/** A malformed production, at the exact place the parser stopped. */
export interface GrammarError {
  reason: string
  start: Point
  end?: Point
  hint?: string
  ruleId: 'ferrule:malformed-production'
}

/** What `parseGrammar` returns: every well-formed production and every error, in source order. */
export interface GrammarParse {
  productions: Production[]
  errors: GrammarError[]
  comments: StandaloneComment[]
}
