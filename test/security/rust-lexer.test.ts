import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { rustCode, type Token, tokenize } from '../../tools/security/sandpit/index.ts'

/** `[kind, text]` of each token. */
function kinds(source: string): [string, string][] {
  return tokenize(source).map((token) => [token.kind, token.text])
}

function only(source: string): Token {
  const tokens = tokenize(source)
  expect(tokens, source).toHaveLength(1)
  return tokens[0]!
}

describe('tokenize: comments', () => {
  test('[heur.tokens.comments] [grammar.LINE_COMMENT] [grammar.OUTER_LINE_DOC] [grammar.INNER_LINE_DOC] line comments, and doc comments by their third character', () => {
    expect(kinds('a // b\n//! inner\n/// outer\n//// four\n// ///')).toEqual([
      ['ident', 'a'],
      ['line-comment', '// b'],
      ['doc-comment', '//! inner'],
      ['doc-comment', '/// outer'],
      ['line-comment', '//// four'],
      ['line-comment', '// ///'],
    ])
    expect(tokenize('/// x').map((t) => t.doc)).toEqual(['outer'])
    expect(tokenize('//! x').map((t) => t.doc)).toEqual(['inner'])
    expect(only('/// doc text').value).toBe(' doc text')
  })

  test('[heur.tokens.comments] [grammar.BLOCK_COMMENT] [grammar.NESTED_BLOCK] block comments nest, and `/**/` and `/***` are not doc comments', () => {
    expect(kinds('/* a /* b /* c */ d */ e */ x')).toEqual([
      ['block-comment', '/* a /* b /* c */ d */ e */'],
      ['ident', 'x'],
    ])
    expect(only('/** doc */').kind).toBe('doc-comment')
    expect(only('/*! inner */').doc).toBe('inner')
    expect(only('/**/').kind).toBe('block-comment')
    expect(only('/*** stars */').kind).toBe('block-comment')
    expect(only('/** outer /* nested */ still */').value).toBe(' outer /* nested */ still ')
  })

  test('[heur.tokens.comments] a block comment left open runs to the end, marked unterminated', () => {
    const token = only('/* open /* nested */ never closed')
    expect(token).toMatchObject({ kind: 'block-comment', unterminated: true })
  })

  test('[heur.tokens.comments] a shebang line, but not an inner attribute', () => {
    expect(kinds('#!/usr/bin/env rustx\nfn')).toEqual([
      ['shebang', '#!/usr/bin/env rustx'],
      ['ident', 'fn'],
    ])
    expect(kinds('#![no_std]')[0]).toEqual(['punct', '#'])
    expect(kinds('#! // c\n[attr]')[0]).toEqual(['punct', '#'])
  })
})

describe('tokenize: strings', () => {
  test('[heur.tokens.strings] [grammar.STRING_LITERAL] [grammar.SIMPLE_ESCAPE] [grammar.UNICODE_ESCAPE] [grammar.LINE_CONTINUATION] escapes are decoded: simple, \\x, \\u{...}, and a line continuation', () => {
    expect(only(String.raw`"a\n\t\\\"\0\x41\u{1F600}\u{00e9}"`).value).toBe('a\n\t\\"\0A😀é')
    expect(only('"one \\\n     two"').value).toBe('one two')
    expect(only('"multi\nline"').value).toBe('multi\nline')
  })

  test('[heur.tokens.strings] an unknown escape or an out-of-range one is malformed; an open string is unterminated', () => {
    expect(only(String.raw`"\q"`)).toMatchObject({ kind: 'string', malformed: true, value: '\\q' })
    expect(only(String.raw`"\xFF"`)).toMatchObject({ malformed: true })
    expect(only(String.raw`"\u{D800}"`)).toMatchObject({ malformed: true })
    expect(only('"never closed')).toMatchObject({ kind: 'string', unterminated: true })
  })

  test('[heur.tokens.raw-strings] [grammar.RAW_STRING_LITERAL] raw strings close on the quote with as many hashes, and keep backslashes', () => {
    expect(only('r"C:\\path\\n"').value).toBe('C:\\path\\n')
    expect(only('r#"say "hi" // not a comment"#').value).toBe('say "hi" // not a comment')
    expect(only('r##"a "# b"##').value).toBe('a "# b')
    expect(kinds('r#"x"# y')).toEqual([
      ['raw-string', 'r#"x"#'],
      ['ident', 'y'],
    ])
    expect(only('r#"open')).toMatchObject({ kind: 'raw-string', unterminated: true })
  })

  test('[heur.tokens.raw-strings] [grammar.RAW_IDENTIFIER] `r#` before an identifier is a raw identifier, and `r` alone an identifier', () => {
    expect(only('r#match')).toMatchObject({ kind: 'ident', value: 'match', raw: true })
    expect(kinds('r + br')).toEqual([
      ['ident', 'r'],
      ['punct', '+'],
      ['ident', 'br'],
    ])
  })

  test('[heur.tokens.byte-strings] [grammar.BYTE_LITERAL] [grammar.BYTE_STRING_LITERAL] [grammar.RAW_BYTE_STRING_LITERAL] [grammar.C_STRING_LITERAL] byte, byte-string, raw byte-string and C string literals', () => {
    expect(only(String.raw`b"\x7f\xff\n"`)).toMatchObject({ kind: 'byte-string', value: '\x7f\xff\n' })
    expect(only(String.raw`b'\xff'`)).toMatchObject({ kind: 'byte', value: '\xff' })
    expect(only('br#"raw "bytes""#')).toMatchObject({ kind: 'raw-byte-string', value: 'raw "bytes"' })
    expect(only('c"hello"')).toMatchObject({ kind: 'c-string', value: 'hello' })
    expect(only('cr#"raw c"#')).toMatchObject({ kind: 'raw-c-string', value: 'raw c' })
    expect(only(String.raw`b"\u{41}"`)).toMatchObject({ malformed: true })
    expect(only('b"é"')).toMatchObject({ malformed: true })
  })
})

