import type { Element, ElementContent } from 'hast'
import { h } from 'hastscript'
import type { CharsetItem, Expression, Production, SetCharacter } from './types.ts'

/** How rendering finds where a production is defined. */
export interface RenderOptions {
  /** The URL of the production `name` (`#grammar-Name`, `../lexing.html#grammar-Name`), or `undefined` when no chapter defines it. */
  href(name: string): string | undefined
}

/**
 * A production as the Reference shows it in text: its name, `→`, and its expression laid out on the
 * lines of its source, every nonterminal a link to its definition (or marked `grammar-undefined`),
 * each kind of item in a class of its own for the theme to style. The element has the id
 * `grammar-NAME` that links to the production point at.
 */
export function productionToHast(production: Production, options: RenderOptions): Element {
  const children: ElementContent[] = []
  for (const text of production.comments) children.push(h('span.grammar-comment', `//${text}`), h('br'))
  children.push(h('span.grammar-production-name', production.name), text(' '), operator('→', 'grammar-arrow'))
  const body = expression(options, production.expression)
  if (!startsWithBreak(production.expression)) children.push(text(' '))
  children.push(...body)
  return h('div.grammar-production', { id: `grammar-${production.name}`, dataRoot: production.root ? '' : undefined }, children)
}

function expression(options: RenderOptions, node: Expression): ElementContent[] {
  const out = bare(options, node)
  if (node.suffix !== undefined) out.push(text(' '), h('sub.grammar-suffix', node.suffix))
  if (node.footnote !== undefined) out.push(h('sup.grammar-footnote', { dataFootnote: node.footnote }, node.footnote))
  return out
}

function bare(options: RenderOptions, node: Expression): ElementContent[] {
  switch (node.type) {
    case 'alternation':
      return node.alternatives.flatMap((alternative, index) => {
        if (index === 0) return expression(options, alternative)
        const previousBreaks = endsWithBreak(node.alternatives[index - 1]!)
        return [...(previousBreaks ? [] : [text(' ')]), operator('|'), text(' '), ...expression(options, alternative)]
      })
    case 'sequence':
      return node.items.flatMap((item, index) => {
        const previous = node.items[index - 1]
        const gap = index === 0 || item.type === 'break' || previous?.type === 'break' ? [] : [text(' ')]
        return [...gap, ...expression(options, item)]
      })
    case 'group':
      return [operator('('), ...expression(options, node.expression), operator(')')]
    case 'optional':
      return [...expression(options, node.expression), operator('?')]
    case 'repeat':
      return [...expression(options, node.expression), operator((node.min === 0 ? '*' : '+') + (node.greedy ? '' : '?'))]
    case 'repeat-range': {
      const range = `${node.label ? node.label + ':' : ''}${node.min ?? ''}..${node.inclusive ? '=' : ''}${node.max ?? ''}`
      return [...expression(options, node.expression), h('sup', { className: ['grammar-operator', 'grammar-range'] }, range)]
    }
    case 'repeat-labelled':
      return [...expression(options, node.expression), h('sup', { className: ['grammar-operator', 'grammar-range'] }, node.label)]
    case 'nonterminal':
      return [nonterminal(options, node.name)]
    case 'terminal':
      return [h('span.grammar-terminal', node.value)]
    case 'prose':
      return [h('span.grammar-prose', `<${node.text}>`)]
    case 'unicode':
      return [h('span.grammar-unicode', `U+${node.hex}`)]
    case 'charset':
      return [operator('['), ...node.items.flatMap((item, index) => [...(index ? [text(' ')] : []), ...charsetItem(options, item)]), operator(']')]
    case 'negation':
      return [operator('~'), ...expression(options, node.expression)]
    case 'lookahead':
      return [operator('!'), ...expression(options, node.expression)]
    case 'cut':
      return [operator('^'), text(' '), ...expression(options, node.expression)]
    case 'comment':
      return [h('span.grammar-comment', `//${node.text}`)]
    case 'break':
      // Indentation as no-break spaces: the theme need not set `white-space` for the layout to hold.
      return [h('br'), h('span.grammar-indent', '\u00a0'.repeat(Math.max(1, node.indent)))]
  }
}

function charsetItem(options: RenderOptions, item: CharsetItem): ElementContent[] {
  switch (item.type) {
    case 'named':
      return [nonterminal(options, item.name)]
    case 'character':
      return [character(item.character)]
    case 'range':
      return [character(item.from), operator('-'), character(item.to)]
  }
}

function character(char: SetCharacter): Element {
  return char.hex !== undefined ? h('span.grammar-unicode', `U+${char.hex}`) : h('span.grammar-terminal', char.value)
}

function nonterminal(options: RenderOptions, name: string): Element {
  const href = options.href(name)
  if (href === undefined) return h('span', { className: ['grammar-nonterminal', 'grammar-undefined'], title: `${name} is not defined` }, name)
  return h('a.grammar-nonterminal', { href }, name)
}

function operator(value: string, extra?: string): Element {
  return h('span', { className: extra ? ['grammar-operator', extra] : ['grammar-operator'] }, value)
}

function text(value: string): ElementContent {
  return { type: 'text', value }
}

function startsWithBreak(node: Expression): boolean {
  if (node.type === 'break') return true
  if (node.type === 'sequence') return node.items[0]?.type === 'break'
  if (node.type === 'alternation') return startsWithBreak(node.alternatives[0]!)
  return false
}

function endsWithBreak(node: Expression): boolean {
  return node.type === 'sequence' && node.items.at(-1)?.type === 'break'
}
