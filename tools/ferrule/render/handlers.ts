import type { Element, ElementContent } from 'hast'
import type { Code } from 'mdast'
import { defaultHandlers, type Handlers, type State } from 'mdast-util-to-hast'
import { rustToDisplay } from '../examples/rust-source.ts'
import { exampleBadges, exampleInfo } from '../syntax/example-info.ts'
import type { AdmonitionNode, RuleNode } from '../syntax/types.ts'
import { ruleAnchor } from '../syntax/types.ts'

/**
 * A rule: its block in a `div` that carries the rule's anchor, with the ID shown beside the block as
 * a link to itself (the theme's script adds a copy button to it).
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
    children: [idLink, ...(state.wrap(state.all(node), true) as ElementContent[])],
  }
  state.patch(node, result)
  return state.applyData(node, result)
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
  if (!info) return defaultHandlers.code(state, node)
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
  const children: ElementContent[] = badges.length > 0 ? [{ type: 'element', tagName: 'div', properties: { className: ['example-badges'] }, children: badges }, block] : [block]
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

/** `remark-rehype` handlers for the nodes Ferrule adds to mdast, and for examples. */
export const handlers = { ferruleRule, ferruleAdmonition, code } as unknown as Handlers
