import type { Finding } from '../findings.ts'

export const ruleId = 'pkg.manifest.missing'

/** No root manifest among `paths` (the root-level entries whose name, lower-cased, is `cargo.toml`). */
export function missingManifest(paths: readonly string[], prefix: string | undefined): Finding | undefined {
  if (paths.length > 0) return undefined
  if (prefix === undefined) return { check: 'missing-manifest', message: 'The package has no top folder, so no `{name}-{version}/Cargo.toml`' }
  return { check: 'missing-manifest', path: `${prefix}/Cargo.toml`, message: `The package has no \`Cargo.toml\` in \`${prefix}/\`` }
}
