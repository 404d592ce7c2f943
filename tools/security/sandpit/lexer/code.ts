import { COMMENT_KINDS, STRING_KINDS, type Token } from './token.ts'
import { tokenize } from './tokenize.ts'

/** A Rust source file as the heuristics read it: its code tokens, without comments or test-only items. */
export interface RustCode {
  /** Every token, comments included. */
  tokens: Token[]
  /** The tokens outside comments, `#[cfg(test)]` and `#[test]` items. */
  code: Token[]
  /** Indexes into `code` of string literals that are the value of a `doc` attribute (`#[doc = "..."]`), which are documentation. */
  docStrings: ReadonlySet<number>
}

/**
 * Tokenize `text` and keep what the crate's users compile: comments go, and so do items under
 * `#[cfg(test)]` or `#[test]` (built only for the crate's own tests, never for a crate that depends
 * on it).
 */
export function rustCode(text: string): RustCode {
  const tokens = tokenize(text)
  const significant = tokens.filter((token) => !COMMENT_KINDS.has(token.kind))
  const code: Token[] = []
  for (let index = 0; index < significant.length; ) {
    const end = testItemEnd(significant, index)
    if (end !== undefined) index = end
    else code.push(significant[index++]!)
  }
  const docStrings = new Set<number>()
  for (let index = 0; index + 4 < code.length; index++) {
    // `#` `!`? `[` `doc` `=` "..." `]`
    if (!isPunct(code[index], '#')) continue
    const open = isPunct(code[index + 1], '!') ? index + 2 : index + 1
    if (isPunct(code[open], '[') && isIdent(code[open + 1], 'doc') && isPunct(code[open + 2], '=') && STRING_KINDS.has(code[open + 3]?.kind ?? 'unknown')) {
      docStrings.add(open + 3)
    }
  }
  return { tokens, code, docStrings }
}

/** When `tokens[index]` opens `#[cfg(test)]` or `#[test]`: the index past the item it is on. */
function testItemEnd(tokens: readonly Token[], index: number): number | undefined {
  if (!isPunct(tokens[index], '#') || !isPunct(tokens[index + 1], '[')) return undefined
  const close = matching(tokens, index + 1)
  const inside = tokens.slice(index + 2, close).map((token) => token.text).join(' ')
  if (inside !== 'test' && inside !== 'cfg ( test )') return undefined
  // Other attributes may follow before the item.
  let at = close + 1
  while (isPunct(tokens[at], '#') && isPunct(tokens[at + 1], '[')) at = matching(tokens, at + 1) + 1
  // The item ends at its first `;` outside brackets, or with the block its first `{` opens.
  for (; at < tokens.length; at++) {
    const token = tokens[at]!
    if (isPunct(token, ';')) return at + 1
    if (isPunct(token, '{')) return matching(tokens, at) + 1
    if (isPunct(token, '(') || isPunct(token, '[')) at = matching(tokens, at)
  }
  return tokens.length
}

const closers: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' }

/** The index of the bracket that closes the one at `open` (or the last index, when none does). */
export function matching(tokens: readonly Token[], open: number): number {
  const opener = tokens[open]!.text
  const closer = closers[opener]
  if (closer === undefined) throw new Error(`Ferrule bug: matching() called on \`${opener}\`, not an opening bracket`)
  let depth = 0
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index]!
    if (token.kind !== 'punct') continue
    if (token.text in closers) depth++
    else if (token.text === ')' || token.text === ']' || token.text === '}') {
      depth--
      if (depth === 0) return index
    }
  }
  return tokens.length - 1
}

/** The arguments between the `(` at `open` and its `)`, split at top-level commas. */
export function argumentsAt(tokens: readonly Token[], open: number): Token[][] {
  const close = matching(tokens, open)
  const args: Token[][] = [[]]
  for (let index = open + 1; index < close; index++) {
    const token = tokens[index]!
    if (token.kind === 'punct' && token.text in closers) {
      const end = matching(tokens, index)
      args.at(-1)!.push(...tokens.slice(index, end + 1))
      index = end
    } else if (isPunct(token, ',')) args.push([])
    else args.at(-1)!.push(token)
  }
  return args.filter((arg) => arg.length > 0)
}

/** Whether `token` is the punctuation `text`. */
export function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text
}

/** Whether `token` is the identifier (or keyword) `name`. */
export function isIdent(token: Token | undefined, name: string): boolean {
  return token?.kind === 'ident' && token.value === name
}

/** Whether `tokens` at `index` spell the path `names` joined by `::` (`Command::new`). */
export function isPath(tokens: readonly Token[], index: number, names: readonly string[]): boolean {
  for (let part = 0; part < names.length; part++) {
    if (!isIdent(tokens[index + part * 2], names[part]!)) return false
    if (part + 1 < names.length && !isPunct(tokens[index + part * 2 + 1], '::')) return false
  }
  return true
}

/**
 * The values that names are bound to, for following a value back to where it came from: each name
 * in the pattern of a `let` (`let x`, `let mut x: T`, `let Some(x)`, `if let Ok(x)`), a `const` or
 * a `static` is bound to the initializer's tokens, and each name in the pattern of a `match` arm to
 * the matched expression. Every binding of a name is kept: the analysis is per file, not per scope,
 * and errs towards seeing more sources.
 */
