import { tokenize, type Token } from './tokenize.ts'
import type { Expression, GrammarError, GrammarParse, Production, StandaloneComment } from './types.ts'
import { adjacent, after, describe, fail, hintFor, Malformed, peek, peekSameLine, skipToNextProduction, span, spanOf, startsProduction, type State } from './parse-state.ts'
import { parseCharset, parseRange } from './parse-sets.ts'

/**
 * Parses a grammar block in the Rust Reference's notation.
 *
 * 1. Tokenize the block line by line.
 * 2. At each token that starts a line at column 1: a `//` line (kept with the production right
 *    below it, else standalone), or `@root`? Name `->` Expression.
 * 3. On a malformed production, record the error and skip to the next line that starts at column
 *    1, so that one block reports every error. Nothing is thrown for any input.
 */
export function parseGrammar(source: string): GrammarParse {
  const state: State = { tokens: tokenize(source), index: 0, lines: source.split('\n') }
  const productions: Production[] = []
  const errors: GrammarError[] = []
  const comments: StandaloneComment[] = []
  let pending: StandaloneComment[] = []
  const flush = () => {
    comments.push(...pending)
    pending = []
  }
  while (state.index < state.tokens.length) {
    const token = state.tokens[state.index]!
    if (token.blankBefore) flush()
    if (token.kind === 'comment' && token.first) {
      pending.push({ text: token.value, span: { start: token.start, end: token.end } })
      state.index++
      continue
    }
    const startIndex = state.index
    try {
      const production = parseProduction(state)
      production.comments = pending.map((comment) => comment.text)
      pending = []
      productions.push(production)
    } catch (caught) {
      if (!(caught instanceof Malformed)) throw caught
      flush()
      errors.push(caught.error)
      skipToNextProduction(state, startIndex)
    }
  }
  flush()
  return { productions, errors, comments }
}

function parseProduction(state: State): Production {
  const first = peek(state)!
  if (first.start.column !== 1 || !first.first) {
    fail(first, `Expected a production name at the start of a line, found ${describe(first)}`,
      first.first ? 'a production starts at column 1; a continuation line must follow the line before it without a blank line' : 'each production starts on a line of its own')
  }
  const root = first.kind === 'root'
  if (root) state.index++
  const nameToken = peek(state)
  if (!nameToken || nameToken.kind !== 'name') {
    fail(nameToken ?? first, `Expected a production name${root ? ' after `@root`' : ''}, found ${describe(nameToken)}`, 'a name is letters, digits and `_`, starting with a letter or digit')
  }
  state.index++
  const arrow = peek(state)
  if (!arrow || arrow.kind !== 'arrow' || startsProduction(arrow)) {
    fail(arrow && !startsProduction(arrow) ? arrow : after(nameToken), `Expected \`->\` after the production name \`${nameToken.value}\`, found ${describe(arrow && !startsProduction(arrow) ? arrow : undefined)}`,
      `write \`${nameToken.value} -> ...\`; a name alone on a line is not a production`)
  }
  state.index++
  const expression = parseAlternation(state, arrow)
  const closing = peek(state)
  if (closing && !startsProduction(closing)) {
    fail(closing, `Unexpected ${describe(closing)}`, closing.kind === 'rparen' ? 'this `)` closes no `(`' : undefined)
  }
  const last = state.tokens[state.index - 1]!
  const start = first.start
  const end = last.end
  return {
    name: nameToken.value,
    nameSpan: span(nameToken, nameToken),
    span: { start, end },
    expression,
    root,
    source: state.lines.slice(start.line - 1, end.line).join('\n'),
    comments: [],
  }
}

/** `Sequence (| Sequence)*`; `before` is the token whose end is where an empty one is reported. */
function parseAlternation(state: State, before: Token): Expression {
  const alternatives: Expression[] = [parseSequence(state, before)]
  for (;;) {
    const token = peek(state)
    if (!token || token.kind !== 'pipe' || startsProduction(token)) break
    state.index++
    alternatives.push(parseSequence(state, token))
  }
  if (alternatives.length === 1) return alternatives[0]!
  return { type: 'alternation', alternatives, span: spanOf(alternatives) }
}

function parseSequence(state: State, before: Token): Expression {
  const items: Expression[] = []
  for (;;) {
    const token = peek(state)
    if (!token || startsProduction(token)) break
    // A break before `|` or `)` stays with the sequence it ends, as the layout shows it.
    if (token.first && !(items.at(-1)?.type === 'break')) {
      items.push({ type: 'break', indent: token.start.column - 1, span: { start: { line: token.start.line, column: 1 }, end: token.start } })
    }
    if (token.kind === 'pipe' || token.kind === 'rparen') break
    if (token.kind === 'comment') {
      state.index++
      items.push({ type: 'comment', text: token.value, span: span(token, token) })
      continue
    }
    if (token.kind === 'caret') {
      state.index++
      const rest = parseSequence(state, token)
      items.push({ type: 'cut', expression: rest, span: { start: token.start, end: rest.span.end } })
      break
    }
    items.push(parseAdorned(state))
  }
  if (!items.some((item) => item.type !== 'break' && item.type !== 'comment')) {
    const next = peek(state)
    const where = next && !startsProduction(next) ? next : undefined
    fail(where ?? after(state.tokens[state.index - 1] ?? before), `Expected an expression after ${describe(before)}, found ${describe(where)}`,
      before.kind === 'pipe' ? 'each alternative needs at least one item; remove the extra `|`'
        : before.kind === 'lparen' ? 'a group needs at least one item'
          : before.kind === 'caret' ? 'the cut `^` needs the rest of a sequence after it' : undefined)
  }
  if (items.length === 1) return items[0]!
  return { type: 'sequence', items, span: spanOf(items) }
}

