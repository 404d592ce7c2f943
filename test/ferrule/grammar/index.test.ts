import { expect, test } from 'vitest'
import * as grammar from '../../../tools/ferrule/grammar/index.ts'

test('the grammar module exports its parser, its renderers and its printer, nothing else', () => {
  expect(Object.keys(grammar).sort()).toEqual(['expressionToGrammar', 'parseGrammar', 'productionNonterminals', 'productionToGrammar', 'productionToHtml', 'productionToSvg'])
})

test('parseGrammar returns productions, errors and standalone comments', () => {
  const result = grammar.parseGrammar('// note\n\n@root A -> B\nB -> `b`\nC D\n')
  expect(result.productions.map((production) => [production.name, production.root])).toEqual([['A', true], ['B', false]])
  expect(result.errors.map((error) => [error.ruleId, error.start.line, error.start.column])).toEqual([['ferrule:malformed-production', 5, 3]])
  expect(result.comments.map((comment) => comment.text)).toEqual([' note'])
})
