import type { Element } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import type { CompiledSpec } from '../compile/compile.ts'
import { productionToHtml, type Production } from '../grammar/index.ts'
import { relativeUrl } from '../paths.ts'
import { productionAnchor } from '../syntax/types.ts'
import { raw } from './handlers.ts'
import type { Book } from './layout.ts'

/** The page that sums up the grammar, when the book has one. */
export const grammarPage = 'grammar.html'

interface SummaryEntry {
  production: Production
  chapter: CompiledSpec['chapters'][number]
}

/**
 * Every production of the book's grammar blocks, by category: categories in the order the book
 * first uses them, productions in reading order. Of a production defined twice, the first (the one
 * the index kept).
 */
export function grammarByCategory(spec: CompiledSpec): Map<string, SummaryEntry[]> {
  const categories = new Map<string, SummaryEntry[]>()
  const defining = new Set([...spec.index.productions.values()].map((production) => production.chapter))
  for (const chapter of spec.chapters) {
    if (!defining.has(chapter.path)) continue
    visit(chapter.tree, 'ferruleGrammar', (node) => {
      for (const production of node.productions) {
        const indexed = spec.index.productions.get(production.name)
        if (indexed?.chapter !== chapter.path || indexed.category !== node.category) continue
        const entries = categories.get(node.category) ?? []
        if (entries.some((entry) => entry.production.name === production.name)) continue
        categories.set(node.category, entries)
        entries.push({ production, chapter })
      }
    })
  }
  return categories
}

/**
 * Content of the grammar summary: a section per category with its productions as text. A
 * nonterminal links to its production on this page; each production links to its chapter, where its
 * railroad diagram is (with every diagram, the page of a large grammar weighed megabytes).
 */
export function grammarPageContent(book: Book, spec: CompiledSpec): string {
  const categories = grammarByCategory(spec)
  const href = (name: string) => (spec.index.productions.has(name) ? '#' + productionAnchor(name) : undefined)
  const total = [...categories.values()].reduce((sum, entries) => sum + entries.length, 0)
  const sections = [...categories].flatMap(([category, entries]): Element[] => [
    h('h2', { id: `category-${category}` }, category),
    h(
      'div.grammar',
      { dataCategory: category },
      h(
        'div.grammar-text',
        { role: 'group', ariaLabel: `Grammar: ${category}` },
        entries.map(({ production, chapter }) =>
          h('div.grammar-entry', [
            raw(productionToHtml(production, { href })),
            h('a.grammar-source', { href: `${relativeUrl(grammarPage, book.pages.get(chapter.path)!)}#${productionAnchor(production.name)}` }, [chapter.outline.number ? chapter.outline.number + ' ' : '', chapter.outline.title]),
          ]),
        ),
      ),
    ),
  ])
  return toHtml(
    h('div.grammar-page', [
      h('h1', 'Grammar summary'),
      h('p', `${total} production${total === 1 ? '' : 's'} in ${categories.size} categor${categories.size === 1 ? 'y' : 'ies'}.`),
      h('nav.grammar-categories', { ariaLabel: 'Categories' }, h('ul', [...categories.keys()].map((category) => h('li', h('a', { href: `#category-${category}` }, category))))),
      ...sections,
    ]),
    // The productions are HTML already (`productionToHtml`).
    { allowDangerousHtml: true },
  )
}
