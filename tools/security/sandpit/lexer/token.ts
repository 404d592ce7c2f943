/** The kinds of token that {@link tokenize} makes, named after the Rust Reference's lexical grammar. */
export type TokenKind =
  /** An identifier or keyword (`fn`, `unsafe`, `TcpStream`); a raw identifier `r#type` too, with `raw` set. */
  | 'ident'
  /** `'a`, `'static`, `'r#a`. */
  | 'lifetime'
  /** `'x'`, `'\n'`, `'\u{1F600}'`. */
  | 'char'
  /** `b'x'`. */
  | 'byte'
  /** `"..."`. */
  | 'string'
  /** `r"..."`, `r#"..."#`. */
  | 'raw-string'
  /** `b"..."`. */
  | 'byte-string'
  /** `br"..."`, `br#"..."#`. */
  | 'raw-byte-string'
  /** `c"..."`. */
  | 'c-string'
  /** `cr"..."`, `cr#"..."#`. */
  | 'raw-c-string'
  /** An integer or float literal with its suffix: `0x7f_u8`, `1.5e-3f64`. */
  | 'number'
  /** Punctuation, longest match: `::`, `->`, `..=`, `#`, `{`. */
  | 'punct'
  /** `// ...` that is not a doc comment. */
  | 'line-comment'
  /** A block comment (nested ones included) that is not a doc comment. */
  | 'block-comment'
  /** `///` and `//!` line comments, and block comments opened by two stars or a star and `!`. */
  | 'doc-comment'
  /** `#!/usr/bin/env ...` on the first line. */
  | 'shebang'
  /** A character that starts no token (`$` outside macros is one; so is a stray `'`). */
  | 'unknown'

/** The literal kinds whose value is text. */
export const STRING_KINDS: ReadonlySet<TokenKind> = new Set(['string', 'raw-string', 'byte-string', 'raw-byte-string', 'c-string', 'raw-c-string'])

/** The comment kinds (which the heuristics never look into). */
export const COMMENT_KINDS: ReadonlySet<TokenKind> = new Set(['line-comment', 'block-comment', 'doc-comment', 'shebang'])

/** One token of Rust source. */
export interface Token {
  kind: TokenKind
  /** The source text of the token, exactly. */
  text: string
  /** Offsets of the token in the source (UTF-16 code units, end exclusive). */
  start: number
  end: number
  /** 1-based line and column (in UTF-16 code units) of its first character. */
  line: number
  column: number
  /**
   * What the token means, where that differs from its text: a literal's content with escapes
   * decoded (byte literals as characters U+0000 to U+00FF), an identifier's name without `r#`, a
   * lifetime's name without `'`, a comment's text without its delimiters.
   */
  value: string
  /** A raw identifier (`r#match`). */
  raw?: true
  /** A doc comment's kind: `outer` (`///`, `/**`) or `inner` (`//!`, `/*!`). */
  doc?: 'outer' | 'inner'
  /** A literal or block comment that runs to the end of the source without being closed. */
  unterminated?: true
  /** A literal the Rust lexer would reject (an unknown escape, an empty or overlong char literal). */
  malformed?: true
}
