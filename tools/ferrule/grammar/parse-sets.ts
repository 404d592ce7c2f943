// Character sets and repetition ranges: the parts of the notation with a small syntax of their own.
import type { Token } from './tokenize.ts'
import type { Charset, CharsetItem, Expression, SetCharacter } from './types.ts'
import { after, describe, fail, peek, span, startsProduction, type State } from './parse-state.ts'

const rangePattern = /^(?:([\p{L}\p{N}_]+):)?(\d*)(\.\.=?)(\d*)$/u
const labelPattern = /^[\p{L}\p{N}_]+$/u

/**
 * `{...}` after `inner`: a range (`2..4`, `..=4`, `n:1..=255`) or a labelled count (`n`). Its
 * inside is one token, read here with a pattern since it has no structure beyond its parts.
 */
export function parseRange(token: Token, inner: Expression): Expression {
  const text = token.value.replace(/\s+/g, '')
  const whole = { start: inner.span.start, end: token.end }
  if (labelPattern.test(text) && !/^\d+$/.test(text)) {
    return { type: 'repeat-labelled', expression: inner, label: text, span: whole }
  }
  const match = rangePattern.exec(text)
  if (!match) {
    fail(token, `Malformed repetition range \`{${token.value}}\``, 'write {2..4}, {2..=4}, {..=4}, {2..}, a labelled {n:1..=255}, or {n} to repeat as often as the range labelled n')
  }
  const [, label, low, dots, high] = match
  const inclusive = dots === '..='
  const min = low ? Number(low) : undefined
  const max = high ? Number(high) : undefined
  if (inclusive && max === undefined) fail(token, `The inclusive range \`{${token.value}}\` has no upper bound`, 'write {2..} for no upper bound, or give one: {2..=4}')
  if (min !== undefined && max !== undefined && max < min) fail(token, `The range \`{${token.value}}\` ends before it starts`, `write the smaller count first: {${max}..${inclusive ? '=' : ''}${min}}`)
  const range: Expression = { type: 'repeat-range', expression: inner, inclusive, span: whole }
  if (min !== undefined) range.min = min
  if (max !== undefined) range.max = max
  if (label) range.label = label
  return range
}

/** `[ ... ]`: characters, ranges of them and named characters, up to the closing `]`. */
export function parseCharset(state: State): Charset {
  const open = state.tokens[state.index++]!
  const items: CharsetItem[] = []
  for (;;) {
    const token = peek(state)
    if (!token || startsProduction(token)) {
      fail(after(state.tokens[state.index - 1]!), `Expected \`]\` to close the character set at ${open.start.line}:${open.start.column}`, 'add the missing `]`')
    }
    if (token.kind === 'rbracket') {
      state.index++
      if (!items.length) fail(open, 'Empty character set', 'list at least one character, range or name, such as [`a`-`z` `_`]')
      return { type: 'charset', items, span: span(open, token) }
    }
    if (token.kind === 'name') {
      state.index++
      items.push({ type: 'named', name: token.value, span: span(token, token) })
      continue
    }
    const from = parseSetCharacter(state, token)
    const dash = peek(state)
    if (dash?.kind === 'dash' && !startsProduction(dash)) {
      state.index++
      const end = peek(state)
      if (!end || startsProduction(end) || (end.kind !== 'terminal' && end.kind !== 'unicode')) {
        fail(end && !startsProduction(end) ? end : after(dash), `Expected the end of the character range after \`-\`, found ${describe(end && !startsProduction(end) ? end : undefined)}`, 'a range is written `a`-`z` or U+0000-U+D7FF')
      }
      const to = parseSetCharacter(state, end)
      if ([...from.value].length !== 1) fail(token, `A character range must start with one character, found \`${from.value}\``, undefined)
      if ([...to.value].length !== 1) fail(end, `A character range must end with one character, found \`${to.value}\``, undefined)
      if (to.value.codePointAt(0)! < from.value.codePointAt(0)!) fail(end, 'The character range ends before it starts', 'write the lower character first')
      items.push({ type: 'range', from, to, span: { start: from.span.start, end: to.span.end } })
    } else {
      items.push({ type: 'character', character: from, span: from.span })
    }
  }
}

function parseSetCharacter(state: State, token: Token): SetCharacter {
  if (token.kind === 'terminal') {
    state.index++
    return { value: token.value, span: span(token, token) }
  }
  if (token.kind === 'unicode') {
    state.index++
    return { value: String.fromCodePoint(Number.parseInt(token.value, 16)), hex: token.value, span: span(token, token) }
  }
  if (token.kind === 'error') fail(token, token.reason!, token.hint)
  return fail(token, `Expected a character, range or name in the character set, found ${describe(token)}`,
    'a set holds terminals in backticks, ranges such as `a`-`z`, U+XXXX and names such as LF')
}

