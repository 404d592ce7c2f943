import type { Finding } from '../findings.ts'
import type { ArchiveEntry } from '../read-archive.ts'

export const ruleId = 'pkg.path.unsafe'

/** An absolute path, or one with a `..` component: unpacked naively, it writes outside the package. */
export function unsafePath(entry: ArchiveEntry): Finding | undefined {
  const path = entry.shownPath
  if (entry.path.startsWith('/')) return { check: 'unsafe-path', path, message: `The path \`${path}\` is absolute` }
  if (entry.path.split('/').includes('..')) return { check: 'unsafe-path', path, message: `The path \`${path}\` has a \`..\` component` }
  return undefined
}