export function bindings(tokens: readonly Token[]): Map<string, Token[][]> {
  const found = new Map<string, Token[][]>()
  const bind = (pattern: readonly Token[], value: Token[]) => {
    for (const token of pattern) {
      // Lower-case names are bindings; `Some`, `Ok` and paths to variants are not.
      if (token.kind !== 'ident' || !/^[a-z_]/.test(token.value) || ['_', 'mut', 'ref', 'box'].includes(token.value)) continue
      const list = found.get(token.value)
      if (list) list.push(value)
      else found.set(token.value, [value])
    }
  }
  for (let index = 0; index < tokens.length; index++) {
    const keyword = tokens[index]!
    if (isIdent(keyword, 'match')) {
      matchArms(tokens, index, bind)
      continue
    }
    if (!(isIdent(keyword, 'let') || isIdent(keyword, 'const') || isIdent(keyword, 'static'))) continue
    // The pattern, up to `=` or `:` (then the type, skipped), or a `;` (a binding without a value).
    const pattern: Token[] = []
    let at = index + 1
    while (at < tokens.length && !isPunct(tokens[at], '=') && !isPunct(tokens[at], ':') && !isPunct(tokens[at], ';')) {
      const token = tokens[at]!
      if (token.kind === 'punct' && token.text in closers) {
        const close = matching(tokens, at)
        pattern.push(...tokens.slice(at, close + 1))
        at = close + 1
      } else {
        pattern.push(token)
        at++
      }
    }
    while (at < tokens.length && !isPunct(tokens[at], '=') && !isPunct(tokens[at], ';')) {
      const token = tokens[at]!
      at = token.kind === 'punct' && token.text in closers ? matching(tokens, at) + 1 : at + 1
    }
    if (!isPunct(tokens[at], '=')) continue
    bind(keyword.value === 'let' ? pattern : pattern.slice(0, 1), expressionAt(tokens, at + 1, [';']))
  }
  return found
}

/** The tokens of an expression from `start` up to one of `stops` outside brackets, or the end of its block. */
function expressionAt(tokens: readonly Token[], start: number, stops: readonly string[]): Token[] {
  const value: Token[] = []
  for (let end = start; end < tokens.length; end++) {
    const token = tokens[end]!
    if (token.kind === 'punct' && stops.includes(token.text)) break
    if (token.kind === 'punct' && token.text in closers) {
      const close = matching(tokens, end)
      value.push(...tokens.slice(end, close + 1))
      end = close
    } else if (isPunct(token, '}') || isPunct(token, ')') || isPunct(token, ']')) break
    else value.push(token)
  }
  return value
}

/** `match EXPR { PATTERN => ..., }` at `index`: binds each arm's pattern to EXPR. */
function matchArms(tokens: readonly Token[], index: number, bind: (pattern: readonly Token[], value: Token[]) => void): void {
  // The scrutinee runs to the `{` that opens the arms (a struct literal cannot stand there).
  let open = index + 1
  const scrutinee: Token[] = []
  while (open < tokens.length && !isPunct(tokens[open], '{')) {
    const token = tokens[open]!
    if (token.kind === 'punct' && token.text in closers) {
      const close = matching(tokens, open)
      scrutinee.push(...tokens.slice(open, close + 1))
      open = close + 1
    } else {
      scrutinee.push(token)
      open++
    }
  }
  if (open >= tokens.length) return
  const close = matching(tokens, open)
  let armStart = open + 1
  for (let at = open + 1; at < close; at++) {
    const token = tokens[at]!
    if (isPunct(token, '=>')) {
      // The pattern ends at `if` (a guard) or `=>`.
      const arm = tokens.slice(armStart, at)
      const guard = arm.findIndex((candidate) => isIdent(candidate, 'if'))
      bind(guard === -1 ? arm : arm.slice(0, guard), scrutinee)
      // Skip the arm's body: a block, or an expression up to the `,` that ends it.
      let end = at + 1
      if (isPunct(tokens[end], '{')) end = matching(tokens, end) + 1
      else end += expressionAt(tokens, end, [',']).length
      if (isPunct(tokens[end], ',')) end++
      armStart = end
      at = end - 1
    } else if (token.kind === 'punct' && token.text in closers) at = matching(tokens, at)
  }
}

/** `tokens` with the initializers of the bindings they name appended, followed `depth` levels deep. */
export function expand(tokens: readonly Token[], bound: ReadonlyMap<string, Token[][]>, depth = 4): Token[] {
  const result = [...tokens]
  const seen = new Set<string>()
  let frontier: readonly Token[] = tokens
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: Token[] = []
    for (const token of frontier) {
      if (token.kind !== 'ident' || seen.has(token.value)) continue
      seen.add(token.value)
      for (const value of bound.get(token.value) ?? []) next.push(...value)
    }
    result.push(...next)
    frontier = next
  }
  return result
}

/** The names of environment variables that `tokens` read: `var("X")`, `var_os("X")`, `env!("X")`, `option_env!("X")`. */
export function environmentReads(tokens: readonly Token[]): string[] {
  const names: string[] = []
  for (let index = 0; index + 2 < tokens.length; index++) {
    const token = tokens[index]!
    if (token.kind !== 'ident') continue
    const macro = (token.value === 'env' || token.value === 'option_env') && isPunct(tokens[index + 1], '!')
    const call = token.value === 'var' || token.value === 'var_os'
    const open = macro ? index + 2 : index + 1
    if ((macro || call) && isPunct(tokens[open], '(') && STRING_KINDS.has(tokens[open + 1]?.kind ?? 'unknown')) names.push(tokens[open + 1]!.value)
  }
  return names
}
