import type { Finding } from '../findings.ts'
import { isTable } from '../manifest-dependencies.ts'

export const ruleId = 'pkg.manifest.rust-version'

/** A `package.rust-version` other than digits and dots (an inherited one is left to workspace-inheritance). */
export function rustVersion(manifest: Record<string, unknown>, path: string): Finding | undefined {
  const value = isTable(manifest.package) ? manifest.package['rust-version'] : undefined
  if (value === undefined || isTable(value) || (typeof value === 'string' && /^[0-9]+(\.[0-9]+)*$/.test(value))) return undefined
  return { check: 'rust-version', path, field: 'package.rust-version', message: `\`package.rust-version\` is ${JSON.stringify(value)}, expected digits and dots such as "1.70"` }
}
