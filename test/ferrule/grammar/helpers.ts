import { parseGrammar, type Expression, type Production } from '../../../tools/ferrule/grammar/index.ts'

/** A tree without its positions, so that a test can state the shape it expects in a few lines. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span' && key !== 'nameSpan').map(([key, inner]) => [key, shape(inner)]))
  }
  return value
}

/** The one production of `source`, failing the test when it has errors or several productions. */
export function only(source: string): Production {
  const { productions, errors } = parseGrammar(source)
  if (errors.length) throw new Error(`unexpected errors: ${JSON.stringify(errors)}`)
  if (productions.length !== 1) throw new Error(`expected one production, got ${productions.length}`)
  return productions[0]!
}

/** The shape of the expression of `Name -> <expression>`. */
export function expressionOf(expression: string): unknown {
  return shape(only(`P -> ${expression}`).expression)
}

export const nt = (name: string): Expression => ({ type: 'nonterminal', name }) as Expression
export const t = (value: string): Expression => ({ type: 'terminal', value }) as Expression
