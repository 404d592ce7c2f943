import type { CompiledSpec } from '../compile/compile.ts'
import { createChapterRenderer } from './chapter.ts'
import type { Highlighter } from './highlighter.ts'
import { fillLayout, type Book, type Theme } from './layout.ts'
import { indexPageContent, rulesPageContent } from './pages.ts'

export interface RenderOptions {
  title: string
  lang: string
  theme: Theme
  highlighter: Highlighter
}

/**
 * Render every page of the site: a page per chapter, the index page (unless a chapter is the
 * index), the rules page and the theme's assets. Returns the files by path relative to the site
 * root, in a stable order.
 */
export function renderSite(spec: CompiledSpec, options: RenderOptions): Map<string, string> {
  const render = createChapterRenderer(options.highlighter)
  const book: Book = { title: options.title, lang: options.lang, outline: spec.outline, pages: spec.index.pages }
  const output = new Map<string, string>()

  for (const chapter of spec.chapters) {
    const content = render(chapter.tree, chapter.file)
    output.set(chapter.page, fillLayout(options.theme, book, { page: chapter.page, title: chapter.outline.title, content }))
  }
  if (!output.has('index.html')) {
    output.set('index.html', fillLayout(options.theme, book, { page: 'index.html', title: book.title, content: indexPageContent(book, spec.index) }))
  }
  output.set('rules.html', fillLayout(options.theme, book, { page: 'rules.html', title: 'Rules', content: rulesPageContent(book, spec.index) }))
  output.set('theme/ferrule.css', options.theme.css)
  output.set('theme/ferrule.js', options.theme.js)
  return output
}
