import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { Root as HastRoot } from 'hast'
import type { Root } from 'mdast'
import type { CompiledSpec } from '../compile/compile.ts'
import { createChapterRenderer, type ChapterRendererOptions } from './chapter.ts'
import type { ContentBlock } from './content-blocks.ts'
import type { Highlighter } from './highlighter.ts'
import { fillLayout, type Book, type Theme } from './layout.ts'
import { grammarPage, grammarPageContent } from './grammar-page.ts'
import { printPageContent } from './print.ts'
import { glossaryPageContent, glossaryTerms, indexPageContent, rulesPageContent, type RemovedRules } from './pages.ts'

export interface RenderOptions {
  title: string
  lang: string
  theme: Theme
  highlighter: Highlighter
  /** Highlighted code blocks to reuse between renders (see `ChapterRendererOptions`). */
  codeCache?: ChapterRendererOptions['codeCache']
  /**
   * Content of each linked chapter tree rendered so far, for renderers of the same book to share: a
   * renderer for a new theme need not render the chapters again. Default: this renderer's own.
   */
  rendered?: WeakMap<Root, string>
  /**
   * When given, the blocks of each chapter content this renderer renders are kept here, by linked
   * tree, beside its HTML (for the live preview, which swaps changed blocks into the open page).
   */
  blocks?: WeakMap<Root, readonly ContentBlock[]>
  /** The blocks of top-level blocks rendered before, for `blocks` (see `ChapterRendererOptions`). */
  blockCache?: ChapterRendererOptions['blockCache']
  /** Rules of an earlier release that are gone: the rules page lists them (default: none). */
  removedRules?: RemovedRules | undefined
  /** What the last test run says of each rule (see `ChapterRendererOptions`). */
  verification?: ChapterRendererOptions['verification']
}

/** Renders the pages of a compiled book, one at a time. */
export interface SiteRenderer {
  /**
   * HTML of each chapter's content, by page. A chapter whose linked tree this renderer rendered
   * before is not rendered again: the compile cache gives an unchanged chapter its old tree.
   */
  contents(spec: CompiledSpec): Map<string, string>
  /** The whole page at `page` (a chapter's, `index.html` or `rules.html`), or `undefined` for none. */
  page(spec: CompiledSpec, contents: ReadonlyMap<string, string>, page: string): string | undefined
  /**
   * `print.html`, every chapter on one page in reading order; `hastOf` gives each chapter's rendered
   * tree (a renderer that has them need not render them again).
   */
  printPage(spec: CompiledSpec, hastOf: (chapter: CompiledSpec['chapters'][number]) => HastRoot): string
  /** A page that says there is no page `page`, laid out as the others (for the live preview). */
  missingPage(spec: CompiledSpec, page: string): string
  /** The theme's own files, by path in the site. */
  assets(): Map<string, string>
}

