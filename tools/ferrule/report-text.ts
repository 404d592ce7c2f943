import type { VFile } from 'vfile'
import { reporter } from 'vfile-reporter'

// Apart from `report.ts`: vfile-reporter and its modules take some 60 ms to load, which a command
// with nothing to report need not pay (the CLI loads this module when a file has messages).

/** Diagnostics as text, by `vfile-reporter`: files with messages only, hints shown. */
export function filesToReport(files: readonly VFile[], options: { quiet?: boolean; color?: boolean } = {}): string {
  const withMessages = files.filter((file) => file.messages.length > 0)
  if (withMessages.length === 0) return ''
  return reporter(withMessages, { quiet: true, silent: options.quiet ?? false, verbose: true, color: options.color ?? false })
}
