import path from 'node:path'

/** The page of a chapter: `a/b.md` is `a/b.html`, and a `README.md` is its folder's `index.html`, as in mdBook. */
export function chapterToPage(chapter: string): string {
  const base = path.posix.basename(chapter)
  if (base === 'README.md') return path.posix.join(path.posix.dirname(chapter), 'index.html')
  return chapter.replace(/\.md$/, '.html')
}

/** URL of `page` relative to the page `from` (both relative to the site root); `from` absent: as is. */
export function relativeUrl(from: string | undefined, page: string): string {
  if (from === undefined) return page
  return path.posix.relative(path.posix.dirname(from), page) || path.posix.basename(page)
}

/** A percent-decoded URL part, or the part as written when it does not decode. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
