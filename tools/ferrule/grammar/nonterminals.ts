import type { Expression, Production, Span } from './types.ts'

/**
 * Every use of another production in `production`, in source order: the names in its expression
 * and the named characters of its sets (`[TAB LF]` uses productions `TAB` and `LF`), which the
 * Reference defines like any other. The index checks these against the definitions and links them.
 */
export function productionNonterminals(production: Production): Array<{ name: string; span: Span }> {
  const found: Array<{ name: string; span: Span }> = []
  visit(production.expression, found)
  return found
}

function visit(expression: Expression, found: Array<{ name: string; span: Span }>): void {
  switch (expression.type) {
    case 'nonterminal':
      found.push({ name: expression.name, span: expression.span })
      return
    case 'charset':
      for (const item of expression.items) if (item.type === 'named') found.push({ name: item.name, span: item.span })
      return
    case 'alternation':
      for (const alternative of expression.alternatives) visit(alternative, found)
      return
    case 'sequence':
      for (const item of expression.items) visit(item, found)
      return
    case 'group':
    case 'optional':
    case 'repeat':
    case 'repeat-range':
    case 'repeat-labelled':
    case 'negation':
    case 'lookahead':
    case 'cut':
      visit(expression.expression, found)
      return
    case 'terminal':
    case 'prose':
    case 'unicode':
    case 'comment':
    case 'break':
      return
  }
}
