import type { Finding } from '../findings.ts'
import type { ArchiveEntry } from '../read-archive.ts'

export const ruleId = 'pkg.path.prefix'

/** An entry outside the package's folder `prefix` (`{name}-{version}`). */
export function outsidePrefix(entry: ArchiveEntry, prefix: string): Finding | undefined {
  if (entry.path.split('/')[0] === prefix) return undefined
  const path = entry.shownPath
  return { check: 'outside-prefix', path, message: `The path \`${path}\` is outside \`${prefix}/\`, where every entry of this package must be` }
}
