import type { Finding } from '../findings.ts'
import { type ManifestDependency, manifestDependencies, normalizeVersionReq, tomlKey } from '../manifest-dependencies.ts'
import type { PublishDependency, PublishMetadata } from '../metadata.ts'

// One check, `metadata-mismatch`, over four rules: it is one comparison, field by field, and the
// field of each finding says which rule it is about.
export const ruleId = 'pkg.metadata'
export const nameRuleId = 'pkg.metadata.name'
export const versionRuleId = 'pkg.metadata.version'
export const dependenciesRuleId = 'pkg.metadata.dependencies'
export const featuresRuleId = 'pkg.metadata.features'

const mismatch = (field: string, message: string): Finding => ({ check: 'metadata-mismatch', field, message })
const show = (value: unknown) => (value === undefined ? 'nothing' : `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``)

/**
 * The manifest is the source of truth (`pkg.metadata`): every field of the publish metadata that the
 * registry records (name, version, dependencies, features) must say what the packaged
 * `Cargo.toml` says. Each disagreement is one finding, by field.
 */
export function compareMetadata(manifest: Record<string, unknown>, metadata: PublishMetadata): Finding[] {
  const findings: Finding[] = []
  const pkg = (manifest.package ?? {}) as Record<string, unknown>
  // pkg.metadata.name, pkg.metadata.version
  if (pkg.name !== metadata.name) findings.push(mismatch('package.name', `the metadata names the crate ${show(metadata.name)}, the manifest ${show(pkg.name)}`))
  if (pkg.version !== metadata.vers) findings.push(mismatch('package.version', `the metadata gives version ${show(metadata.vers)}, the manifest ${show(pkg.version)}`))
  findings.push(...compareDependencies(manifestDependencies(manifest), metadata.deps))
  findings.push(...compareFeatures(manifest.features, metadata.features))
  return findings
}

/** `pkg.metadata.dependencies`: matched by kind, target and manifest key; then by key alone. */
function compareDependencies(declared: ManifestDependency[], sent: readonly PublishDependency[]): Finding[] {
  const findings: Finding[] = []
  const keyOf = (kind: string, target: string | null, key: string) => `${kind}\0${target ?? ''}\0${key}`
  const unmatched = new Map<string, PublishDependency>()
  for (const dep of sent) unmatched.set(keyOf(dep.kind, dep.target, dep.explicit_name_in_toml ?? dep.name), dep)
  const leftOver: ManifestDependency[] = []
  for (const dependency of declared) {
    if (dependency.problem !== undefined) {
      findings.push(mismatch(dependency.field, `the manifest's ${dependency.field} cannot be read: ${dependency.problem}`))
      continue
    }
    const key = keyOf(dependency.kind, dependency.target, dependency.key)
    const dep = unmatched.get(key)
    if (dep === undefined) {
      leftOver.push(dependency)
      continue
    }
    unmatched.delete(key)
    findings.push(...compareDependency(dependency, dep))
  }
  // A dependency whose kind or target differs: pair it by its key when that is unambiguous.
  const byKey = new Map<string, PublishDependency[]>()
  for (const dep of unmatched.values()) {
    const key = dep.explicit_name_in_toml ?? dep.name
    byKey.set(key, [...(byKey.get(key) ?? []), dep])
  }
  for (const dependency of leftOver) {
    const candidates = byKey.get(dependency.key) ?? []
    if (candidates.length === 1 && leftOver.filter((other) => other.key === dependency.key).length === 1) {
      const dep = candidates[0]!
      byKey.delete(dependency.key)
      if (dep.kind !== dependency.kind) findings.push(mismatch(`${dependency.field}.kind`, `the metadata makes \`${dependency.key}\` a ${dep.kind} dependency, the manifest a ${dependency.kind} one`))
      if (dep.target !== dependency.target) findings.push(mismatch(`${dependency.field}.target`, `the metadata gives \`${dependency.key}\` the target ${show(dep.target ?? undefined)}, the manifest ${show(dependency.target ?? undefined)}`))
      findings.push(...compareDependency(dependency, dep))
    } else {
      findings.push(mismatch(dependency.field, `the manifest declares ${show(dependency.key)} (${dependency.kind}), the metadata does not`))
    }
  }
  for (const deps of byKey.values()) {
    for (const dep of deps) {
      const key = dep.explicit_name_in_toml ?? dep.name
      const table = dep.kind === 'normal' ? 'dependencies' : `${dep.kind}-dependencies`
      const field = `${dep.target === null ? '' : `target.${tomlKey(dep.target)}.`}${table}.${tomlKey(key)}`
      findings.push(mismatch(field, `the metadata declares ${show(key)} (${dep.kind}), the manifest does not`))
    }
  }
  return findings
}

function compareDependency(dependency: ManifestDependency, dep: PublishDependency): Finding[] {
  const findings: Finding[] = []
  const field = dependency.field
  if (dep.name !== dependency.name) findings.push(mismatch(`${field}.package`, `the metadata depends on the crate ${show(dep.name)}, the manifest on ${show(dependency.name)}`))
  if (normalizeVersionReq(dep.version_req) !== normalizeVersionReq(dependency.versionReq)) {
    findings.push(mismatch(`${field}.version`, `the metadata requires ${show(dep.version_req)}, the manifest ${show(dependency.versionReq)}`))
  }
  if (dep.optional !== dependency.optional) findings.push(mismatch(`${field}.optional`, `the metadata says optional is ${dep.optional}, the manifest ${dependency.optional}`))
  if (dep.default_features !== dependency.defaultFeatures) {
    findings.push(mismatch(`${field}.default-features`, `the metadata says default-features is ${dep.default_features}, the manifest ${dependency.defaultFeatures}`))
  }
  const sentFeatures = [...dep.features].sort()
  const declaredFeatures = [...dependency.features].sort()
  if (sentFeatures.join('\0') !== declaredFeatures.join('\0')) {
    findings.push(mismatch(`${field}.features`, `the metadata enables ${show(sentFeatures)}, the manifest ${show(declaredFeatures)}`))
  }
  return findings
}

/** `pkg.metadata.features`: the same features, each with the same values (in any order). */
function compareFeatures(declared: unknown, sent: Readonly<Record<string, string[]>>): Finding[] {
  const findings: Finding[] = []
  const table = typeof declared === 'object' && declared !== null && !Array.isArray(declared) ? (declared as Record<string, unknown>) : {}
  const names = [...new Set([...Object.keys(table), ...Object.keys(sent)])].sort()
  for (const name of names) {
    const field = `features.${tomlKey(name)}`
    const mine = table[name]
    const theirs = sent[name]
    if (theirs === undefined) findings.push(mismatch(field, `the manifest declares the feature ${show(name)}, the metadata does not`))
    else if (mine === undefined) findings.push(mismatch(field, `the metadata declares the feature ${show(name)}, the manifest does not`))
    else {
      const a = Array.isArray(mine) ? mine.map(String).sort() : undefined
      const b = [...theirs].sort()
      if (a === undefined || a.join('\0') !== b.join('\0')) findings.push(mismatch(field, `the metadata says ${show(b)}, the manifest ${show(a ?? mine)}`))
    }
  }
  return findings
}
