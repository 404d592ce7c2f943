import type { Element, ElementContent } from 'hast'
import type { Handlers, State } from 'mdast-util-to-hast'
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

/** `remark-rehype` handlers for the nodes Ferrule adds to mdast. */
export const handlers = { ferruleRule, ferruleAdmonition } as unknown as Handlers
