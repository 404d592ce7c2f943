// Crate-package checks (spec: security/package-checks.md): is a `.crate` file safe to unpack, and
// does its packaged `Cargo.toml` say what the publish metadata says?
export { type PackageReport, checkPackage } from './check-package.ts'
export type { Finding, PackageCheckName } from './findings.ts'
export { type DependencyKind, MetadataError, type PublishDependency, type PublishMetadata, parsePublishMetadata } from './metadata.ts'
export { normalizeVersionReq } from './manifest-dependencies.ts'
export {
  type CheckPackageOptions,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_FINDINGS_PER_CHECK,
  DEFAULT_MAX_MANIFEST_BYTES,
} from './options.ts'
export { type CrateEntry, packCrate } from './pack-crate.ts'
export type { CrateSource } from './read-archive.ts'
export { splitTopFolder } from './top-folder.ts'
