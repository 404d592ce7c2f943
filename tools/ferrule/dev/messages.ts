/**
 * What the live preview's server tells the pages open in browsers, over Vite's HMR channel as the
 * custom event `devEvent`. One union, so that server and client agree on every shape.
 */
export type DevMessage =
  /**
   * A rebuild finished: the pages whose HTML changed, and the book's diagnostics now. For the changed
   * pages when they are few, `patches` holds how the content of a chapter page changed, where a patch
   * can say it, and `html` the new HTML of the others, which saves a page that shows one a request.
   */
  | {
      type: 'update'
      build: number
      pages: string[]
      html: Record<string, string>
      patches: Record<string, ContentPatch>
      navigation: boolean
      diagnostics: DevDiagnostic[]
    }
  /** The theme or the configuration changed: pages reload whole. */
  | { type: 'reload'; build: number; reason: string }
  /** A rebuild failed (a file could not be read, or a bug in Ferrule); the pages as last built stay. */
  | { type: 'crash'; build: number; message: string }
  /** The answer to a page's `helloEvent`, to that page alone: the build the book is at. */
  | { type: 'welcome'; build: number }

/**
 * How a chapter page's content changed from the build before (`dev/content-patch.ts`): its top-level
 * nodes strictly between the element with `id` `after` and the one with `id` `before`, both children
 * of `<main>`, are now `html`; the rest of the page is as it was.
 */
export interface ContentPatch {
  after: string
  before: string
  html: string
}

export const devEvent = 'ferrule:dev'

/**
 * What a page sends the server over the channel once it listens: the server answers with a
 * `welcome`, by which the page knows that edits reach it, and which rebuilds it missed.
 */
export const helloEvent = 'ferrule:hello'

/** A diagnostic as the overlay shows it. */
export interface DevDiagnostic {
  file: string
  line: number | null
  column: number | null
  severity: 'error' | 'warning'
  /** Stable name: `ferrule:unknown-rule`. */
  rule: string
  reason: string
  hint: string | null
  /** The page and anchor of the rule (or chapter) the diagnostic is in, from the site root; `null` when none. */
  href: string | null
}

/** What a page carries about the build it was served from, in `<script type="application/json" id={stateId}>`. */
export interface DevPageState {
  build: number
  diagnostics: DevDiagnostic[]
}

export const stateId = 'ferrule-dev-state'
