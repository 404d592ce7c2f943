import type { CharsetItem, Expression, Production, SetCharacter } from './types.ts'

/**
 * A production back in the notation, laid out by its breaks, so that `parseGrammar` of the result
 * gives the same tree (without positions). Used to normalise a production for comparison, and by
 * the tests to check that parsing and printing agree.
 */
export function productionToGrammar(production: Production): string {
  const comments = production.comments.map((text) => `//${text}\n`).join('')
  return `${comments}${production.root ? '@root ' : ''}${production.name} ->${leadingSpace(production.expression)}${expressionToGrammar(production.expression)}`
}

/** An expression in the notation; a break is a line feed and its indentation. */
export function expressionToGrammar(expression: Expression): string {
  return adorn(expression, bare(expression))
}

function bare(expression: Expression): string {
  switch (expression.type) {
    case 'alternation':
      return expression.alternatives
        .map((alternative, index) => (index === 0 ? '' : endsWithBreak(expression.alternatives[index - 1]!) ? '| ' : ' | ') + expressionToGrammar(alternative))
        .join('')
    case 'sequence':
      return expression.items
        .map((item, index) => {
          const previous = expression.items[index - 1]
          const gap = index === 0 || item.type === 'break' || previous?.type === 'break' ? '' : ' '
          return gap + expressionToGrammar(item)
        })
        .join('')
    case 'group':
      return `(${expressionToGrammar(expression.expression)})`
    case 'optional':
      return `${expressionToGrammar(expression.expression)}?`
    case 'repeat':
      return `${expressionToGrammar(expression.expression)}${expression.min === 0 ? '*' : '+'}${expression.greedy ? '' : '?'}`
    case 'repeat-range':
      return `${expressionToGrammar(expression.expression)}{${expression.label ? expression.label + ':' : ''}${expression.min ?? ''}..${expression.inclusive ? '=' : ''}${expression.max ?? ''}}`
    case 'repeat-labelled':
      return `${expressionToGrammar(expression.expression)}{${expression.label}}`
    case 'nonterminal':
      return expression.name
    case 'terminal':
      return `\`${expression.value}\``
    case 'prose':
      return `<${expression.text}>`
    case 'unicode':
      return `U+${expression.hex}`
    case 'charset':
      return `[${expression.items.map(charsetItemToGrammar).join(' ')}]`
    case 'negation':
      return `~${expressionToGrammar(expression.expression)}`
    case 'lookahead':
      return `!${expressionToGrammar(expression.expression)}`
    case 'cut':
      return `^ ${expressionToGrammar(expression.expression)}`
    case 'comment':
      return `//${expression.text}`
    case 'break':
      return '\n' + ' '.repeat(Math.max(1, expression.indent))
  }
}

function adorn(expression: Expression, text: string): string {
  return text + (expression.suffix !== undefined ? ` _${expression.suffix}_` : '') + (expression.footnote !== undefined ? `[^${expression.footnote}]` : '')
}

function charsetItemToGrammar(item: CharsetItem): string {
  switch (item.type) {
    case 'named':
      return item.name
    case 'character':
      return character(item.character)
    case 'range':
      return `${character(item.from)}-${character(item.to)}`
  }
}

function character(char: SetCharacter): string {
  return char.hex !== undefined ? `U+${char.hex}` : `\`${char.value}\``
}

function endsWithBreak(expression: Expression): boolean {
  return expression.type === 'sequence' && expression.items.at(-1)?.type === 'break'
}

function leadingSpace(expression: Expression): string {
  const first = expression.type === 'sequence' ? expression.items[0] : expression.type === 'alternation' ? firstOf(expression.alternatives[0]!) : expression
  return first?.type === 'break' ? '' : ' '
}

function firstOf(expression: Expression): Expression | undefined {
  return expression.type === 'sequence' ? expression.items[0] : expression
}
