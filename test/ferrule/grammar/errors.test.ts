import { describe, expect, test } from 'vitest'
import { parseGrammar } from '../../../tools/ferrule/grammar/index.ts'
import { mark } from '../../helpers/mark.ts'

/** Parses `marked`, whose `‸` stands where the one error must start, and returns that error. */
function errorAt(marked: string) {
  const { text, places } = mark(marked)
  const { errors } = parseGrammar(text)
  expect(errors).toHaveLength(1)
  const [error] = errors
  expect(error!.start).toEqual(places[0])
  expect(error!.ruleId).toBe('ferrule:malformed-production')
  return error!
}

describe('parseGrammar: malformed productions, each at its exact place with a hint', () => {
  test('an unclosed backtick', () => {
    const error = errorAt('A -> B ‸`fn C\n')
    expect(error.reason).toMatch(/Unclosed terminal/)
    expect(error.end).toEqual({ line: 1, column: 13 })
    expect(error.hint).toMatch(/U\+0060/)
  })

  test('a missing ->', () => {
    const error = errorAt('Item ‸Function\n')
    expect(error.reason).toBe('Expected `->` after the production name `Item`, found name `Function`')
    expect(error.hint).toMatch(/Item -> \.\.\./)
  })

  test('a name alone on its line is missing its -> at the end of the name', () => {
    const error = errorAt('Item‸\nNext -> A\n')
    expect(error.reason).toBe('Expected `->` after the production name `Item`, found the end of the production')
  })

  test('an unclosed parenthesis, reported where the `)` should be, naming the `(`', () => {
    const error = errorAt('A -> (B C‸\nD -> E\n')
    expect(error.reason).toBe('Expected `)` to close the `(` at 1:6, found the end of the production')
    expect(error.hint).toMatch(/unbalanced parentheses/)
  })

  test('a `)` that closes nothing', () => {
    const error = errorAt('A -> B ‸) C\n')
    expect(error.reason).toBe('Unexpected `)`')
    expect(error.hint).toMatch(/closes no `\(`/)
  })

  test('an empty alternative', () => {
    const error = errorAt('A -> B | ‸| C\n')
    expect(error.reason).toMatch(/Expected an expression after `\|`/)
    expect(error.hint).toMatch(/extra `\|`/)
  })

  test('an arrow with nothing after it', () => {
    const error = errorAt('A ->‸\n')
    expect(error.reason).toMatch(/Expected an expression after `->`, found the end of the production/)
  })

  test('a lookahead `!` with nothing after it (it threw, found by the no-throw property)', () => {
    expect(errorAt('A->!‸').reason).toBe('Expected an expression after `!`, found the end of the production')
    expect(errorAt('A -> x !‸\nB -> y\n').hint).toMatch(/the item it looks ahead for/)
  })

  test('an unclosed character set, and an empty one', () => {
    expect(errorAt('A -> [`a` `b`‸\n').reason).toMatch(/Expected `]` to close the character set at 1:6/)
    expect(errorAt('A -> ‸[]\n').reason).toBe('Empty character set')
  })

  test('a character range with a multi-character end, or backwards', () => {
    expect(errorAt('A -> [`a`-‸`zz`]\n').reason).toMatch(/must end with one character/)
    expect(errorAt('A -> [`z`-‸`a`]\n').reason).toBe('The character range ends before it starts')
  })

  test('malformed repetition ranges', () => {
    expect(errorAt('A -> B‸{2-4}\n').hint).toMatch(/\{2\.\.4\}/)
    expect(errorAt('A -> B‸{2..=}\n').reason).toMatch(/no upper bound/)
    const backwards = errorAt('A -> B‸{4..2}\n')
    expect(backwards.reason).toMatch(/ends before it starts/)
    expect(backwards.hint).toBe('write the smaller count first: {2..4}')
    expect(errorAt('A -> B‸{2..4\n').reason).toMatch(/Unclosed repetition range/)
  })

  test('a second quantifier needs a group', () => {
    expect(errorAt('A -> B?‸*\n').hint).toMatch(/\(A\*\)\?/)
  })

  test('a quantifier after a space', () => {
    expect(errorAt('A -> B ‸*\n').hint).toMatch(/without a space/)
  })

  test('bad U+ characters', () => {
    expect(errorAt('A -> ‸U+00a\n').reason).toMatch(/4 to 6 upper-case hexadecimal digits/)
    expect(errorAt('A -> ‸U+110000\n').reason).toMatch(/beyond the last Unicode code point/)
  })

  test('unclosed prose and an unclosed suffix', () => {
    expect(errorAt('A -> ‸<any char\n').reason).toMatch(/Unclosed prose/)
    expect(errorAt('A -> B ‸_except C\n').reason).toMatch(/Unclosed suffix/)
  })

  test('~ before something it cannot negate', () => {
    expect(errorAt('A -> ~‸(B)\n').reason).toMatch(/Expected a character set, terminal or name after `~`/)
  })

  test('a cut with nothing after it', () => {
    expect(errorAt('A -> B ^‸\n').hint).toMatch(/rest of a sequence/)
  })

  test('an indented line after a blank line is not a continuation', () => {
    const error = errorAt('A -> B\n\n    ‸C\n')
    expect(error.hint).toMatch(/without a blank line/)
  })

  test('a character that has no meaning outside backticks', () => {
    const error = errorAt('A -> B ‸; C\n')
    expect(error.reason).toBe('Unexpected character `;`')
    expect(error.hint).toMatch(/`;`/)
  })

  test('@root without a name', () => {
    expect(errorAt('@root ‸-> A\n').reason).toMatch(/Expected a production name after `@root`/)
  })

  test('one block reports every error, recovering at the next production, and keeps the good ones', () => {
    const { text, places } = mark(['A -> ‸`x', 'B -> C', 'D ‸E', '    F', 'G -> (H‸', '', 'I -> J', ''].join('\n'))
    const { productions, errors } = parseGrammar(text)
    expect(errors.map((error) => error.start)).toEqual(places)
    expect(productions.map((production) => production.name)).toEqual(['B', 'I'])
  })
})
