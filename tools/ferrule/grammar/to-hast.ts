import type { Element, ElementContent, Properties } from 'hast'
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
  for (const text of production.comments) children.push(element('span', ['grammar-comment'], `//${text}`), element('br'))
  children.push(element('span', ['grammar-production-name'], production.name), text(' '), operator('→', 'grammar-arrow'))
  const body = expression(options, production.expression)
  if (!startsWithBreak(production.expression)) children.push(text(' '))
  children.push(...body)
  return element('div', ['grammar-production'], children, production.root ? { id: `grammar-${production.name}`, dataRoot: '' } : { id: `grammar-${production.name}` })
}

function expression(options: RenderOptions, node: Expression): ElementContent[] {
  const out = bare(options, node)
  if (node.suffix !== undefined) out.push(text(' '), element('sub', ['grammar-suffix'], node.suffix))
  if (node.footnote !== undefined) out.push(element('sup', ['grammar-footnote'], node.footnote, { dataFootnote: node.footnote }))
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
      return [...expression(options, node.expression), element('sup', ['grammar-operator', 'grammar-range'], range)]
    }
    case 'repeat-labelled':
      return [...expression(options, node.expression), element('sup', ['grammar-operator', 'grammar-range'], node.label)]
    case 'nonterminal':
      return [nonterminal(options, node.name)]
    case 'terminal':
      return [element('span', ['grammar-terminal'], node.value)]
    case 'prose':
      return [element('span', ['grammar-prose'], `<${node.text}>`)]
    case 'unicode':
      return [element('span', ['grammar-unicode'], `U+${node.hex}`)]
    case 'charset':
      return [operator('['), ...node.items.flatMap((item, index) => [...(index ? [text(' ')] : []), ...charsetItem(options, item)]), operator(']')]
    case 'negation':
      return [operator('~'), ...expression(options, node.expression)]
    case 'lookahead':
      return [operator('!'), ...expression(options, node.expression)]
    case 'cut':
      return [operator('^'), text(' '), ...expression(options, node.expression)]
    case 'comment':
      return [element('span', ['grammar-comment'], `//${node.text}`)]
    case 'break':
      // Indentation as no-break spaces: the theme need not set `white-space` for the layout to hold.
      return [element('br'), element('span', ['grammar-indent'], '\u00a0'.repeat(Math.max(1, node.indent)))]
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
  return char.hex !== undefined ? element('span', ['grammar-unicode'], `U+${char.hex}`) : element('span', ['grammar-terminal'], char.value)
}

function nonterminal(options: RenderOptions, name: string): Element {
  const href = options.href(name)
  if (href === undefined) return element('span', ['grammar-nonterminal', 'grammar-undefined'], name, { title: `${name} is not defined` })
  return element('a', ['grammar-nonterminal'], name, { href })
}

function operator(value: string, extra?: string): Element {
  return element('span', extra ? ['grammar-operator', extra] : ['grammar-operator'], value)
}

/**
 * The element `<tag class="...classes">` holding `content` (text, or elements), with `properties`
 * besides the class, in hast's names (`dataRoot` for `data-root`). Written out rather than made
 * with hastscript's `h`, which reads a selector and normalises every property: a grammar of a
 * thousand productions is some 40,000 elements, and `h` took most of the time of its text.
 */
function element(tag: string, classes?: string[], content: string | ElementContent[] = [], properties: Properties = {}): Element {
  return {
    type: 'element',
    tagName: tag,
    properties: classes ? { className: classes, ...properties } : properties,
    children: typeof content === 'string' ? [text(content)] : content,
  }
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
