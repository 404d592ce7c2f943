import type { Element, Root } from 'hast'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'

/** What the last test run says of one rule, as its page shows it under the rule. */
export interface RuleVerification {
  /** `verified`, `failing`, `untested`... as the certification matrix says. */
  verdict: string
  tests: Array<{ title: string; status: string; place: string; suspect: boolean }>
}

export interface Options {
  /** By rule ID; rules without an entry show nothing. */
  verification: ReadonlyMap<string, RuleVerification>
}

/**
 * Under each rule the matrix knows of, a collapsed "Verified by" list of its tests with their
 * outcomes, and the rule's verdict in its summary.
 */
export default function rehypeFerruleVerification(options: Options) {
  const settings = options
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      const id = typeof node.properties.id === 'string' && node.properties.id.startsWith('r-') ? node.properties.id.slice(2) : undefined
      const entry = id === undefined ? undefined : settings.verification.get(id)
      if (!entry || !(node.properties.className as string[] | undefined)?.includes('rule')) return
      const tests = entry.tests.map((test) =>
        h('li', [h(`span.status-${test.status}`, test.status), ' ', test.title, ' ', h('code', test.place), ...(test.suspect ? [' ', h('em', '(suspect: the rule changed since it ran)')] : [])]),
      )
      node.children.push(h('details.rule-verified', [h('summary', `${entry.verdict}: ${summary(entry)}`), ...(tests.length > 0 ? [h('ul', tests)] : [])]))
    })
  }
}

function summary(entry: RuleVerification): string {
  if (entry.tests.length === 0) return 'no test names this rule'
  const passed = entry.tests.filter((test) => test.status === 'passed').length
  return `verified by ${passed} of ${entry.tests.length} test${entry.tests.length === 1 ? '' : 's'}`
}
