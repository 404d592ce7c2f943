import type { Finding } from '../findings.ts'

export const ruleId = 'pkg.manifest.duplicate'

/** More than one root manifest: one finding per manifest, each listing them all in code-unit order. */
export function duplicateManifest(paths: readonly string[]): Finding[] {
  if (paths.length < 2) return []
  // Sorted by code unit, so the list does not depend on the archive's order.
  const sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const listed = sorted.map((path) => `\`${path}\``).join(', ')
  return sorted.map((path) => ({ check: 'duplicate-manifest', path, message: `The package has ${paths.length} root manifests: ${listed}; a tool may read any one of them` }))
}
