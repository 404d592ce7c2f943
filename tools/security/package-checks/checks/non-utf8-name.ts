import type { Finding } from '../findings.ts'
import type { ArchiveEntry } from '../read-archive.ts'

export const ruleId = 'pkg.path.utf8'

/** A path that is not valid UTF-8, or holds U+FFFD, which readers put in place of bytes that are not. */
export function nonUtf8Name(entry: ArchiveEntry): Finding | undefined {
  if (entry.utf8) return undefined
  return { check: 'non-utf8-name', path: entry.shownPath, message: `The path \`${entry.shownPath}\` is not valid UTF-8` }
}
