import railroad, { type FakeSvg } from 'railroad-diagrams'
import type { CharsetItem, Expression, Production, RepeatRange, SetCharacter } from './types.ts'
import type { RenderOptions } from './to-html.ts'

/**
 * A production as a railroad diagram: an `<svg>` string made at build time with the
 * `railroad-diagrams` package, whose elements serialise themselves without a DOM.
 *
 * It carries no colours of its own: lines and boxes are `stroke="currentColor"` on the `<svg>`,
 * texts `fill="currentColor"`, so they take the page's text colour in light and dark themes, and
 * classes (`terminal`, `non-terminal`, `grammar-undefined`, `prose`, `comment`) let the theme
 * restyle them. A nonterminal's box is a link to its definition. The same production always gives
 * the same bytes.
 */
export function productionToSvg(production: Production, options: RenderOptions): string {
  const diagram = railroad.Diagram(toItem(options, production.expression))
  diagram.attrs.class = 'railroad-diagram grammar-diagram'
  diagram.attrs['data-production'] = production.name
  diagram.attrs.fill = 'none'
  diagram.attrs.stroke = 'currentColor'
  // The package's widths assume a monospace font of about 14px with centred labels.
  diagram.attrs['font-family'] = 'monospace'
  diagram.attrs['font-size'] = '14'
  diagram.attrs['text-anchor'] = 'middle'
  // Laid out now, not by `toString`, so that the texts can be given their fill before serialising.
  diagram.format(20, 20, 20, 20)
  paintTexts(diagram)
  dropEmptyPaths(diagram)
  return diagram.toString()
}

function toItem(options: RenderOptions, node: Expression): FakeSvg {
  let item = bare(options, node)
  if (node.suffix !== undefined) item = railroad.Sequence(item, comment(node.suffix, 'suffix'))
  return item
}

function bare(options: RenderOptions, node: Expression): FakeSvg {
  switch (node.type) {
    case 'alternation':
      return railroad.Choice(0, ...node.alternatives.map((alternative) => toItem(options, alternative)))
    case 'sequence': {
      // Breaks and end-of-line comments lay out the text; a diagram has a layout of its own.
      const items = node.items.filter((item) => item.type !== 'break' && item.type !== 'comment')
      if (!items.length) return railroad.Skip()
      return items.length === 1 ? toItem(options, items[0]!) : railroad.Sequence(...items.map((item) => toItem(options, item)))
    }
    case 'group':
      return toItem(options, node.expression)
    case 'optional':
      return railroad.Optional(toItem(options, node.expression))
    case 'repeat': {
      const once = railroad.OneOrMore(toItem(options, node.expression), node.greedy ? undefined : comment('as few as possible'))
      return node.min === 0 ? railroad.Optional(once) : once
    }
    case 'repeat-range': {
      const once = railroad.OneOrMore(toItem(options, node.expression), comment(rangeLabel(node)))
      return (node.min ?? 0) === 0 ? railroad.Optional(once) : once
    }
    case 'repeat-labelled':
      return railroad.OneOrMore(toItem(options, node.expression), comment(`exactly ${node.label} times`))
    case 'nonterminal':
      return nonterminal(options, node.name)
    case 'terminal':
      return terminal(node.value)
    case 'prose':
      return comment(node.text, 'prose')
    case 'unicode':
      return terminal(`U+${node.hex}`, 'unicode')
    case 'charset':
      return node.items.length === 1 ? charsetItem(options, node.items[0]!) : railroad.Choice(0, ...node.items.map((item) => charsetItem(options, item)))
    case 'negation':
      return railroad.Sequence(comment('any except'), toItem(options, node.expression))
    case 'lookahead':
      return railroad.Sequence(comment('not followed by'), toItem(options, node.expression))
    case 'cut':
      return railroad.Sequence(comment('cut: no backtracking'), toItem(options, node.expression))
    case 'comment':
    case 'break':
      return railroad.Skip()
  }
}