describe('tokenize: chars and lifetimes', () => {
  test('[heur.tokens.chars] [grammar.CHAR_LITERAL] char literals: one character, or one escape, between quotes', () => {
    expect(only("'a'")).toMatchObject({ kind: 'char', value: 'a' })
    expect(only(String.raw`'\''`)).toMatchObject({ kind: 'char', value: "'" })
    expect(only(String.raw`'\\'`)).toMatchObject({ kind: 'char', value: '\\' })
    expect(only(String.raw`'\u{1F600}'`)).toMatchObject({ kind: 'char', value: '😀' })
    expect(only("'😀'")).toMatchObject({ kind: 'char', value: '😀' })
    expect(only("'\"'")).toMatchObject({ kind: 'char', value: '"' })
  })

  test('[heur.tokens.lifetimes] [grammar.LIFETIME_OR_LABEL] a quote before a name with no closing quote after one character is a lifetime', () => {
    expect(kinds("fn f<'a>(x: &'a str) -> &'static str")).toContainEqual(['lifetime', "'a"])
    expect(only("'static")).toMatchObject({ kind: 'lifetime', value: 'static' })
    expect(only("'_")).toMatchObject({ kind: 'lifetime', value: '_' })
    expect(only("'r#try")).toMatchObject({ kind: 'lifetime', value: 'try', raw: true })
    // `'a'` is a char, `'ab` a lifetime, `'ab'` a char literal the Rust lexer rejects.
    expect(kinds("'a' 'ab 'ab'")).toEqual([
      ['char', "'a'"],
      ['lifetime', "'ab"],
      ['char', "'ab'"],
    ])
    expect(tokenize("'ab'")[0]!.malformed).toBe(true)
  })

  test('[heur.tokens.lifetimes] a lifetime does not swallow a char literal or string after it', () => {
    expect(kinds("impl<'a> X<'a> { const C: char = 'x'; }")).toEqual([
      ['ident', 'impl'], ['punct', '<'], ['lifetime', "'a"], ['punct', '>'], ['ident', 'X'], ['punct', '<'], ['lifetime', "'a"], ['punct', '>'],
      ['punct', '{'], ['ident', 'const'], ['ident', 'C'], ['punct', ':'], ['ident', 'char'], ['punct', '='], ['char', "'x'"], ['punct', ';'], ['punct', '}'],
    ])
    expect(kinds("'a: loop { break 'a; }")).toContainEqual(['lifetime', "'a"])
  })

  test('[heur.tokens.chars] a raw line break between quotes is a malformed char; a quote alone or before a line break is no char', () => {
    expect(only("'\n'")).toMatchObject({ kind: 'char', malformed: true })
    expect(only("'")).toMatchObject({ kind: 'unknown' })
    expect(kinds("'\nx")).toEqual([
      ['unknown', "'"],
      ['ident', 'x'],
    ])
    expect(only(String.raw`'\n`)).toMatchObject({ kind: 'char', unterminated: true })
  })
})

