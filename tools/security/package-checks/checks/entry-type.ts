import type { Finding } from '../findings.ts'
import type { ArchiveEntry } from '../read-archive.ts'

export const ruleId = 'pkg.entry-type'

/** Anything but a file or a directory: links (which later entries can write through), devices, fifos, ... */
export function entryType(entry: ArchiveEntry): Finding | undefined {
  if (entry.type === 'file' || entry.type === 'directory') return undefined
  const path = entry.shownPath
  const only = 'only files and directories are allowed'
  if (entry.type === 'symlink') return { check: 'entry-type', path, message: `\`${path}\` is a symbolic link (to \`${entry.linkname ?? ''}\`); ${only}` }
  if (entry.type === 'link') return { check: 'entry-type', path, message: `\`${path}\` is a hard link (to \`${entry.linkname ?? ''}\`); ${only}` }
  const what = entry.type === null ? 'an entry of an unknown type' : `a ${entry.type} entry`
  return { check: 'entry-type', path, message: `\`${path}\` is ${what}; ${only}` }
}
