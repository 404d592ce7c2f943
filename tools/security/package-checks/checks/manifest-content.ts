import { parse, TomlError } from 'smol-toml'
import type { Finding } from '../findings.ts'
import { dependencyTables, isTable, tomlKey } from '../manifest-dependencies.ts'

export const tomlRuleId = 'pkg.manifest.toml'
export const packageRuleId = 'pkg.manifest.package'
export const workspaceRuleId = 'pkg.manifest.workspace'
export const rustVersionRuleId = 'pkg.manifest.rust-version'

/** The manifest parsed, or the finding that says why it cannot be (`pkg.manifest.toml`). */
export function parseManifest(text: string, path: string): { manifest: Record<string, unknown> } | { finding: Finding } {
  try {
    return { manifest: parse(text) as Record<string, unknown> }
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : ''
    const reason = (error as Error).message.split('\n')[0]
    return { finding: { check: 'invalid-toml', path, message: `\`${path}\` is not valid TOML${where}: ${reason}` } }
  }
}

/** `pkg.manifest.package`, `pkg.manifest.workspace` and `pkg.manifest.rust-version` on a parsed manifest. */
export function manifestContentFindings(manifest: Record<string, unknown>, path: string): Finding[] {
  const findings: Finding[] = []
  const pkg = manifest.package
  if (!isTable(pkg)) {
    findings.push({ check: 'missing-package', path, field: 'package', message: `\`${path}\` has no \`[package]\` table` })
  }
  // pkg.manifest.workspace: cargo package replaces every `workspace = true` by the workspace's value.
  const inherited = (field: string) =>
    findings.push({ check: 'workspace-inheritance', path, field: `${field}.workspace`, message: `\`${field}\` inherits from a workspace that is not in the package; cargo package resolves it` })
  if (isTable(pkg)) for (const [key, value] of Object.entries(pkg)) if (isTable(value) && 'workspace' in value) inherited(`package.${tomlKey(key)}`)
  for (const { table, path: tablePath } of dependencyTables(manifest)) {
    for (const [key, value] of Object.entries(table)) if (isTable(value) && 'workspace' in value) inherited(`${tablePath}.${tomlKey(key)}`)
  }
  if (isTable(manifest.lints) && 'workspace' in manifest.lints) inherited('lints')
  // pkg.manifest.rust-version
  const rustVersion = isTable(pkg) ? pkg['rust-version'] : undefined
  if (rustVersion !== undefined && !isTable(rustVersion) && (typeof rustVersion !== 'string' || !/^[0-9]+(\.[0-9]+)*$/.test(rustVersion))) {
    findings.push({
      check: 'rust-version',
      path,
      field: 'package.rust-version',
      message: `\`package.rust-version\` is ${JSON.stringify(rustVersion)}, expected digits and dots such as "1.70"`,
    })
  }
  return findings
}