describe('tokenize: numbers, identifiers, punctuation, positions', () => {
  test('[heur.tokens] [grammar.INTEGER_LITERAL] [grammar.FLOAT_LITERAL] numbers with suffixes and exponents; ranges and method calls on integers stay integers', () => {
    expect(kinds('0xFF_u8 0o17 0b1010 1_000i64 1.5e-3f64 2E10 1..2 1.max(2) 3. x.0.1')).toEqual([
      ['number', '0xFF_u8'], ['number', '0o17'], ['number', '0b1010'], ['number', '1_000i64'], ['number', '1.5e-3f64'], ['number', '2E10'],
      ['number', '1'], ['punct', '..'], ['number', '2'],
      ['number', '1'], ['punct', '.'], ['ident', 'max'], ['punct', '('], ['number', '2'], ['punct', ')'],
      ['number', '3.'], ['ident', 'x'], ['punct', '.'], ['number', '0.1'],
    ])
  })

  test('[heur.tokens] [grammar.PUNCTUATION] [grammar.IDENTIFIER_OR_KEYWORD] punctuation is matched longest first; identifiers may be Unicode', () => {
    expect(kinds('a::b->c=>d..=e>>=f')).toEqual([
      ['ident', 'a'], ['punct', '::'], ['ident', 'b'], ['punct', '->'], ['ident', 'c'], ['punct', '=>'], ['ident', 'd'], ['punct', '..='], ['ident', 'e'], ['punct', '>>='], ['ident', 'f'],
    ])
    expect(only('größe')).toMatchObject({ kind: 'ident', value: 'größe' })
    expect(only('€')).toMatchObject({ kind: 'unknown' })
  })

  test('[heur.tokens] lines and columns are 1-based; a byte-order mark is skipped', () => {
    const tokens = tokenize('\uFEFFfn main() {\n    let x = "a\nb";\n    y\n}')
    const find = (text: string) => tokens.find((token) => token.text === text)!
    expect([find('fn').line, find('fn').column]).toEqual([1, 2])
    expect([find('"a\nb"').line, find('"a\nb"').column]).toEqual([2, 13])
    expect([find('y').line, find('y').column]).toEqual([4, 5])
  })

  test('[heur.tokens] never throws; tokens are in order, their text is the source between their offsets, and only white space lies between them', () => {
    const pieces = fc.constantFrom(
      'fn', 'r', 'b', 'c', 'br', "'", '"', '#', '/', '*', '\\', '\n', ' ', 'a', '1', '.', 'e', 'x', '{', '}', '!', 'é', '😀', '\u200e', '\uFEFF', '\t', '_', 'u', '"#', '/*', '*/', '//',
    )
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const source = parts.join('')
        const tokens = tokenize(source)
        let at = source.startsWith('\uFEFF') ? 1 : 0
        for (const token of tokens) {
          expect(token.start).toBeGreaterThanOrEqual(at)
          expect(token.end).toBeGreaterThan(token.start)
          expect(source.slice(at, token.start)).toMatch(/^\p{Pattern_White_Space}*$/u)
          expect(source.slice(token.start, token.end)).toBe(token.text)
          at = token.end
        }
        expect(source.slice(at)).toMatch(/^\p{Pattern_White_Space}*$/u)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('rustCode', () => {
  test('[heur.tokens.comments] comments leave the code; doc attributes are marked as documentation', () => {
    const rust = rustCode('/// TcpStream\n#[doc = "GITLAB_CI"]\n#![doc = "x"]\nfn f() { let s = "kept"; } // gone')
    expect(rust.code.map((token) => token.text).join(' ')).toBe('# [ doc = "GITLAB_CI" ] # ! [ doc = "x" ] fn f ( ) { let s = "kept" ; }')
    expect([...rust.docStrings].map((index) => rust.code[index]!.value)).toEqual(['GITLAB_CI', 'x'])
  })

  test('[heur.units] items under #[cfg(test)] or #[test] leave the code, with their attributes and bodies', () => {
    const rust = rustCode('fn a() {}\n#[cfg(test)]\n#[allow(dead_code)]\nmod tests { fn b() { "x" } }\n#[test] fn c() {}\n#[cfg(test)] use std::net::TcpStream;\nfn d() {}')
    expect(rust.code.filter((token) => token.kind === 'ident').map((token) => token.value)).toEqual(['fn', 'a', 'fn', 'd'])
  })
})
