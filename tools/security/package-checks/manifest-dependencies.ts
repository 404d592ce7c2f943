import type { DependencyKind } from './metadata.ts'

/** A dependency as the manifest declares it, in the terms of the publish metadata. */
export interface ManifestDependency {
  kind: DependencyKind
  target: string | null
  /** The key in the manifest's table. */
  key: string
  /** The crate depended on: `package` when renamed, else the key. */
  name: string
  /** The version requirement as written, `*` when there is none. */
  versionReq: string
  optional: boolean
  features: string[]
  defaultFeatures: boolean
  /** The TOML path of the dependency (`target."cfg(unix)".dependencies.libc`), for findings. */
  field: string
  /** Why the entry cannot be read as a dependency, when it cannot. */
  problem?: string
}

const tables: readonly (readonly [string, DependencyKind])[] = [
  ['dependencies', 'normal'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
]

/** A TOML key as a path segment: bare when it can be, else quoted. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key)
}

/** Every dependency table of a manifest, with its kind, target and TOML path. */
export function* dependencyTables(manifest: Record<string, unknown>): Generator<{ table: Record<string, unknown>; kind: DependencyKind; target: string | null; path: string }> {
  for (const [key, kind] of tables) {
    const table = manifest[key]
    if (isTable(table)) yield { table, kind, target: null, path: key }
  }
  const targets = manifest.target
  if (!isTable(targets)) return
  for (const [target, section] of Object.entries(targets)) {
    if (!isTable(section)) continue
    for (const [key, kind] of tables) {
      const table = section[key]
      if (isTable(table)) yield { table, kind, target, path: `target.${tomlKey(target)}.${key}` }
    }
  }
}

/** The manifest's dependencies, in table order, then key order. */
export function manifestDependencies(manifest: Record<string, unknown>): ManifestDependency[] {
  const dependencies: ManifestDependency[] = []
  for (const { table, kind, target, path } of dependencyTables(manifest)) {
    for (const [key, value] of Object.entries(table)) {
      const field = `${path}.${tomlKey(key)}`
      const base = { kind, target, key, name: key, versionReq: '*', optional: false, features: [], defaultFeatures: true, field }
      if (typeof value === 'string') {
        dependencies.push({ ...base, versionReq: value })
      } else if (isTable(value)) {
        const features = value.features
        const defaultFeatures = value['default-features'] ?? value.default_features
        dependencies.push({
          ...base,
          name: typeof value.package === 'string' ? value.package : key,
          versionReq: typeof value.version === 'string' ? value.version : '*',
          optional: value.optional === true,
          features: Array.isArray(features) ? features.map(String) : [],
          defaultFeatures: defaultFeatures !== false,
        })
      } else {
        dependencies.push({ ...base, problem: `a dependency must be a version string or a table, found ${typeof value}` })
      }
    }
  }
  return dependencies
}

/**
 * A version requirement in one spelling, so that the manifest's `1.0` and the metadata's `^1.0`
 * (cargo sends requirements as its semver library prints them) compare equal: each comma-separated
 * comparator trimmed, a bare version given cargo's default `^`, no space after the operator.
 */
export function normalizeVersionReq(requirement: string): string {
  return requirement
    .split(',')
    .map((comparator) => {
      const match = /^\s*(=|>=|<=|>|<|~|\^)?\s*(.*?)\s*$/.exec(comparator)!
      const version = match[2]!
      if (version === '*' || version === '') return version
      return `${match[1] ?? '^'}${version}`
    })
    .join(', ')
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}
