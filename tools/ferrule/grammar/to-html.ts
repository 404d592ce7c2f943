import { stringifyEntities } from 'stringify-entities'
import type { CharsetItem, Expression, Production, SetCharacter } from './types.ts'

/** How rendering finds where a production is defined. */
export interface RenderOptions {
  /** The URL of the production `name` (`#grammar-Name`, `../lexing.html#grammar-Name`), or `undefined` when no chapter defines it. */
  href(name: string): string | undefined
}

/**
 * A production as the Reference shows it in text, as HTML: its name, `→`, and its expression laid
 * out on the lines of its source, every nonterminal a link to its definition (or marked
 * `grammar-undefined`), each kind of item in a class of its own for the theme to style. The element
 * has the id `grammar-NAME` that links to the production point at.
 *
 * Written as text, escaped as hast-util-to-html escapes (the same bytes as serialising the same
 * elements with it): a grammar of a thousand productions is some 40,000 elements, and making and
 * serialising them as hast took a tenth of a large book's render.
 */
export function productionToHtml(production: Production, options: RenderOptions): string {
  const children: string[] = []
  for (const text of production.comments) children.push(element('span', 'grammar-comment', escape(`//${text}`)), '<br>')
  children.push(element('span', 'grammar-production-name', escape(production.name)), ' ', operator('→', 'grammar-arrow'))
  const body = expression(options, production.expression)
  if (!startsWithBreak(production.expression)) children.push(' ')
  children.push(...body)
  const id = ` id="${escapeAttribute(`grammar-${production.name}`)}"${production.root ? ' data-root=""' : ''}`
  return element('div', 'grammar-production', children.join(''), id)
}

function expression(options: RenderOptions, node: Expression): string[] {
  const out = bare(options, node)
  if (node.suffix !== undefined) out.push(' ', element('sub', 'grammar-suffix', escape(node.suffix)))
  if (node.footnote !== undefined) out.push(element('sup', 'grammar-footnote', escape(node.footnote), ` data-footnote="${escapeAttribute(node.footnote)}"`))
  return out
}

function bare(options: RenderOptions, node: Expression): string[] {
  switch (node.type) {
    case 'alternation':
      return node.alternatives.flatMap((alternative, index) => {
        if (index === 0) return expression(options, alternative)
        const previousBreaks = endsWithBreak(node.alternatives[index - 1]!)
        return [...(previousBreaks ? [] : [' ']), operator('|'), ' ', ...expression(options, alternative)]
      })
    case 'sequence':
      return node.items.flatMap((item, index) => {
        const previous = node.items[index - 1]
        const gap = index === 0 || item.type === 'break' || previous?.type === 'break' ? [] : [' ']
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
      return [...expression(options, node.expression), element('sup', 'grammar-operator grammar-range', escape(range))]
    }
    case 'repeat-labelled':
      return [...expression(options, node.expression), element('sup', 'grammar-operator grammar-range', escape(node.label))]
    case 'nonterminal':
      return [nonterminal(options, node.name)]
    case 'terminal':
      return [element('span', 'grammar-terminal', escape(node.value))]
    case 'prose':
      return [element('span', 'grammar-prose', escape(`<${node.text}>`))]
    case 'unicode':
      return [element('span', 'grammar-unicode', escape(`U+${node.hex}`))]
    case 'charset':
      return [operator('['), ...node.items.flatMap((item, index) => [...(index ? [' '] : []), ...charsetItem(options, item)]), operator(']')]
    case 'negation':
      return [operator('~'), ...expression(options, node.expression)]
    case 'lookahead':
      return [operator('!'), ...expression(options, node.expression)]
    case 'cut':
      return [operator('^'), ' ', ...expression(options, node.expression)]
    case 'comment':
      return [element('span', 'grammar-comment', escape(`//${node.text}`))]
    case 'break':
      // Indentation as no-break spaces: the theme need not set `white-space` for the layout to hold.
      return ['<br>', element('span', 'grammar-indent', '\u00a0'.repeat(Math.max(1, node.indent)))]
  }
}

function charsetItem(options: RenderOptions, item: CharsetItem): string[] {
  switch (item.type) {
    case 'named':
      return [nonterminal(options, item.name)]
    case 'character':
      return [character(item.character)]
    case 'range':
      return [character(item.from), operator('-'), character(item.to)]
  }
}

function character(char: SetCharacter): string {
  return char.hex !== undefined ? element('span', 'grammar-unicode', escape(`U+${char.hex}`)) : element('span', 'grammar-terminal', escape(char.value))
}

function nonterminal(options: RenderOptions, name: string): string {
  const href = options.href(name)
  if (href === undefined) return element('span', 'grammar-nonterminal grammar-undefined', escape(name), ` title="${escapeAttribute(`${name} is not defined`)}"`)
  return element('a', 'grammar-nonterminal', escape(name), ` href="${escapeAttribute(href)}"`)
}

function operator(value: string, extra?: string): string {
  return element('span', extra ? `grammar-operator ${extra}` : 'grammar-operator', escape(value))
}

/** `<tag class="classes"...>html</tag>`, `attributes` (with their leading spaces) after the class. */
function element(tag: string, classes: string, html: string, attributes = ''): string {
  return `<${tag} class="${classes}"${attributes}>${html}</${tag}>`
}

/** Text as hast-util-to-html writes it: `<` and `&` as character references. */
function escape(text: string): string {
  return stringifyEntities(text, { subset: textSubset })
}

/** A double-quoted attribute value as hast-util-to-html writes it: `"` and `&` as character references. */
function escapeAttribute(value: string): string {
  return stringifyEntities(value, { subset: attributeSubset })
}

// The same arrays every time: stringify-entities keeps the expression it makes of each.
const textSubset = ['<', '&']
const attributeSubset = ['"', '&']

function startsWithBreak(node: Expression): boolean {
  if (node.type === 'break') return true
  if (node.type === 'sequence') return node.items[0]?.type === 'break'
  if (node.type === 'alternation') return startsWithBreak(node.alternatives[0]!)
  return false
}

function endsWithBreak(node: Expression): boolean {
  return node.type === 'sequence' && node.items.at(-1)?.type === 'break'
}
