import type { Finding } from '../findings.ts'
import type { ArchiveEntry } from '../read-archive.ts'

export const ruleId = 'pkg.pax-size'

/**
 * A pax `size` record that disagrees with the ustar header's size field. Readers that honour the
 * pax record and readers that do not then see different entries after this one (the file
 * smuggling of CVE-2025-62518), so nothing after it can be trusted.
 */
export function paxSizeMismatch(entry: ArchiveEntry): Finding | undefined {
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
