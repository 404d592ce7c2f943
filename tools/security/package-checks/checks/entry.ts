import type { ArchiveEntry } from '../read-archive.ts'
import type { Finding } from '../findings.ts'

// The checks of one archive entry, each on its own rule.
export const utf8RuleId = 'pkg.path.utf8'
export const unsafeRuleId = 'pkg.path.unsafe'
export const prefixRuleId = 'pkg.path.prefix'
export const typeRuleId = 'pkg.entry-type'
export const paxSizeRuleId = 'pkg.pax-size'

/**
 * The path problem of an entry, if any: the first of `pkg.path.utf8`, `pkg.path.unsafe` and
 * `pkg.path.prefix` that it breaks (a path that is not UTF-8 or that escapes the folder has no
 * meaningful prefix to compare). `prefix` is the `{name}-{version}` folder, or undefined when it is
 * not known (then only the first two apply).
 */
export function pathFinding(entry: ArchiveEntry, prefix: string | undefined): Finding | undefined {
  const path = entry.shownPath
  if (!entry.utf8) return { check: 'non-utf8-name', path, message: `The path \`${path}\` is not valid UTF-8` }
  const components = entry.path.split('/')
  if (entry.path.startsWith('/')) return { check: 'unsafe-path', path, message: `The path \`${path}\` is absolute` }
  if (components.includes('..')) return { check: 'unsafe-path', path, message: `The path \`${path}\` has a \`..\` component` }
  if (prefix !== undefined && components[0] !== prefix) {
    return { check: 'outside-prefix', path, message: `The path \`${path}\` is outside \`${prefix}/\`, where every entry of this package must be` }
  }
  return undefined
}

/** `pkg.entry-type`: files and directories only. */
export function typeFinding(entry: ArchiveEntry): Finding | undefined {
  if (entry.type === 'file' || entry.type === 'directory') return undefined
  const path = entry.shownPath
  if (entry.type === 'symlink') return { check: 'entry-type', path, message: `\`${path}\` is a symbolic link (to \`${entry.linkname ?? ''}\`); only files and directories are allowed` }
  if (entry.type === 'link') return { check: 'entry-type', path, message: `\`${path}\` is a hard link (to \`${entry.linkname ?? ''}\`); only files and directories are allowed` }
  const what = entry.type === null ? 'an entry of an unknown type' : `a ${entry.type} entry`
  return { check: 'entry-type', path, message: `\`${path}\` is ${what}; only files and directories are allowed` }
}

/**
 * `pkg.pax-size`: a pax `size` record that disagrees with the ustar header's size field. Readers
 * that honour the pax record and readers that do not then see different entries after this one
 * (the file smuggling of CVE-2025-62518), so nothing after it can be trusted.
 */
export function paxSizeFinding(entry: ArchiveEntry): Finding | undefined {
  if (entry.paxSize === undefined) return undefined
  const paxSize = /^[0-9]+$/.test(entry.paxSize) ? Number(entry.paxSize) : undefined
  if (paxSize !== undefined && paxSize === entry.headerSize) return undefined
  const path = entry.shownPath
  return {
    check: 'pax-size-mismatch',
    path,
    message: `The pax header of \`${path}\` gives the size ${JSON.stringify(entry.paxSize)}, its tar header ${entry.headerSize ?? 'no valid size'}; the rest of the archive is ambiguous and was not read`,
  }
}
