/**
 * The grammar notation of the Rust Reference: parse a ` ```grammar ` block, list the nonterminals
 * its productions use, and render a production as linked text and as a railroad diagram.
 */
export type * from './types.ts'
export { parseGrammar } from './parse.ts'
export { productionNonterminals } from './nonterminals.ts'
export { productionToGrammar, expressionToGrammar } from './print.ts'
export { productionToHtml, type RenderOptions } from './to-html.ts'
export { productionToSvg } from './to-svg.ts'
