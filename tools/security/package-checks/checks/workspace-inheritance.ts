import type { Finding } from '../findings.ts'
import { dependencyTables, isTable, tomlKey } from '../manifest-dependencies.ts'

export const ruleId = 'pkg.manifest.workspace'

/**
 * Each field that still inherits from a workspace: `workspace = ...` in a `[package]` field, in a
 * dependency of any dependency table, or in `[lints]`. cargo package resolves every one of them.
 */
export function workspaceInheritance(manifest: Record<string, unknown>, path: string): Finding[] {
  const fields: string[] = []
  const pkg = manifest.package
  if (isTable(pkg)) for (const [key, value] of Object.entries(pkg)) if (isTable(value) && 'workspace' in value) fields.push(`package.${tomlKey(key)}`)
  for (const { table, path: tablePath } of dependencyTables(manifest)) {
    for (const [key, value] of Object.entries(table)) if (isTable(value) && 'workspace' in value) fields.push(`${tablePath}.${tomlKey(key)}`)
  }
  if (isTable(manifest.lints) && 'workspace' in manifest.lints) fields.push('lints')
  return fields.map((field) => ({
    check: 'workspace-inheritance',
    path,
    field: `${field}.workspace`,
    message: `\`${field}\` inherits from a workspace that is not in the package; cargo package resolves it`,
  }))
}
