/// <reference types="vite/client" />
// The live preview's side in the browser: served by Vite, so `import.meta.hot` is its channel to
// the server. It keeps the open page as the book is now without reloading it: on each message it
// patches the page's `<main>` (and sidebar) into the new one, keeps the reader's place, and shows
// the book's diagnostics in an overlay.
import { devEvent, helloEvent, stateId, type ContentPatch, type DevDiagnostic, type DevMessage, type DevPageState } from './messages.ts'

const overlayId = 'ferrule-dev-overlay'

const initial = JSON.parse(document.getElementById(stateId)?.textContent ?? '{"build":0,"diagnostics":[]}') as DevPageState
let build = initial.build
let dismissed = ''
// The diagnostics the overlay shows (as `dismissed` says them): the same again leaves it as it is,
// scrolled where the reader left it.
let shown = ''
/** Updates are applied one after another, each on top of the last. */
let applying: Promise<void> = Promise.resolve()


async function apply(message: DevMessage): Promise<void> {
  if (message.type === 'welcome') {
    // `data-ferrule-live` on the root element says that edits reach this page (tests wait for it).
    document.documentElement.dataset.ferruleLive = ''
    // Rebuilds between the server making this page and the channel opening went to no one.
    if (message.build > build) await catchUp()
    return
  }
  // A page served after this build already shows it.
  if (message.build <= build && message.type !== 'crash') return
  switch (message.type) {
    case 'reload':
      location.reload()
      return
    case 'crash':
      showCrash(message.message)
      return
    case 'update': {
      // A patch applies to the build before it only: a page that missed one takes the whole page.
      const patch = message.build === build + 1 ? message.patches[currentPage()] : undefined
      build = message.build
      const patched = patch !== undefined && !message.navigation && patchContent(patch)
      if (!patched && (message.navigation || message.pages.includes(currentPage()))) await swapPage(message.navigation, message.html[currentPage()])
      showDiagnostics(message.diagnostics)
    }
  }
}

/** The page open here, as the server names pages: `static/types.html`. */
function currentPage(): string {
  const path = decodeURIComponent(location.pathname).replace(/^\/+/, '')
  return path === '' || path.endsWith('/') ? `${path}index.html` : path
}

/** Put this page's content as it is now (and, when asked, its navigation) in place; fetch it unless given. */
async function swapPage(navigation: boolean, html: string | undefined): Promise<void> {
  swapDocument(navigation, new DOMParser().parseFromString(html ?? (await fetchPage()), 'text/html'))
}

function fetchPage(): Promise<string> {
  return fetch(location.pathname, { cache: 'no-store' }).then((response) => response.text())
}

/** Catch up with the rebuilds this page missed: the page as served now says its build and diagnostics. */
async function catchUp(): Promise<void> {
  const next = new DOMParser().parseFromString(await fetchPage(), 'text/html')
  const state = JSON.parse(next.getElementById(stateId)?.textContent ?? 'null') as DevPageState | null
  if (state === null || state.build <= build) return
  build = state.build
  swapDocument(true, next)
  showDiagnostics(state.diagnostics)
}

function swapDocument(navigation: boolean, next: Document): void {
  changeContent(() => {
    patch(document.querySelector('main'), next.querySelector('main'))
    // Patched in place, the sidebar keeps its scroll position.
    if (navigation) patch(document.querySelector('.sidebar'), next.querySelector('.sidebar'))
    document.title = next.title
  })
}

/** Do `change` to the page's content, the reader's place kept; then say so to the theme's script. */
function changeContent(change: () => void): void {
  const place = readingPlace()
  change()
  restorePlace(place)
  // The theme's script adds its niceties to new content on this event.
  document.dispatchEvent(new CustomEvent('ferrule:content'))
}

/**
 * Put `patch` in place: the nodes between its two elements, which must be children of `<main>` in
 * that order, become its HTML, parsed as `<main>`'s content. False, and nothing changed, when the page
 * is not as the patch expects (a theme of one's own, an element of the same `id` before it).
 */
function patchContent(patch: ContentPatch): boolean {
  const main = document.querySelector('main')
  const after = document.getElementById(patch.after)
  const before = document.getElementById(patch.before)
  if (!main || after?.parentNode !== main || before?.parentNode !== main) return false
  if (!(after.compareDocumentPosition(before) & Node.DOCUMENT_POSITION_FOLLOWING)) return false
  changeContent(() => {
    const range = document.createRange()
    range.setStartAfter(after)
    range.setEndBefore(before)
    const content = range.createContextualFragment(patch.html)
    range.deleteContents()
    range.insertNode(content)
  })
  return true
}

/**
 * Make `old`'s children those of `fresh`, replacing only the run of children between the longest
 * equal start and end: the browser then styles and lays out again only what changed, which on a long
 * chapter is most of the time an update takes.
 */
function patch(old: Element | null, fresh: Element | null): void {
  if (!old || !fresh) return
  const before = [...old.childNodes]
  const after = [...fresh.childNodes]
  let start = 0
  while (start < before.length && start < after.length && before[start]!.isEqualNode(after[start]!)) start++
  let end = 0
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end]!.isEqualNode(after[after.length - 1 - end]!)) end++
  const anchor = before[before.length - end] ?? null
  for (const node of before.slice(start, before.length - end)) node.remove()
  for (const node of after.slice(start, after.length - end)) old.insertBefore(document.adoptNode(node), anchor)
  for (const name of old.getAttributeNames()) if (!fresh.hasAttribute(name)) old.removeAttribute(name)
  for (const name of fresh.getAttributeNames()) if (old.getAttribute(name) !== fresh.getAttribute(name)) old.setAttribute(name, fresh.getAttribute(name)!)
}

