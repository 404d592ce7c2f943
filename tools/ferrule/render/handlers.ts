import type { Element, ElementContent } from 'hast'
import type { Code } from 'mdast'
import { h } from 'hastscript'
import { defaultHandlers, type Handlers, type Raw, type State } from 'mdast-util-to-hast'
import { rustToDisplay } from '../examples/rust-source.ts'
import { exampleBadges, exampleInfo } from '../syntax/example-info.ts'
import { productionToHtml, productionToSvg, type Production } from '../grammar/index.ts'
import type { AdmonitionNode, GrammarNode, RuleNode } from '../syntax/types.ts'
import { ruleAnchor } from '../syntax/types.ts'

/**
 * A rule: its block in a `div` that carries the rule's anchor, with the ID shown beside the block as
 * a link to itself and a button that copies that link (which the theme shows only with scripts on,
 * and which its script answers).
 */
function ferruleRule(state: State, node: RuleNode): Element {
  const anchor = ruleAnchor(node.id)
  const idLink: Element = {
    type: 'element',
    tagName: 'a',
    properties: { className: ['rule-id'], href: '#' + anchor, title: `Link to rule ${node.id}` },
    children: [{ type: 'text', value: `[${node.id}]` }],
  }
  const result: Element = {
    type: 'element',
    tagName: 'div',
    properties: { className: ['rule'], id: anchor },
    children: [idLink, copyButton('copy-link', `Copy link to rule ${node.id}`, 'Copy link'), ...(state.wrap(state.all(node), true) as ElementContent[]), ...referencedBy(node)],
  }
  state.patch(node, result)
  return state.applyData(node, result)
}

/**
 * A button of the theme's script, in the page from the start: a script that added it would make
 * each page of the live preview differ from the one served, and every patch a replacement.
 */
function copyButton(className: string, label: string, text: string): Element {
  return h(`button.${className}`, { type: 'button', ariaLabel: label }, text)
}

/** The rules that link to this one, collapsed: a reader opens them to see what relies on the rule. */
function referencedBy(node: RuleNode): Element[] {
  const from = node.referencedBy ?? []
  if (from.length === 0) return []
  return [
    h('details.rule-refs', [
      h('summary', `Referenced by ${from.length} rule${from.length === 1 ? '' : 's'}`),
      h('ul', from.map((referrer) => h('li', h('a', { href: referrer.url }, h('code', referrer.id))))),
    ]),
  ]
}

/** An admonition: a labelled box. */
function ferruleAdmonition(state: State, node: AdmonitionNode): Element {
  const title: Element = {
    type: 'element',
    tagName: 'p',
    properties: { className: ['admonition-title'] },
    children: [{ type: 'text', value: node.label }],
  }
  const result: Element = {
    type: 'element',
    tagName: 'div',
    properties: { className: ['admonition', `admonition-${node.kind}`], role: 'note' },
    children: [title, ...(state.wrap(state.all(node), true) as ElementContent[])],
  }
  state.patch(node, result)
  return state.applyData(node, result)
}

/**
 * A fenced block. An executable example shows its test words (`compile_fail`, `should-throw`...)
 * as badges above the code, and a Rust example hides its `# ` lines, as rustdoc does.
 */
function code(state: State, node: Code): Element {
  const info = exampleInfo(node.lang, node.meta)
  // Every block has a button that copies its code.
  if (!info) return h('div.code-block', [copyButton('code-copy', 'Copy the code', 'Copy'), defaultHandlers.code(state, node)])
  const shown = info.runner === 'rust' ? { ...node, value: rustToDisplay(node.value) } : node
  const block = defaultHandlers.code(state, shown)
  const badges = exampleBadges(info).map(
    (word): Element => ({
      type: 'element',
      tagName: 'span',
      properties: { className: ['badge', `badge-${word.replace(/^edition\d+$/, 'edition').replace(/^E\d+$/, 'error-code')}`], title: badgeTitle(word, info.ignore) },
      children: [{ type: 'text', value: word }],
    }),
  )
  const copyable = h('div.code-block', [copyButton('code-copy', 'Copy the code', 'Copy'), block])
  const children: ElementContent[] = badges.length > 0 ? [{ type: 'element', tagName: 'div', properties: { className: ['example-badges'] }, children: badges }, copyable] : [copyable]
  return { type: 'element', tagName: 'div', properties: { className: ['example', `example-${info.runner}`] }, children }
}

function badgeTitle(word: string, ignoreReason: string | undefined): string {
  switch (word) {
    case 'ignore':
      return ignoreReason ? `Not run: ${ignoreReason}` : 'Not run'
    case 'compile_fail':
      return 'This example must fail to compile'
    case 'should_panic':
      return 'This example must panic when run'
    case 'no_run':
      return 'This example is compiled but not run'
    case 'should-throw':
      return 'This example must throw'
    default:
      return /^E\d+$/.test(word) ? `The compiler must report error ${word}` : `Compiled as Rust ${word.replace('edition', '')}`
  }
}

/**
 * A grammar block: its productions as text, nonterminals linked to their definitions, and their
 * railroad diagrams (SVG made here, at build time) behind a toggle that needs no script.
 */
function ferruleGrammar(state: State, node: GrammarNode): Element {
  const hrefs = node.hrefs ?? {}
  const href = (name: string) => hrefs[name]
  const text = h('div.grammar-text', { role: 'group', ariaLabel: `Grammar: ${node.category}` }, [grammarText(node.productions, href)])
  // For a page that puts the text elsewhere, with links of its own (print.html).
  const data: GrammarTextData = { grammar: { productions: node.productions, hrefs } }
  Object.assign(text, { data: { ...text.data, ...data } })
  const result = h('div.grammar', { dataCategory: node.category }, [
    text,
    h('details.grammar-diagrams', { dataPagefindIgnore: '' }, [
      h('summary', node.productions.length === 1 ? 'Railroad diagram' : 'Railroad diagrams'),
      ...node.productions.map((production): Element => h('figure.railroad', [h('figcaption', production.name), raw(productionToSvg(production, { href }))])),
    ]),
  ])
  state.patch(node, result)
  return result
}

/** What the text of a grammar block is made from, on its element's `data` (which no serialiser writes). */
export interface GrammarTextData {
  grammar: { productions: Production[]; hrefs: Record<string, string> }
}

/** The text of productions as one piece of HTML, their nonterminals linked by `href`. */
export function grammarText(productions: readonly Production[], href: (name: string) => string | undefined): Raw {
  return raw(productions.map((production) => productionToHtml(production, { href })).join(''))
}

/** HTML made as text (a production's, a diagram's), for the serialiser to write as it is. */
export function raw(html: string): Raw {
  return { type: 'raw', value: html }
}

/** `remark-rehype` handlers for the nodes Ferrule adds to mdast, and for examples. */
export const handlers = { ferruleRule, ferruleAdmonition, ferruleGrammar, code } as unknown as Handlers
