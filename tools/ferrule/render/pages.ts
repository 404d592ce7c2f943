import type { Element } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { SpecIndex } from '../compile/spec-index.ts'
import type { OutlineChapter } from '../outline.ts'
import { ruleAnchor } from '../syntax/types.ts'
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

/** Content of the page that lists every rule by ID, with its chapter and first sentence. */
export function rulesPageContent(book: Book, index: SpecIndex): string {
  const chapters = new Map<string, OutlineChapter>(book.outline.chapters.map((chapter) => [chapter.path!, chapter]))
  const kinds = new Set([...index.rules.values()].map((rule) => rule.kind))
  const showKind = kinds.size > 1
  const rows: Element[] = index.ids.map((id) => {
    const rule = index.rules.get(id)!
    const chapter = chapters.get(rule.chapter)
    const page = book.pages.get(rule.chapter)!
    return h('tr', { id: ruleAnchor(id) }, [
      h('td', h('a', { href: `${relativeUrl('rules.html', page)}#${ruleAnchor(id)}` }, h('code', id))),
      ...(showKind ? [h('td', rule.kind)] : []),
      h('td', h('a', { href: relativeUrl('rules.html', page) }, [chapter?.number ? chapter.number + ' ' : '', chapter?.title ?? rule.chapter])),
      h('td', firstSentence(rule.text)),
    ])
  })
  return toHtml(
    h('div.rules-page', [
      h('h1', 'Rules'),
      h('p', `${index.ids.length} rules, sorted by ID.`),
      h('table.rules-table', [
        h('thead', h('tr', [h('th', 'Rule'), ...(showKind ? [h('th', 'Kind')] : []), h('th', 'Chapter'), h('th', 'Text')])),
        h('tbody', rows),
      ]),
    ]),
  )
}

/** The first sentence of a rule's text, at most about 200 characters. */
export function firstSentence(text: string): string {
  const end = /[.!?:](?=\s+[A-Z`(]|$)/.exec(text)
  const sentence = end ? text.slice(0, end.index + 1) : text
  return sentence.length > 200 ? sentence.slice(0, 199).trimEnd() + '…' : sentence
}