/** A renderer of `options.theme` pages, with its memory of rendered chapter trees. */
export function createSiteRenderer(options: RenderOptions): SiteRenderer {
  const render = createChapterRenderer(options.highlighter, { codeCache: options.codeCache, verification: options.verification, blockCache: options.blockCache })
  const rendered = options.rendered ?? new WeakMap<Root, string>()
  // One book per compiled spec: every page of it asks, and the glossary's terms are sorted to know.
  const books = new WeakMap<CompiledSpec, Book>()
  const bookOf = (spec: CompiledSpec): Book => {
    let book = books.get(spec)
    if (!book) books.set(spec, (book = newBook(spec)))
    return book
  }
  const newBook = (spec: CompiledSpec): Book => ({
    title: options.title,
    lang: options.lang,
    outline: spec.outline,
    pages: spec.index.pages,
    links: bookLinks(spec),
  })
  return {
    contents(spec) {
      const contents = new Map<string, string>()
      for (const chapter of spec.chapters) {
        let content = rendered.get(chapter.tree)
        if (content === undefined) {
          if (options.blocks) {
            const blocks = render.blocks(chapter.tree, chapter.file)
            content = blocks.map((block) => block.html).join('')
            options.blocks.set(chapter.tree, blocks)
          } else {
            content = render(chapter.tree, chapter.file)
          }
          rendered.set(chapter.tree, content)
        }
        contents.set(chapter.page, content)
      }
      return contents
    },
    page(spec, contents, page) {
      const book = bookOf(spec)
      if (page === 'print.html') return this.printPage(spec, (chapter) => render.hast(chapter.tree, chapter.file))
      const chapter = spec.index.chapters.get(page)
      const content = contents.get(page)
      if (chapter !== undefined && content !== undefined) {
        const title = spec.chapters.find((candidate) => candidate.path === chapter)!.outline.title
        return fillLayout(options.theme, book, { page, title, content })
      }
      if (page === 'index.html') return fillLayout(options.theme, book, { page, title: book.title, content: indexPageContent(book, spec.index) })
      if (page === 'rules.html') return fillLayout(options.theme, book, { page, title: 'Rules', content: rulesPageContent(book, spec.index, options.removedRules) })
      if (page === 'glossary.html' && book.links.some((link) => link.page === page)) {
        return fillLayout(options.theme, book, { page, title: 'Glossary', content: glossaryPageContent(book, spec.index) })
      }
      if (page === grammarPage && book.links.some((link) => link.page === page)) {
        return fillLayout(options.theme, book, { page, title: 'Grammar summary', content: grammarPageContent(book, spec) })
      }
      return undefined
    },
    printPage(spec, hastOf) {
      const chapters = spec.chapters.map((chapter) => ({ page: chapter.page, outline: chapter.outline, hast: hastOf(chapter) }))
      const content = printPageContent(options.title, chapters, render.stringify)
      return fillLayout(options.theme, bookOf(spec), { page: 'print.html', title: 'Print version', content })
    },
    missingPage(spec, page) {
      const content = toHtml(h('div.missing-page', [h('h1', 'Not found'), h('p', ['No page ', h('code', page), ' in the book (any more).'])]))
      return fillLayout(options.theme, bookOf(spec), { page, title: 'Not found', content })
    },
    assets() {
      return new Map([
        ['theme/ferrule.css', options.theme.css],
        ['theme/ferrule.js', options.theme.js],
      ])
    },
  }
}

/**
 * The book's own pages that every page links to: the rules, and the glossary and grammar when the
 * book has terms and productions. With the outline and the theme, all that a chapter's page is
 * made of besides its content.
 */
export function bookLinks(spec: CompiledSpec): Book['links'] {
  return [
    { page: 'rules.html', label: 'All rules' },
    ...(glossaryTerms(spec.index).length > 0 ? [{ page: 'glossary.html', label: 'Glossary' }] : []),
    ...(spec.index.productions.size > 0 ? [{ page: grammarPage, label: 'Grammar' }] : []),
  ]
}

/**
 * Render every page of the site: a page per chapter, the index page (unless a chapter is the
 * index), the rules page and the theme's assets. Returns the files by path relative to the site
 * root, in a stable order.
 */
export function renderSite(spec: CompiledSpec, options: RenderOptions): Map<string, string> {
  // Each chapter is rendered once: its tree serves its page and the print page.
  const render = createChapterRenderer(options.highlighter, { codeCache: options.codeCache, verification: options.verification })
  const trees = new Map(spec.chapters.map((chapter) => [chapter.page, render.hast(chapter.tree, chapter.file)]))
  const rendered = new WeakMap<Root, string>()
  for (const chapter of spec.chapters) rendered.set(chapter.tree, render.stringify(trees.get(chapter.page)!))
  const renderer = createSiteRenderer({ ...options, rendered })
  const contents = renderer.contents(spec)
  const output = new Map<string, string>()
  for (const page of [...contents.keys(), 'index.html', 'rules.html', 'glossary.html', grammarPage]) {
    const html = output.has(page) ? undefined : renderer.page(spec, contents, page)
    if (html !== undefined) output.set(page, html)
  }
  output.set('print.html', renderer.printPage(spec, (chapter) => trees.get(chapter.page)!))
  for (const [path, text] of renderer.assets()) output.set(path, text)
  return output
}
