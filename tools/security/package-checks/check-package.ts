import { duplicateManifest } from './checks/duplicate-manifest.ts'
import { entryType } from './checks/entry-type.ts'
import { parseManifest } from './checks/invalid-toml.ts'
import { manifestCase } from './checks/manifest-case.ts'
import { compareMetadata } from './checks/metadata-mismatch.ts'
import { missingManifest } from './checks/missing-manifest.ts'
import { missingPackage } from './checks/missing-package.ts'
import { nonUtf8Name } from './checks/non-utf8-name.ts'
import { outsidePrefix } from './checks/outside-prefix.ts'
import { paxSizeMismatch } from './checks/pax-size-mismatch.ts'
import { rustVersion } from './checks/rust-version.ts'
import { unsafePath } from './checks/unsafe-path.ts'
import { workspaceInheritance } from './checks/workspace-inheritance.ts'
import { type Finding, FindingList, type PackageCheckName } from './findings.ts'
import { type CheckPackageOptions, resolveOptions } from './options.ts'
import { type CrateSource, readArchive } from './read-archive.ts'
import { isTable } from './manifest-dependencies.ts'
import { splitTopFolder } from './top-folder.ts'

/** The outcome of checking one package. */
export interface PackageReport {
  /** True when there is no finding. */
  accepted: boolean
  /** The name and version checked against: the options', else the top folder's (undefined when it has none). */
  name: string | undefined
  version: string | undefined
  /** At most `maxFindingsPerCheck` per check, in the order found: archive order, then manifest, then metadata. */
  findings: Finding[]
  /** Findings beyond the per-check limit, counted by check. */
  suppressed: Partial<Record<PackageCheckName, number>>
  /** Archive entries read. */
  entries: number
  /** Decompressed bytes read; past the size limit, the limit + 1 (reading stops in the chunk that passes it). */
  bytes: number
}

interface RootManifest {
  path: string
  text: string | undefined
}

/**
 * Check a `.crate` file (`pkg.intro`), read once as a stream:
 *
 * 1. Each entry: the entry limit, its path, its type, its pax size; root manifests are kept (up to
 *    the manifest size limit). Reading stops at the first pax-size mismatch or past a limit.
 * 2. How reading ended: a corrupt archive or the size limit is a finding.
 * 3. The root manifests: none, several, or one spelled otherwise than `Cargo.toml`.
 * 4. The one manifest: TOML, `[package]`, workspace inheritance, `rust-version`, and the name and
 *    version it gives against the expected ones.
 * 5. The publish metadata against the manifest, when given.
 */
