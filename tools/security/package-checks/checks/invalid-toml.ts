import { parse, TomlError } from 'smol-toml'
import type { Finding } from '../findings.ts'

export const ruleId = 'pkg.manifest.toml'

/** The manifest parsed by smol-toml, or the finding that says where and why it is not TOML. */
export function parseManifest(text: string, path: string): { manifest: Record<string, unknown> } | { finding: Finding } {
  try {
    return { manifest: parse(text) as Record<string, unknown> }
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : ''
    const reason = (error as Error).message.split('\n')[0]
    return { finding: { check: 'invalid-toml', path, message: `\`${path}\` is not valid TOML${where}: ${reason}` } }
  }
}