/** `!`? Primary Quantifier? Suffix? Footnote? */
function parseAdorned(state: State): Expression {
  const bang = peek(state)!
  if (bang.kind === 'bang') {
    state.index++
    const next = peek(state)
    if (!next || startsProduction(next)) fail(after(bang), `Expected an expression after \`!\`, found ${describe(undefined)}`, 'the lookahead `!` needs the item it looks ahead for, such as !`,`')
    const inner = parseAdorned(state)
    return { type: 'lookahead', expression: inner, span: { start: bang.start, end: inner.span.end } }
  }
  let expression = parseQuantified(state)
  let next = peekSameLine(state)
  if (next?.kind === 'suffix') {
    state.index++
    expression = { ...expression, suffix: next.value, span: { start: expression.span.start, end: next.end } }
    next = peekSameLine(state)
  }
  if (next?.kind === 'footnote' && adjacent(expression.span.end, next.start)) {
    state.index++
    expression = { ...expression, footnote: next.value, span: { start: expression.span.start, end: next.end } }
  }
  return expression
}

function parseQuantified(state: State): Expression {
  const inner = parsePrimary(state)
  const token = peekSameLine(state)
  if (!token || !adjacent(inner.span.end, token.start)) return inner
  let expression: Expression
  if (token.kind === 'question') {
    state.index++
    expression = { type: 'optional', expression: inner, span: { start: inner.span.start, end: token.end } }
  } else if (token.kind === 'star' || token.kind === 'plus') {
    state.index++
    let end = token.end
    const lazy = peekSameLine(state)
    const greedy = !(lazy?.kind === 'question' && adjacent(token.end, lazy.start))
    if (!greedy) {
      state.index++
      end = lazy!.end
    }
    expression = { type: 'repeat', expression: inner, min: token.kind === 'star' ? 0 : 1, greedy, span: { start: inner.span.start, end } }
  } else if (token.kind === 'range') {
    state.index++
    expression = parseRange(token, inner)
  } else {
    return inner
  }
  const again = peekSameLine(state)
  if (again && adjacent(expression.span.end, again.start) && ['question', 'star', 'plus', 'range'].includes(again.kind)) {
    fail(again, `Unexpected second quantifier ${describe(again)}`, 'group the expression to quantify it again, such as (A*)?')
  }
  return expression
}

function parsePrimary(state: State): Expression {
  const token = peek(state)!
  const whole = span(token, token)
  switch (token.kind) {
    case 'name':
      state.index++
      return { type: 'nonterminal', name: token.value, span: whole }
    case 'terminal':
      state.index++
      return { type: 'terminal', value: token.value, span: whole }
    case 'prose':
      state.index++
      return { type: 'prose', text: token.value, span: whole }
    case 'unicode':
      state.index++
      return { type: 'unicode', hex: token.value, value: String.fromCodePoint(Number.parseInt(token.value, 16)), span: whole }
    case 'lbracket':
      return parseCharset(state)
    case 'lparen': {
      state.index++
      const inner = parseAlternation(state, token)
      const close = peek(state)
      if (!close || close.kind !== 'rparen' || startsProduction(close)) {
        fail(close && !startsProduction(close) ? close : after(state.tokens[state.index - 1]!),
          `Expected \`)\` to close the \`(\` at ${token.start.line}:${token.start.column}, found ${describe(close && !startsProduction(close) ? close : undefined)}`,
          'unbalanced parentheses: add the missing `)`')
      }
      state.index++
      return { type: 'group', expression: inner, span: span(token, close) }
    }
    case 'tilde': {
      state.index++
      const next = peek(state)
      if (next && !startsProduction(next) && next.kind === 'lbracket') {
        const set = parseCharset(state)
        return { type: 'negation', expression: set, span: { start: token.start, end: set.span.end } }
      }
      if (next && !startsProduction(next) && (next.kind === 'terminal' || next.kind === 'name')) {
        state.index++
        const inner = next.kind === 'terminal'
          ? { type: 'terminal' as const, value: next.value, span: span(next, next) }
          : { type: 'nonterminal' as const, name: next.value, span: span(next, next) }
        return { type: 'negation', expression: inner, span: span(token, next) }
      }
      return fail(next && !startsProduction(next) ? next : after(token), `Expected a character set, terminal or name after \`~\`, found ${describe(next && !startsProduction(next) ? next : undefined)}`, 'negate one set or terminal, such as ~[`"` LF] or ~`*`')
    }
    case 'error':
      return fail(token, token.reason!, token.hint)
    default:
      return fail(token, `Expected an expression, found ${describe(token)}`, hintFor(token.kind))
  }
}