export async function checkPackage(source: CrateSource, options?: CheckPackageOptions): Promise<PackageReport> {
  const settings = resolveOptions(options)
  const findings = new FindingList(settings.maxFindingsPerCheck)
  let prefix = settings.name === undefined ? undefined : `${settings.name}-${settings.version}`
  let expected = settings.name === undefined ? undefined : { name: settings.name, version: settings.version! }
  let seen = 0
  const manifests: RootManifest[] = []

  // 1.
  const outcome = await readArchive(source, { maxBytes: settings.maxBytes }, async (entry, content) => {
    seen++
    if (seen === 1 && prefix === undefined) {
      const folder = entry.path.split('/')[0]!
      expected = entry.utf8 && folder !== '..' && folder !== '.' ? splitTopFolder(folder) : undefined
      if (expected === undefined) {
        findings.add({ check: 'top-folder', path: entry.shownPath, message: `The first entry \`${entry.shownPath}\` is not in a folder \`{name}-{version}\` with a semantic version` })
      } else {
        prefix = folder
      }
    }
    if (seen > settings.maxEntries) {
      findings.add({ check: 'too-many-entries', path: entry.shownPath, message: `The package has more than ${settings.maxEntries} entries; reading stopped at \`${entry.shownPath}\`` })
      return 'stop'
    }
    // A path that is not UTF-8 or escapes the folder has no prefix worth comparing: one path finding.
    const pathProblem = nonUtf8Name(entry) ?? unsafePath(entry) ?? (prefix === undefined ? undefined : outsidePrefix(entry, prefix))
    if (pathProblem) findings.add(pathProblem)
    const typeProblem = entryType(entry)
    if (typeProblem) findings.add(typeProblem)
    const paxProblem = paxSizeMismatch(entry)
    if (paxProblem) {
      findings.add(paxProblem)
      return 'stop'
    }
    const components = entry.path.split('/')
    if (!pathProblem && entry.type !== 'directory' && components.length === 2 && components[1]!.toLowerCase() === 'cargo.toml') {
      const manifest: RootManifest = { path: entry.shownPath, text: undefined }
      manifests.push(manifest)
      if (entry.type === 'file') manifest.text = await readManifest(content, settings.maxManifestBytes, entry.shownPath, findings)
    }
    return 'continue'
  })
  // 2.
  if (outcome.end.kind === 'corrupt') {
    findings.add({ check: 'corrupt-archive', message: `The file is not a readable gzip'd tar archive: ${outcome.end.message}` })
  } else if (outcome.end.kind === 'too-large') {
    findings.add({ check: 'too-large', message: `The package is more than ${settings.maxBytes} bytes once decompressed; reading stopped there` })
  }

  // 3. Only a complete read knows every manifest.
  if (outcome.end.kind === 'complete') {
    const paths = manifests.map((m) => m.path)
    for (const finding of [missingManifest(paths, prefix), ...duplicateManifest(paths), manifestCase(paths)]) if (finding) findings.add(finding)
  }

  // 4.
  const manifest = manifests.length === 1 && outcome.end.kind === 'complete' ? manifests[0]! : undefined
  if (manifest?.text !== undefined) {
    const parsed = parseManifest(manifest.text, manifest.path)
    if ('finding' in parsed) findings.add(parsed.finding)
    else {
      const { manifest: toml } = parsed
      for (const finding of [missingPackage(toml, manifest.path), ...workspaceInheritance(toml, manifest.path), rustVersion(toml, manifest.path)]) if (finding) findings.add(finding)
      const pkg = (parsed.manifest.package ?? {}) as Record<string, unknown>
      if (expected !== undefined && isTable(parsed.manifest.package)) {
        // An inherited field (a table) is reported as workspace inheritance, not as a mismatch.
        if (!isTable(pkg.name) && pkg.name !== expected.name) {
          findings.add({ check: 'name-mismatch', path: manifest.path, field: 'package.name', message: `The manifest names the crate ${show(pkg.name)}, the package is \`${expected.name}\`` })
        }
        if (!isTable(pkg.version) && pkg.version !== expected.version) {
          findings.add({ check: 'version-mismatch', path: manifest.path, field: 'package.version', message: `The manifest gives version ${show(pkg.version)}, the package is \`${expected.version}\`` })
        }
      }
      // 5.
      if (settings.metadata !== undefined) for (const finding of compareMetadata(parsed.manifest, settings.metadata)) findings.add(finding)
    }
  }

  return {
    accepted: findings.findings.length === 0,
    name: expected?.name,
    version: expected?.version,
    findings: findings.findings,
    suppressed: findings.suppressed,
    entries: outcome.entries,
    bytes: outcome.bytes,
  }
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : typeof value === 'string' ? `\`${value}\`` : JSON.stringify(value)
}

/** A root manifest's text, or undefined (with a finding) past the limit, `pkg.limit.manifest`. */
async function readManifest(content: AsyncIterable<Uint8Array>, limit: number, path: string, findings: FindingList): Promise<string | undefined> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of content) {
    size += chunk.length
    if (size > limit) {
      findings.add({ check: 'manifest-too-large', path, message: `\`${path}\` is more than ${limit} bytes` })
      return undefined
    }
    chunks.push(chunk)
  }
  // TOML is UTF-8; other bytes are left for the parser to reject, as U+FFFD.
  return Buffer.concat(chunks).toString('utf8')
}
