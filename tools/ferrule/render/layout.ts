import type { Element } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { OutlineChapter, OutlineItem, Outline } from '../outline.ts'
import { relativeUrl } from '../paths.ts'

/** The theme's files, as text. */
export interface Theme {
  /** Page template; `{{name}}` slots are filled, see `fillLayout`. */
  layout: string
  css: string
  js: string
}

/** What every page knows about the book. */
export interface Book {
  title: string
  lang: string
  outline: Outline
  /** Page of each chapter in the outline, by chapter path. */
  pages: ReadonlyMap<string, string>
  /** The pages the header links to besides the chapters, by path and label: rules, glossary... */
  links: ReadonlyArray<{ page: string; label: string }>
}

export interface PageInput {
  /** Path of the page in the site: `static/types.html`. */
  page: string
  /** Title of the page alone; the book's title is added. */
  title: string
  /** HTML of the page's content. */
  content: string
}

const slot = /\{\{\s*([a-z_]+)\s*\}\}/g

/**
 * Lay out a page: fill the template's slots `lang`, `title` (page title and book title),
 * `book_title`, `root` (relative path to the site root, ending in `/` or empty), `book_links` (the
 * header's links to the rules page and the like), `sidebar`, `content` and `pager`. Text slots are
 * escaped; the others are HTML.
 */
export function fillLayout(theme: Theme, book: Book, input: PageInput): string {
  const root = '../'.repeat(input.page.split('/').length - 1)
  const values: Record<string, string> = {
    lang: escape(book.lang),
    title: escape(input.title === book.title ? book.title : `${input.title} - ${book.title}`),
    book_title: escape(book.title),
    root,
    book_links: toHtml(book.links.map((link) => h('a', { href: relativeUrl(input.page, link.page), ...(link.page === input.page ? { ariaCurrent: 'page' } : {}) }, link.label))),
    sidebar: toHtml(sidebar(book, input.page)),
    content: input.content,
    pager: toHtml(pager(book, input.page)),
  }
  return theme.layout.replace(slot, (whole, name: string) => values[name] ?? whole)
}

/** The whole outline as nested lists, the current page marked. */
export function sidebar(book: Book, current: string | undefined): Element {
  return h('ol.toc', book.outline.items.map((item) => sidebarItem(book, current, item)))
}

function sidebarItem(book: Book, current: string | undefined, item: OutlineItem): Element {
  if (item.type === 'part') return h('li.part-title', item.title)
  if (item.type === 'separator') return h('li.spacer', { role: 'separator' })
  return chapterItem(book, current, item)
}

function chapterItem(book: Book, current: string | undefined, chapter: OutlineChapter): Element {
  const label = chapter.number ? [h('strong.number', chapter.number), ' ' + chapter.title] : [chapter.title]
  const page = chapter.path === undefined ? undefined : book.pages.get(chapter.path)
  const entry =
    page === undefined
      ? h('span.draft', { title: 'Not written yet' }, label)
      : h('a', { href: relativeUrl(current, page), ...(page === current ? { className: ['active'], ariaCurrent: 'page' } : {}) }, label)
  const children = chapter.children.length > 0 ? [h('ol.section', chapter.children.map((child) => chapterItem(book, current, child)))] : []
  return h('li.chapter-item', [entry, ...children])
}

/** Previous and next chapter in reading order; the index page leads to the first chapter. */
function pager(book: Book, current: string): Element {
  const order = book.outline.chapters.filter((chapter) => book.pages.has(chapter.path!))
  const at = order.findIndex((chapter) => book.pages.get(chapter.path!) === current)
  const previous = at > 0 ? order[at - 1] : undefined
  const next = at === -1 ? (current === 'index.html' ? order[0] : undefined) : order[at + 1]
  const link = (chapter: OutlineChapter, rel: 'prev' | 'next') =>
    h(`a.${rel === 'prev' ? 'previous' : 'next'}`, { rel, href: relativeUrl(current, book.pages.get(chapter.path!)!) }, [
      h('span.pager-label', rel === 'prev' ? 'Previous' : 'Next'),
      ' ',
      h('span.pager-title', [chapter.number ? chapter.number + ' ' : '', chapter.title]),
    ])
  return h('nav.pager', { ariaLabel: 'Chapters' }, [previous ? link(previous, 'prev') : '', next ? link(next, 'next') : ''])
}

function escape(text: string): string {
  return toHtml({ type: 'text', value: text })
}
