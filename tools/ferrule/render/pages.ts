import type { Element } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { SpecIndex } from '../compile/spec-index.ts'
import type { OutlineChapter } from '../outline.ts'
import { ruleAnchor } from '../syntax/types.ts'
import { firstSentence } from '../first-sentence.ts'
import { relativeUrl } from '../paths.ts'
import { sidebar, type Book } from './layout.ts'

/** Content of the generated index page: the book's title, what it holds, its table of contents. */
export function indexPageContent(book: Book, index: SpecIndex): string {
  const chapters = book.outline.chapters.filter((chapter) => book.pages.has(chapter.path!)).length
  return toHtml(
    h('div.index-page', [
      h('h1', book.title),
      h('p.book-stats', [`${chapters} chapters, ${index.ids.length} rules. `, h('a', { href: 'rules.html' }, 'Every rule by ID')]),
      h('h2', 'Contents'),
      sidebar(book, undefined),
    ]),
  )
}

/** Rules of an earlier release that this one no longer has: the rules page says so for each. */
export interface RemovedRules {
  /** What the earlier release is called: the path of its `rules.json`, say. */
  since: string
  /** IDs, sorted. */
  ids: string[]
}

/**
 * Content of the page that lists every rule by ID, with its chapter and first sentence. Each row is
 * also the rule's permalink: `rules.html#ID` scrolls to it without scripts, and the theme's script
 * follows it to the rule's place (`data-permalink`). Rules removed since `removed.since` are listed
 * after, so that an old permalink says what became of its rule.
 */
export function rulesPageContent(book: Book, index: SpecIndex, removed?: RemovedRules): string {
  const chapters = new Map<string, OutlineChapter>(book.outline.chapters.map((chapter) => [chapter.path!, chapter]))
  const kinds = new Set([...index.rules.values()].map((rule) => rule.kind))
  const showKind = kinds.size > 1
  // `r-ID` is the anchor of rule ID; a rule whose own ID looks like one does not take it.
  const permalinkId = (id: string) => (id.startsWith('r-') && index.rules.has(id.slice(2)) ? undefined : id)
  const rows: Element[] = index.ids.map((id) => {
    const rule = index.rules.get(id)!
    const chapter = chapters.get(rule.chapter)
    const page = book.pages.get(rule.chapter)!
    return h('tr', { id: ruleAnchor(id), dataRule: id }, [
      h('td', h('a', { id: permalinkId(id), href: `${relativeUrl('rules.html', page)}#${ruleAnchor(id, rule.kind)}`, dataPermalink: '' }, h('code', id))),
      ...(showKind ? [h('td', rule.kind)] : []),
      h('td', h('a', { href: relativeUrl('rules.html', page) }, [chapter?.number ? chapter.number + ' ' : '', chapter?.title ?? rule.chapter])),
      h('td', firstSentence(rule.text)),
    ])
  })
  const gone = (removed?.ids ?? []).filter((id) => !index.rules.has(id))
  const removedSection =
    gone.length === 0
      ? []
      : [
          h('h2#removed-rules', `Removed since ${removed!.since}`),
          h('p', `${gone.length} rule${gone.length === 1 ? ' is' : 's are'} in ${removed!.since} but not in this version.`),
          h('table.rules-table.removed-rules', [
            h('thead', h('tr', [h('th', 'Rule'), h('th', 'Status')])),
            h('tbody', gone.map((id) => h('tr', { id: permalinkId(id), dataRule: id }, [h('td', h('code', id)), h('td', `Removed: this rule was in ${removed!.since} and is not in this version.`)]))),
          ]),
        ]
  return toHtml(
    h('div.rules-page', [
      h('h1', 'Rules'),
      h('p', `${index.ids.length} rules, sorted by ID.`),
      h('table.rules-table', [
        h('thead', h('tr', [h('th', 'Rule'), ...(showKind ? [h('th', 'Kind')] : []), h('th', 'Chapter'), h('th', 'Text')])),
        h('tbody', rows),
      ]),
      ...removedSection,
    ]),
  )
}

/** The term rules of the book: those of kind `term` that define a word, sorted by it. */
export function glossaryTerms(index: SpecIndex): Array<{ id: string; word: string }> {
  const terms: Array<{ id: string; word: string }> = []
  for (const id of index.ids) {
    const rule = index.rules.get(id)!
    if (rule.kind === 'term' && rule.defines !== undefined) terms.push({ id, word: rule.defines })
  }
  const collator = new Intl.Collator('en', { sensitivity: 'base' })
  return terms.sort((a, b) => collator.compare(a.word, b.word) || (a.id < b.id ? -1 : 1))
}

/** Content of the glossary page: every term in alphabetical order, with its definition and rule. */
export function glossaryPageContent(book: Book, index: SpecIndex): string {
  const entries = glossaryTerms(index).flatMap(({ id, word }) => {
    const rule = index.rules.get(id)!
    const href = `${relativeUrl('glossary.html', book.pages.get(rule.chapter)!)}#${ruleAnchor(id)}`
    return [h('dt', { id: `glossary-${id}` }, h('dfn', word)), h('dd', [rule.text, ' ', h('a.rule-ref', { href }, h('code', id))])]
  })
  return toHtml(h('div.glossary-page', [h('h1', 'Glossary'), h('p', `${entries.length / 2} terms, in alphabetical order.`), h('dl.glossary', entries)]))
}