interface Place {
  /** The rule at the top of the viewport, and how far below the top its top was. */
  rule: string | undefined
  offset: number
  scrollY: number
}

function readingPlace(): Place {
  for (const rule of document.querySelectorAll<HTMLElement>('main .rule[id]')) {
    const box = rule.getBoundingClientRect()
    if (box.bottom > 0) return { rule: rule.id, offset: box.top, scrollY }
  }
  return { rule: undefined, offset: 0, scrollY }
}

/** Scroll so that the same rule is where it was; without it, to where the page was. */
function restorePlace(place: Place): void {
  const rule = place.rule === undefined ? null : document.getElementById(place.rule)
  if (rule) window.scrollBy(0, rule.getBoundingClientRect().top - place.offset)
  else window.scrollTo(0, place.scrollY)
}

function overlay(): HTMLElement {
  let element = document.getElementById(overlayId)
  if (!element) {
    element = document.createElement('aside')
    element.id = overlayId
    element.setAttribute('role', 'status')
    element.setAttribute('aria-label', 'Problems in the book')
    document.body.append(element)
    const style = document.createElement('style')
    style.textContent = overlayCss
    document.head.append(style)
  }
  return element
}

/** The overlay lists every diagnostic of the book, this page's first; it goes when there are none. */
function showDiagnostics(diagnostics: readonly DevDiagnostic[]): void {
  const key = JSON.stringify(diagnostics)
  if (diagnostics.length === 0 || key === dismissed) {
    document.getElementById(overlayId)?.remove()
    shown = ''
    return
  }
  if (key === shown && document.getElementById(overlayId)) return
  shown = key
  const page = currentPage()
  const here = (diagnostic: DevDiagnostic) => (diagnostic.href?.split('#')[0] === page ? 0 : 1)
  const sorted = [...diagnostics].sort((a, b) => here(a) - here(b))
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length
  const element = overlay()
  element.replaceChildren()
  const header = document.createElement('header')
  const title = document.createElement('strong')
  title.textContent = [errors > 0 ? plural(errors, 'error') : '', diagnostics.length > errors ? plural(diagnostics.length - errors, 'warning') : ''].filter(Boolean).join(', ')
  const close = document.createElement('button')
  close.type = 'button'
  close.textContent = 'Hide'
  close.addEventListener('click', () => {
    dismissed = key
    shown = ''
    element.remove()
  })
  header.append(title, close)
  const list = document.createElement('ol')
  for (const diagnostic of sorted) list.append(diagnosticItem(diagnostic))
  element.append(header, list)
}

function diagnosticItem(diagnostic: DevDiagnostic): HTMLElement {
  const item = document.createElement('li')
  item.className = diagnostic.severity
  const where = `${diagnostic.file}:${diagnostic.line ?? 1}:${diagnostic.column ?? 1}`
  const place = document.createElement(diagnostic.href ? 'a' : 'span')
  place.className = 'place'
  place.textContent = where
  if (diagnostic.href && place instanceof HTMLAnchorElement) place.href = `/${diagnostic.href}`
  const reason = document.createElement('span')
  reason.className = 'reason'
  reason.textContent = ` ${diagnostic.severity}: ${diagnostic.reason} `
  const rule = document.createElement('code')
  rule.textContent = diagnostic.rule
  item.append(place, reason, rule)
  if (diagnostic.hint) {
    const hint = document.createElement('div')
    hint.className = 'hint'
    hint.textContent = diagnostic.hint
    item.append(hint)
  }
  return item
}

function showCrash(message: string): void {
  const element = overlay()
  const note = document.createElement('p')
  note.className = 'crash'
  note.textContent = `This is the page as last built: ${message}.`
  element.prepend(note)
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

const overlayCss = `
#${overlayId} { position: fixed; right: 1rem; bottom: 1rem; z-index: 1000; max-width: min(44rem, calc(100vw - 2rem)); max-height: 40vh; overflow: auto;
  background: Canvas; color: CanvasText; border: 2px solid #cf222e; border-radius: 6px; box-shadow: 0 4px 16px rgb(0 0 0 / 25%); font: 14px/1.5 system-ui, sans-serif; padding: 0.5rem 0.75rem; }
#${overlayId} header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }
#${overlayId} ol { margin: 0.25rem 0 0; padding-left: 1.25rem; }
#${overlayId} li { margin: 0.25rem 0; }
#${overlayId} li.warning { list-style-type: circle; }
#${overlayId} .place { font-family: ui-monospace, monospace; }
#${overlayId} .hint { color: GrayText; }
#${overlayId} .crash { color: #cf222e; font-weight: bold; }
`

// Last, once everything above is defined.
const queue = (step: () => Promise<void>) => {
  applying = applying.then(step).catch((error: unknown) => console.error('ferrule dev:', error))
}
import.meta.hot?.on(devEvent, (message: DevMessage) => queue(() => apply(message)))
import.meta.hot?.on('vite:ws:disconnect', () => delete document.documentElement.dataset.ferruleLive)
// Sent once the channel is open (Vite holds it until then), however long that takes.
import.meta.hot?.send(helloEvent, {})
showDiagnostics(initial.diagnostics)