function charsetItem(options: RenderOptions, item: CharsetItem): FakeSvg {
  switch (item.type) {
    case 'named':
      return nonterminal(options, item.name)
    case 'character':
      return setCharacter(item.character)
    case 'range':
      return terminal(`${label(item.from)} to ${label(item.to)}`, 'range')
  }
}

function setCharacter(char: SetCharacter): FakeSvg {
  return char.hex !== undefined ? terminal(`U+${char.hex}`, 'unicode') : terminal(char.value)
}

function label(char: SetCharacter): string {
  return char.hex !== undefined ? `U+${char.hex}` : char.value
}

/** How often a range repeats, in words, as the label of its loop. */
function rangeLabel(node: RepeatRange): string {
  const max = node.max === undefined ? undefined : node.inclusive ? node.max : node.max - 1
  const min = node.min ?? 0
  const count = max === undefined ? `${min} or more times` : min === max ? `exactly ${min} times` : min === 0 ? `at most ${max} times` : `${min} to ${max} times`
  return node.label ? `${count}, counted as ${node.label}` : count
}

function terminal(text: string, extra?: string): FakeSvg {
  const item = railroad.Terminal(printable(text))
  item.attrs.class = extra ? `terminal ${extra}` : 'terminal'
  return item
}

function comment(text: string, extra?: string): FakeSvg {
  const item = railroad.Comment(printable(text))
  if (extra) item.attrs.class = extra
  return item
}

/** A nonterminal's box, wrapped in a link when its production is defined. */
function nonterminal(options: RenderOptions, name: string): FakeSvg {
  const item = railroad.NonTerminal(name)
  const href = options.href(name)
  item.attrs.class = href === undefined ? 'non-terminal grammar-undefined' : 'non-terminal'
  if (href === undefined) return item
  const format = item.format.bind(item)
  item.format = (x, y, width) => {
    format(x, y, width)
    // The package draws the box as [line, line, rect, text]; the rect and text become the link.
    const children = item.children as FakeSvg[]
    item.children = [...children.slice(0, -2), new SvgElement('a', { href }, children.slice(-2))]
    return item
  }
  return item
}

/** An element the package has no constructor for, serialised the way its own elements are. */
class SvgElement {
  constructor(
    readonly tagName: string,
    readonly attrs: Record<string, string>,
    readonly children: Array<FakeSvg | SvgElement>,
  ) {}

  toString(): string {
    const attributes = Object.entries(this.attrs).map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join('')
    return `<${this.tagName}${attributes}>${this.children.join('')}</${this.tagName}>\n`
  }
}

/** Gives every text the current colour as its fill, since the `<svg>` has none for its lines. */
function paintTexts(node: Pick<FakeSvg, 'tagName' | 'attrs' | 'children'> | SvgElement): void {
  if (node.tagName === 'text') {
    node.attrs.fill = 'currentColor'
    node.attrs.stroke = 'none'
  }
  if (typeof node.children === 'string') return
  for (const child of node.children) if (typeof child === 'object' && 'tagName' in child) paintTexts(child as FakeSvg)
}

/**
 * Removes the paths that draw nothing (`M40 41h0`): the package ends every item with such stubs, a
 * good part of a diagram's bytes.
 */
function dropEmptyPaths(node: Pick<FakeSvg, 'tagName' | 'attrs' | 'children'> | SvgElement): void {
  if (typeof node.children === 'string') return
  const kept = (node.children as Array<FakeSvg | SvgElement | string>).filter(
    (child) => !(typeof child === 'object' && child.tagName === 'path' && /^M\s*-?[\d.]+\s+-?[\d.]+\s*[hv]\s*0$/.test(String(child.attrs.d ?? ''))),
  )
  ;(node as { children: unknown }).children = kept
  for (const child of kept) if (typeof child === 'object' && 'tagName' in child) dropEmptyPaths(child as FakeSvg)
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/** Control characters cannot stand in XML; they are shown by their code point instead. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff\ufffe\uffff]/gu, (char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
}
