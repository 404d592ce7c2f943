import path from 'node:path'
import type { Element, ElementContent, Root as HastRoot } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { OutlineChapter } from '../outline.ts'
import { safeDecode } from '../paths.ts'
import { grammarText, type GrammarTextData } from './handlers.ts'

/** A chapter as the single-page print version shows it. */
export interface PrintChapter {
  page: string
  outline: OutlineChapter
  /** The chapter's content, as its own page has it. */
  hast: HastRoot
}

/** The `id` of a chapter's section in `print.html`, and the prefix of its other anchors. */
export function printSectionId(page: string): string {
  return `print-${page.replace(/\.html$/, '').replace(/[^A-Za-z0-9_-]+/g, '-')}`
}

/**
 * Content of `print.html`: a table of contents, then every chapter in reading order, each a section
 * that starts on a new page when printed. Rule anchors (`r-ID`) are unique in the book and stay as
 * they are; every other anchor takes its chapter's prefix, so that two chapters' `#syntax` headings
 * stay apart. Links to chapters become links within the page, other links are made relative to the
 * site's root, where this page is. Productions' anchors (`grammar-Name`) are unique too.
 */
export function printPageContent(title: string, chapters: readonly PrintChapter[], stringify: (tree: HastRoot) => string): string {
  const pages = new Set(chapters.map((chapter) => chapter.page))
  const label = (chapter: OutlineChapter) => (chapter.number ? `${chapter.number} ${chapter.title}` : chapter.title)
  const toc = h('nav.print-toc', { ariaLabelledBy: 'print-toc-title' }, [
    h('h2#print-toc-title', 'Contents'),
    h('ul', chapters.map((chapter) => h('li', { className: [`depth-${chapter.outline.depth}`] }, h('a', { href: `#${printSectionId(chapter.page)}` }, label(chapter.outline))))),
  ])
  const sections = chapters.map((chapter) => {
    const content = forPrint(chapter.hast, chapter.page, pages)
    return stringify({ type: 'root', children: [h(`section.print-chapter#${printSectionId(chapter.page)}`, { ariaLabel: label(chapter.outline) }, content.children as Element[])] })
  })
  return [toHtml(h('div.print-title', [h('h1', title), toc])), ...sections].join('\n')
}

/** Anchors that are unique in the whole book, which keep their names in `print.html`: rules' and productions'. */
const bookAnchor = /^(?:r|grammar)-/

/**
 * A copy of `tree` with its anchors and links made fit for `print.html`, and without the railroad
 * diagrams of grammar blocks: paper shows the productions' text (the print stylesheet hides the
 * diagrams), and their SVG, a large part of a grammar chapter, would only weigh the page down.
 * Elements are copied, the text in them is shared: a whole book's tree is copied for this page.
 */
function forPrint(tree: HastRoot, page: string, pages: ReadonlySet<string>): HastRoot {
  const prefix = printSectionId(page)
  const local = (fragment: string) => (bookAnchor.test(fragment) ? fragment : `${prefix}--${fragment}`)
  const copy = (node: ElementContent): ElementContent[] => {
    if (node.type !== 'element') return [node]
    if (node.tagName === 'details' && (node.properties.className as string[] | undefined)?.includes('grammar-diagrams')) return []
    // A grammar block's text is HTML made with the chapter's links: made again with this page's.
    const grammar = (node.data as Partial<GrammarTextData> | undefined)?.grammar
    if (grammar) {
      const href = (name: string) => (grammar.hrefs[name] === undefined ? undefined : rewrite(grammar.hrefs[name], page, pages, local))
      return [{ type: 'element', tagName: node.tagName, properties: { ...node.properties }, children: [grammarText(grammar.productions, href)] }]
    }
    const properties = { ...node.properties }
    const id = properties.id
    if (typeof id === 'string' && id !== '') properties.id = local(id)
    for (const attribute of ['href', 'src'] as const) {
      const value = properties[attribute]
      if (typeof value === 'string') properties[attribute] = rewrite(value, page, pages, local)
    }
    const element: Element = { type: 'element', tagName: node.tagName, properties, children: node.children.flatMap(copy) }
    if (node.content) element.content = { type: 'root', children: node.content.children.flatMap((child) => copy(child as ElementContent)) }
    return [element]
  }
  return { type: 'root', children: tree.children.flatMap((child) => (child.type === 'doctype' ? [] : copy(child))) }
}

function rewrite(url: string, page: string, pages: ReadonlySet<string>, local: (fragment: string) => string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//') || url.startsWith('/')) return url
  const hashAt = url.indexOf('#')
  const target = hashAt === -1 ? url : url.slice(0, hashAt)
  const fragment = hashAt === -1 ? '' : safeDecode(url.slice(hashAt + 1))
  if (target === '') return fragment === '' ? url : `#${encodeFragment(local(fragment))}`
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), target))
  if (pages.has(resolved)) {
    const section = printSectionId(resolved)
    return `#${encodeFragment(fragment === '' ? section : bookAnchor.test(fragment) ? fragment : `${section}--${fragment}`)}`
  }
  return resolved + (hashAt === -1 ? '' : url.slice(hashAt))
}

function encodeFragment(fragment: string): string {
  return encodeURI(fragment).replace(/#/g, '%23')
}
