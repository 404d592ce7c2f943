import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type BuildResult } from './build.ts'
import type { ResolvedConfig } from './config.ts'

/** Where `ferrule pdf` looks for Chromium: `FERRULE_CHROMIUM`, else Debian's package. */
export function chromiumPath(): string {
  return process.env.FERRULE_CHROMIUM ?? '/usr/bin/chromium'
}

/** Chromium is not where `ferrule pdf` looks: a message that says how to get it. */
export class NoChromiumError extends Error {}

export interface PdfOptions {
  config: ResolvedConfig
  /** The PDF to write. */
  out: string
  strict?: boolean
}

export interface PdfResult {
  build: BuildResult
  /** The PDF written, or `undefined` when the book had errors. */
  file: string | undefined
}

/**
 * Render the whole book to one PDF, from its print page.
 *
 * 1. Make sure Chromium is there, before any work.
 * 2. Build the book into a temporary folder (nothing is written on errors).
 * 3. Open its `print.html` in headless Chromium and print it: A4, a table of contents at the start
 *    (and as the PDF's outline), the page number and count at the foot of each page.
 * 4. Remove the temporary folder, whatever happened.
 */
export async function renderPdf(options: PdfOptions): Promise<PdfResult> {
  // 1.
  const executable = chromiumPath()
  if (!existsSync(executable)) {
    throw new NoChromiumError(`ferrule pdf needs Chromium at \`${executable}\`: install Debian's \`chromium\` (apt-get install -y chromium), or set FERRULE_CHROMIUM to its path`)
  }
  // 2.
  const work = await mkdtemp(path.join(tmpdir(), 'ferrule-pdf-'))
  try {
    const built = await build({ config: { ...options.config, outDir: work }, strict: options.strict })
    if (!built.written) return { build: built, file: undefined }
    // 3.
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath: executable,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await browser.newPage()
      await page.emulateMedia({ media: 'print', colorScheme: 'light' })
      await page.goto(pathToFileURL(path.join(work, 'site', 'print.html')).href, { waitUntil: 'load' })
      await mkdir(path.dirname(path.resolve(options.config.cwd, options.out)), { recursive: true })
      const file = path.resolve(options.config.cwd, options.out)
      await page.pdf({
        path: file,
        format: 'A4',
        margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: '<div style="width: 100%; font-size: 8px; text-align: center; color: #555"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        outline: true,
        tagged: true,
      })
      return { build: built, file }
    } finally {
      await browser.close()
    }
  } finally {
    // 4.
    await rm(work, { recursive: true, force: true })
  }
}
