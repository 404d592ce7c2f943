import type { Finding } from '../findings.ts'
import { isTable } from '../manifest-dependencies.ts'

export const ruleId = 'pkg.manifest.package'

/** A manifest without a `[package]` table. */
export function missingPackage(manifest: Record<string, unknown>, path: string): Finding | undefined {
  if (isTable(manifest.package)) return undefined
  return { check: 'missing-package', path, field: 'package', message: `\`${path}\` has no \`[package]\` table` }
}
