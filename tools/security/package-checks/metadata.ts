/** The kinds of dependency, as cargo's publish metadata names them. */
export type DependencyKind = 'normal' | 'dev' | 'build'

/** One dependency in cargo's publish metadata. */
export interface PublishDependency {
  /** The crate depended on (the manifest's `package` when renamed). */
  name: string
  version_req: string
  features: string[]
  optional: boolean
  default_features: boolean
  /** A `cfg(...)` expression or target triple, or null. */
  target: string | null
  kind: DependencyKind
  /** The key in the manifest when the dependency is renamed, else null. */
  explicit_name_in_toml: string | null
}

/**
 * The publish metadata cargo sends with a package (the JSON part of `PUT /api/v1/crates/new`),
 * reduced to what the package checks compare with the manifest (`pkg.metadata`).
 */
export interface PublishMetadata {
  name: string
  vers: string
  deps: PublishDependency[]
  features: Record<string, string[]>
}

/** Publish metadata that cannot be used; names the file and the JSON path at fault. */
export class MetadataError extends Error {
  override name = 'MetadataError'
}

/**
 * Read publish metadata from parsed JSON. Fields other than these are ignored; `deps` and
 * `features` default to empty; a missing or ill-typed field is a {@link MetadataError} that names
 * `file` and the field.
 */
export function parsePublishMetadata(value: unknown, file = 'metadata.json'): PublishMetadata {
  const fail = (where: string, expected: string, found: unknown): never => {
    throw new MetadataError(`${file}: \`${where}\` must be ${expected}, found ${JSON.stringify(found) ?? String(found)}`)
  }
  if (!isObject(value)) return fail('.', 'an object', value)
  const string = (where: string, found: unknown) => (typeof found === 'string' ? found : fail(where, 'a string', found))
  const strings = (where: string, found: unknown) =>
    Array.isArray(found) && found.every((item) => typeof item === 'string') ? (found as string[]) : fail(where, 'an array of strings', found)
  const boolean = (where: string, found: unknown, fallback: boolean) =>
    found === undefined ? fallback : typeof found === 'boolean' ? found : fail(where, 'a boolean', found)
  const nullableString = (where: string, found: unknown) => (found === undefined || found === null ? null : string(where, found))

  const deps = value.deps === undefined ? [] : Array.isArray(value.deps) ? value.deps : fail('deps', 'an array', value.deps)
  const features = value.features === undefined ? {} : isObject(value.features) ? value.features : fail('features', 'an object', value.features)
  return {
    name: string('name', value.name),
    vers: string('vers', value.vers),
    deps: deps.map((dep: unknown, index: number): PublishDependency => {
      const at = `deps[${index}]`
      if (!isObject(dep)) return fail(at, 'an object', dep)
      const kind = dep.kind ?? 'normal'
      if (kind !== 'normal' && kind !== 'dev' && kind !== 'build') return fail(`${at}.kind`, '"normal", "dev" or "build"', kind)
      return {
        name: string(`${at}.name`, dep.name),
        version_req: string(`${at}.version_req`, dep.version_req),
        features: dep.features === undefined ? [] : strings(`${at}.features`, dep.features),
        optional: boolean(`${at}.optional`, dep.optional, false),
        default_features: boolean(`${at}.default_features`, dep.default_features, true),
        target: nullableString(`${at}.target`, dep.target),
        kind,
        explicit_name_in_toml: nullableString(`${at}.explicit_name_in_toml`, dep.explicit_name_in_toml),
      }
    }),
    features: Object.fromEntries(Object.entries(features).map(([feature, values]) => [feature, strings(`features.${feature}`, values)])),
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
