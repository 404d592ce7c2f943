import type { Finding } from '../findings.ts'

export const ruleId = 'pkg.manifest.case'

/** A single root manifest spelled otherwise than `Cargo.toml` (or `cargo.toml`, which older cargo accepted). */
export function manifestCase(paths: readonly string[]): Finding | undefined {
  if (paths.length !== 1) return undefined
  const path = paths[0]!
  const file = path.slice(path.lastIndexOf('/') + 1)
  if (file === 'Cargo.toml' || file === 'cargo.toml') return undefined
  return { check: 'manifest-case', path, message: `The manifest is spelled \`${file}\`, expected \`Cargo.toml\` (or \`cargo.toml\`)` }
}
