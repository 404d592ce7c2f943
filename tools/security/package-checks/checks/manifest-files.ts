import type { Finding } from '../findings.ts'

export const missingRuleId = 'pkg.manifest.missing'
export const duplicateRuleId = 'pkg.manifest.duplicate'
export const caseRuleId = 'pkg.manifest.case'

/**
 * The root-level manifests, found by name: each entry directly in the package folder whose name,
 * lower-cased, is `cargo.toml`. One is expected, spelled `Cargo.toml` (or `cargo.toml`, which
 * older cargo accepted).
 */
export function manifestFileFindings(paths: readonly string[], prefix: string | undefined): Finding[] {
  if (paths.length === 0) {
    if (prefix === undefined) return [{ check: 'missing-manifest', message: 'The package has no top folder, so no `{name}-{version}/Cargo.toml`' }]
    return [{ check: 'missing-manifest', path: `${prefix}/Cargo.toml`, message: `The package has no \`Cargo.toml\` in \`${prefix}/\`` }]
  }
  if (paths.length > 1) {
    // Sorted by code unit, so the list does not depend on the archive's order.
    const sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return sorted.map((path) => ({
      check: 'duplicate-manifest' as const,
      path,
      message: `The package has ${paths.length} root manifests: ${sorted.map((p) => `\`${p}\``).join(', ')}; a tool may read any one of them`,
    }))
  }
  const path = paths[0]!
  const file = path.slice(path.lastIndexOf('/') + 1)
  if (file !== 'Cargo.toml' && file !== 'cargo.toml') {
    return [{ check: 'manifest-case', path, message: `The manifest is spelled \`${file}\`, expected \`Cargo.toml\` (or \`cargo.toml\`)` }]
  }
  return []
}
