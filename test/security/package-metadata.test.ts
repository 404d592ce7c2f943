import { describe, expect, test } from 'vitest'
import { checkPackage, MetadataError, normalizeVersionReq, packCrate, parsePublishMetadata, type PublishMetadata } from '../../tools/security/package-checks/index.ts'

const manifest = [
  '[package]',
  'name = "demo"',
  'version = "0.1.0"',
  '',
  '[dependencies]',
  'serde = { version = "1.0", features = ["derive", "std"], default-features = false }',
  'json = { package = "serde_json", version = ">= 1.0.100, < 2", optional = true }',
  '',
  '[dev-dependencies]',
  'proptest = "1"',
  '',
  '[target."cfg(unix)".dependencies]',
  'libc = "0.2"',
  '',
  '[build-dependencies]',
  'cc = "1.0.83"',
  '',
  '[features]',
  'default = ["std"]',
  'std = ["serde/std"]',
  'json = ["dep:json"]',
  '',
].join('\n')

const dep = (fields: Partial<PublishMetadata['deps'][number]> & { name: string; version_req: string }) => ({
  features: [],
  optional: false,
  default_features: true,
  target: null,
  kind: 'normal' as const,
  explicit_name_in_toml: null,
  ...fields,
})

/** What cargo would send for `manifest` (requirements as cargo's semver library prints them). */
const honest = (): PublishMetadata => ({
  name: 'demo',
  vers: '0.1.0',
  deps: [
    dep({ name: 'serde', version_req: '^1.0', features: ['std', 'derive'], default_features: false }),
    dep({ name: 'serde_json', version_req: '>=1.0.100, <2', optional: true, explicit_name_in_toml: 'json' }),
    dep({ name: 'proptest', version_req: '^1', kind: 'dev' }),
    dep({ name: 'libc', version_req: '^0.2', target: 'cfg(unix)' }),
    dep({ name: 'cc', version_req: '^1.0.83', kind: 'build' }),
  ],
  features: { json: ['dep:json'], std: ['serde/std'], default: ['std'] },
})

async function mismatches(metadata: PublishMetadata, text = manifest) {
  const report = await checkPackage(packCrate([{ path: 'demo-0.1.0/Cargo.toml', content: text }]), { metadata })
  return report.findings.map((finding) => [finding.check, finding.field, finding.message])
}

describe('publish metadata against the manifest', () => {
  test('[pkg.metadata] accepts metadata that says what the manifest says', async () => {
    expect(await mismatches(honest())).toEqual([])
  })

  test('[pkg.metadata.name] reports a name that differs from the manifest\'s', async () => {
    expect(await mismatches({ ...honest(), name: 'demo-evil' })).toEqual([
      ['metadata-mismatch', 'package.name', 'the metadata names the crate `demo-evil`, the manifest `demo`'],
    ])
  })

  test('[pkg.metadata.version] reports a version that differs from the manifest\'s', async () => {
    expect(await mismatches({ ...honest(), vers: '0.1.1' })).toEqual([
      ['metadata-mismatch', 'package.version', 'the metadata gives version `0.1.1`, the manifest `0.1.0`'],
    ])
  })

  test('[pkg.metadata.dependencies] reports each dependency field that differs', async () => {
    const metadata = honest()
    metadata.deps[0] = dep({ name: 'serde', version_req: '^1.0.0', features: ['derive'], default_features: true })
    metadata.deps[1] = dep({ name: 'serde-json-evil', version_req: '>=1.0.100, <2', optional: false, explicit_name_in_toml: 'json' })
    expect(await mismatches(metadata)).toEqual([
      ['metadata-mismatch', 'dependencies.serde.version', 'the metadata requires `^1.0.0`, the manifest `1.0`'],
      ['metadata-mismatch', 'dependencies.serde.default-features', 'the metadata says default-features is true, the manifest false'],
      ['metadata-mismatch', 'dependencies.serde.features', 'the metadata enables `["derive"]`, the manifest `["derive","std"]`'],
      ['metadata-mismatch', 'dependencies.json.package', 'the metadata depends on the crate `serde-json-evil`, the manifest on `serde_json`'],
      ['metadata-mismatch', 'dependencies.json.optional', 'the metadata says optional is false, the manifest true'],
    ])
  })

  test('[pkg.metadata.dependencies] reports a dependency missing on either side, and a kind or target that differs', async () => {
    const metadata = honest()
    metadata.deps = metadata.deps.filter((d) => d.name !== 'cc')
    metadata.deps.push(dep({ name: 'evil', version_req: '^6.6.6' }))
    metadata.deps[2] = dep({ name: 'proptest', version_req: '^1', kind: 'normal' })
    metadata.deps[3] = dep({ name: 'libc', version_req: '^0.2', target: 'cfg(windows)' })
    expect((await mismatches(metadata)).map(([, field, message]) => [field, message])).toEqual([
      // In the manifest's order of tables: root tables, then target tables.
      ['dev-dependencies.proptest.kind', 'the metadata makes `proptest` a normal dependency, the manifest a dev one'],
      ['build-dependencies.cc', 'the manifest declares `cc` (build), the metadata does not'],
      ['target."cfg(unix)".dependencies.libc.target', 'the metadata gives `libc` the target `cfg(windows)`, the manifest `cfg(unix)`'],
      ['dependencies.evil', 'the metadata declares `evil` (normal), the manifest does not'],
    ])
  })

  test('[pkg.metadata.dependencies] compares version requirements as cargo does, not as text', () => {
    expect(normalizeVersionReq('1.0')).toBe('^1.0')
    expect(normalizeVersionReq('>= 1.0.100,< 2')).toBe('>=1.0.100, <2')
    expect(normalizeVersionReq('=1.2.3')).toBe('=1.2.3')
    expect(normalizeVersionReq('*')).toBe('*')
    expect(normalizeVersionReq('~1')).not.toBe(normalizeVersionReq('^1'))
  })

  test('[pkg.metadata.features] reports features that differ, are missing or are extra', async () => {
    const metadata = honest()
    metadata.features = { default: ['std', 'json'], std: ['serde/std'], backdoor: ['dep:evil'] }
    expect((await mismatches(metadata)).map(([, field, message]) => [field, message])).toEqual([
      ['features.backdoor', 'the metadata declares the feature `backdoor`, the manifest does not'],
      ['features.default', 'the metadata says `["json","std"]`, the manifest `["std"]`'],
      ['features.json', 'the manifest declares the feature `json`, the metadata does not'],
    ])
  })

  test('[pkg.metadata] publish metadata that cannot be read names the file and the field', () => {
    expect(parsePublishMetadata({ name: 'a', vers: '1.0.0' })).toEqual({ name: 'a', vers: '1.0.0', deps: [], features: {} })
    expect(() => parsePublishMetadata({ name: 'a' }, 'meta.json')).toThrow(new MetadataError('meta.json: `vers` must be a string, found undefined'))
    expect(() => parsePublishMetadata({ name: 'a', vers: '1', deps: [{ name: 'b', version_req: '1', kind: 'peer' }] }, 'm.json')).toThrow(
      'm.json: `deps[0].kind` must be "normal", "dev" or "build", found "peer"',
    )
    expect(() => parsePublishMetadata([], 'm.json')).toThrow('m.json: `.` must be an object')
  })
})
