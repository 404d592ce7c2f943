import { spawnSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { type CrateEntry, checkPackage, DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, packCrate, splitTopFolder } from '../../tools/security/package-checks/index.ts'
import { crateFile, crateWithRawName, demo, manifest } from './helpers/crate-files.ts'

const hasCargo = spawnSync('cargo', ['-V']).status === 0
const hasTar = spawnSync('tar', ['--version']).status === 0
const fixtures = path.resolve(import.meta.dirname ?? '.', '../fixtures/security')

/** `[check, path]` of each finding. */
async function findings(entries: CrateEntry[], options?: Parameters<typeof checkPackage>[1]) {
  const report = await checkPackage(packCrate(entries), options)
  return report.findings.map((finding) => [finding.check, finding.path ?? finding.field])
}

describe('checkPackage', () => {
  test('[pkg.intro] accepts a well-formed crate, read from a buffer, chunks or a stream', async () => {
    const bytes = await crateFile(demo())
    for (const source of [bytes, [bytes.subarray(0, 10), bytes.subarray(10)], packCrate(demo())]) {
      const report = await checkPackage(source)
      expect(report).toMatchObject({ accepted: true, name: 'demo', version: '0.1.0', findings: [], entries: 2 })
    }
    expect(DEFAULT_MAX_ENTRIES).toBe(20_000)
    expect(DEFAULT_MAX_BYTES).toBe(512 * 1024 * 1024)
  })

  test('[pkg.intro] accepts a crate made by `cargo package` of a workspace member', async (context) => {
    if (!hasCargo) return context.skip('cargo is not on PATH, so no crate can be packaged')
    const work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-cargo-'))
    try {
      await cp(path.join(fixtures, 'cargo-workspace'), path.join(work, 'src'), { recursive: true })
      const result = spawnSync('cargo', ['package', '--offline', '--no-verify', '--allow-dirty', '-p', 'ferrule-fixture', '--target-dir', path.join(work, 'target')], {
        cwd: path.join(work, 'src'),
        encoding: 'utf8',
      })
      expect(result.status, result.stderr).toBe(0)
      const file = path.join(work, 'target/package/ferrule-fixture-0.3.1.crate')
      const metadata = {
        name: 'ferrule-fixture',
        vers: '0.3.1',
        deps: [],
        features: { default: ['std'], std: [] },
      }
      const report = await checkPackage(createReadStream(file), { metadata })
      expect(report.findings).toEqual([])
      expect(report).toMatchObject({ accepted: true, name: 'ferrule-fixture', version: '0.3.1' })
      // The member's own manifest inherits from the workspace; the packaged one does not.
      expect((await readdir(path.join(work, 'target/package'))).sort()).toContain('ferrule-fixture-0.3.1.crate')
      const lying = await checkPackage(createReadStream(file), { metadata: { ...metadata, vers: '0.3.2', features: { default: [] } } })
      expect(lying.findings.map((f) => f.field)).toEqual(['package.version', 'features.default', 'features.std'])
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  test('[pkg.intro] what packCrate writes, GNU tar reads', async (context) => {
    if (!hasTar) return context.skip('tar is not on PATH, so nothing else can read the archive')
    const listing = spawnSync('tar', ['-tzv'], { input: await crateFile(demo({ path: 'demo-0.1.0/src/a b.rs', content: 'x' })), encoding: 'utf8' })
    expect(listing.status).toBe(0)
    expect(listing.stdout).toMatch(/demo-0\.1\.0\/Cargo\.toml/)
    expect(listing.stdout).toMatch(/2006-07-2\d/)
    expect(listing.stdout).toMatch(/demo-0\.1\.0\/src\/a b\.rs/)
  })

  test('[pkg.path.prefix] rejects an entry outside `{name}-{version}/`', async () => {
    expect(await findings(demo({ path: 'other-0.1.0/evil.rs', content: 'x' }, { path: 'demo-0.1.0.rs', content: 'x' }))).toEqual([
      ['outside-prefix', 'other-0.1.0/evil.rs'],
      ['outside-prefix', 'demo-0.1.0.rs'],
    ])
    // With a name and version given, every entry of another folder is outside.
    expect(await findings(demo(), { name: 'demo', version: '0.2.0' })).toEqual([
      ['outside-prefix', 'demo-0.1.0/Cargo.toml'],
      ['outside-prefix', 'demo-0.1.0/src/lib.rs'],
      ['missing-manifest', 'demo-0.2.0/Cargo.toml'],
    ])
  })

  test('[pkg.path.unsafe] rejects path traversal and absolute paths, naming the path', async () => {
    const report = await checkPackage(packCrate(demo({ path: 'demo-0.1.0/../../../etc/cron.d/evil', content: '* * * * * root sh' }, { path: '/etc/passwd', content: 'x' })))
    expect(report.findings).toEqual([
      { check: 'unsafe-path', path: 'demo-0.1.0/../../../etc/cron.d/evil', message: 'The path `demo-0.1.0/../../../etc/cron.d/evil` has a `..` component' },
      { check: 'unsafe-path', path: '/etc/passwd', message: 'The path `/etc/passwd` is absolute' },
    ])
    // A first entry that escapes gives no top folder to check the others against.
    expect(await findings([{ path: '../demo-0.1.0/Cargo.toml', content: manifest('demo', '0.1.0') }])).toEqual([
      ['top-folder', '../demo-0.1.0/Cargo.toml'],
      ['unsafe-path', '../demo-0.1.0/Cargo.toml'],
      ['missing-manifest', undefined],
    ])
  })

  test('[pkg.path.utf8] rejects a name that is not UTF-8, showing its bytes', async () => {
    const name = Buffer.concat([Buffer.from('demo-0.1.0/src/'), Buffer.from([0xff, 0xfe]), Buffer.from('.rs')])
    const report = await checkPackage(await crateWithRawName(name))
    expect(report.findings).toEqual([{ check: 'non-utf8-name', path: 'demo-0.1.0/src/\\xFF\\xFE.rs', message: 'The path `demo-0.1.0/src/\\xFF\\xFE.rs` is not valid UTF-8' }])
    // Valid UTF-8 outside ASCII is fine; a pax path with U+FFFD (what a reader shows for bad bytes) is not.
    expect(await findings(demo({ path: 'demo-0.1.0/src/ünïcode.rs', content: 'x' }))).toEqual([])
    expect(await findings(demo({ path: 'demo-0.1.0/src/\uFFFD.rs', content: 'x' }))).toEqual([['non-utf8-name', 'demo-0.1.0/src/\\u{FFFD}.rs']])
  })

  test('[pkg.entry-type] rejects symlinks (to /etc/passwd), hard links and other entry types', async () => {
    const report = await checkPackage(
      packCrate(
        demo(
          { path: 'demo-0.1.0/passwd', type: 'symlink', linkname: '/etc/passwd' },
          { path: 'demo-0.1.0/lib-copy.rs', type: 'link', linkname: 'demo-0.1.0/src/lib.rs' },
          { path: 'demo-0.1.0/pipe', type: 'fifo' },
          { path: 'demo-0.1.0/tty', type: 'character-device' },
          { path: 'demo-0.1.0/src/', type: 'directory' },
        ),
      ),
    )
    expect(report.findings.map((f) => [f.check, f.path, f.message])).toEqual([
      ['entry-type', 'demo-0.1.0/passwd', '`demo-0.1.0/passwd` is a symbolic link (to `/etc/passwd`); only files and directories are allowed'],
      ['entry-type', 'demo-0.1.0/lib-copy.rs', '`demo-0.1.0/lib-copy.rs` is a hard link (to `demo-0.1.0/src/lib.rs`); only files and directories are allowed'],
      ['entry-type', 'demo-0.1.0/pipe', '`demo-0.1.0/pipe` is a fifo entry; only files and directories are allowed'],
      ['entry-type', 'demo-0.1.0/tty', '`demo-0.1.0/tty` is a character-device entry; only files and directories are allowed'],
    ])
  })

  test('[pkg.manifest.duplicate] lists every root manifest in three casings, sorted', async () => {
    const report = await checkPackage(
      packCrate([
        { path: 'demo-0.1.0/cargo.toml', content: manifest('demo', '0.1.0') },
        { path: 'demo-0.1.0/Cargo.toml', content: manifest('demo', '0.1.0') },
        { path: 'demo-0.1.0/CARGO.TOML', content: manifest('evil', '0.1.0') },
        { path: 'demo-0.1.0/sub/Cargo.toml', content: manifest('sub', '0.1.0') },
        { path: 'demo-0.1.0/Cargo.toml.orig', content: manifest('demo', '0.1.0') },
      ]),
    )
    const listed = '`demo-0.1.0/CARGO.TOML`, `demo-0.1.0/Cargo.toml`, `demo-0.1.0/cargo.toml`'
    expect(report.findings).toEqual(
      ['demo-0.1.0/CARGO.TOML', 'demo-0.1.0/Cargo.toml', 'demo-0.1.0/cargo.toml'].map((p) => ({
        check: 'duplicate-manifest',
        path: p,
        message: `The package has 3 root manifests: ${listed}; a tool may read any one of them`,
      })),
    )
  })

  test('[pkg.manifest.case] rejects a single manifest spelled otherwise than `Cargo.toml` or `cargo.toml`', async () => {
    expect(await findings([{ path: 'demo-0.1.0/CARGO.toml', content: manifest('demo', '0.1.0') }])).toEqual([['manifest-case', 'demo-0.1.0/CARGO.toml']])
    expect(await findings([{ path: 'demo-0.1.0/cargo.toml', content: manifest('demo', '0.1.0') }])).toEqual([])
  })

  test('[pkg.manifest.missing] rejects a package without a root manifest', async () => {
    expect(await findings([{ path: 'demo-0.1.0/src/lib.rs', content: '' }, { path: 'demo-0.1.0/src/Cargo.toml', content: '' }])).toEqual([
      ['missing-manifest', 'demo-0.1.0/Cargo.toml'],
    ])
    expect((await checkPackage(packCrate([]))).findings).toEqual([{ check: 'missing-manifest', message: 'The package has no top folder, so no `{name}-{version}/Cargo.toml`' }])
  })

  test('[pkg.limit.entries] stops at the first entry past the limit of a 100,000-entry crate', async () => {
    let made = 0
    async function* entries(): AsyncGenerator<CrateEntry> {
      yield { path: 'many-0.1.0/Cargo.toml', content: manifest('many', '0.1.0') }
      for (; made < 100_000; made++) yield { path: `many-0.1.0/src/f${made}.rs`, content: '' }
    }
    const report = await checkPackage(packCrate(entries()))
    expect(report.findings).toEqual([
      { check: 'too-many-entries', path: 'many-0.1.0/src/f19999.rs', message: 'The package has more than 20000 entries; reading stopped at `many-0.1.0/src/f19999.rs`' },
    ])
    expect(report.entries).toBe(20_001)
    // The generator was asked for little more than was read: the rest was never made.
    expect(made).toBeLessThan(25_000)
    expect((await checkPackage(packCrate(demo()), { maxEntries: 1 })).findings.map((f) => f.check)).toEqual(['too-many-entries'])
  }, 60_000)

  test('[pkg.limit.size] stops a 10 GB-when-inflated bomb at the limit, with bounded memory', async () => {
    const size = 10 * 1024 ** 3
    const zeros = Buffer.alloc(1 << 20)
    let made = 0
    async function* content() {
      for (; made < size; made += zeros.length) yield zeros
    }
    const limit = 64 * 1024 * 1024
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
    const bomb = packCrate([{ path: 'bomb-0.1.0/Cargo.toml', content: manifest('bomb', '0.1.0') }, { path: 'bomb-0.1.0/zeros', content: content(), size }], { level: 1 })
    const report = await checkPackage(bomb, { maxBytes: limit })
    clearInterval(sampler)
    expect(report.findings).toEqual([{ check: 'too-large', message: `The package is more than ${limit} bytes once decompressed; reading stopped there` }])
    expect(report.bytes).toBe(limit + 1)
    expect(made).toBeLessThan(limit * 2)
    expect(peak - before).toBeLessThan(96 * 1024 * 1024)
  }, 60_000)

  test('[pkg.limit.manifest] rejects a root manifest over its size limit without holding it', async () => {
    const big = manifest('demo', '0.1.0', `description = "${'x'.repeat(5000)}"\n`)
    expect(await findings([{ path: 'demo-0.1.0/Cargo.toml', content: big }], { maxManifestBytes: 4096 })).toEqual([['manifest-too-large', 'demo-0.1.0/Cargo.toml']])
  })

  test('[pkg.pax-size] rejects a pax size that disagrees with the tar header, and reads no further', async () => {
    const report = await checkPackage(packCrate(demo({ path: 'demo-0.1.0/a.rs', content: 'hidden by the pax size', pax: { size: '0' } }, { path: 'demo-0.1.0/b.rs', content: '' })))
    expect(report.findings).toEqual([
      {
        check: 'pax-size-mismatch',
        path: 'demo-0.1.0/a.rs',
        message: 'The pax header of `demo-0.1.0/a.rs` gives the size "0", its tar header 22; the rest of the archive is ambiguous and was not read',
      },
    ])
    // Agreeing pax records are fine.
    expect(await findings(demo({ path: 'demo-0.1.0/a.rs', content: 'four', pax: { size: '4', comment: 'ok' } }))).toEqual([])
  })

  test('[pkg.manifest.toml] rejects a manifest that is not valid TOML, with the parser\'s position', async () => {
    const report = await checkPackage(packCrate([{ path: 'demo-0.1.0/Cargo.toml', content: '[package]\nname = "demo"\nname = "twice"\n' }]))
    expect(report.findings).toHaveLength(1)
    expect(report.findings[0]).toMatchObject({ check: 'invalid-toml', path: 'demo-0.1.0/Cargo.toml', message: expect.stringMatching(/^`demo-0\.1\.0\/Cargo\.toml` is not valid TOML at line 3, column \d+: /) })
  })

  test('[pkg.manifest.package] rejects a manifest without `[package]`', async () => {
    expect(await findings([{ path: 'demo-0.1.0/Cargo.toml', content: '[workspace]\nmembers = []\n' }])).toEqual([['missing-package', 'demo-0.1.0/Cargo.toml']])
  })

  test('[pkg.manifest.workspace] rejects unresolved workspace inheritance, by field', async () => {
    const text = [
      '[package]', 'name = "demo"', 'version = "0.1.0"', 'edition.workspace = true', 'license = { workspace = true }',
      '[dependencies]', 'serde = { workspace = true, features = ["derive"] }', 'log = "0.4"',
      '[target."cfg(unix)".dev-dependencies]', 'libc.workspace = true',
      '[lints]', 'workspace = true', '',
    ].join('\n')
    const report = await checkPackage(packCrate([{ path: 'demo-0.1.0/Cargo.toml', content: text }]))
    expect(report.findings.map((f) => [f.check, f.field])).toEqual([
      ['workspace-inheritance', 'package.edition.workspace'],
      ['workspace-inheritance', 'package.license.workspace'],
      ['workspace-inheritance', 'dependencies.serde.workspace'],
      ['workspace-inheritance', 'target."cfg(unix)".dev-dependencies.libc.workspace'],
      ['workspace-inheritance', 'lints.workspace'],
    ])
  })

  test('[pkg.manifest.rust-version] rejects a `rust-version` other than digits and dots', async () => {
    for (const [value, ok] of [['"1.70"', true], ['"1.70.0"', true], ['"1"', true], ['"1.70-nightly"', false], ['"1..2"', false], ['170', false], ['"v1.70"', false]] as const) {
      const checks = await findings([{ path: 'demo-0.1.0/Cargo.toml', content: manifest('demo', '0.1.0', `rust-version = ${value}\n`) }])
      expect(checks, value).toEqual(ok ? [] : [['rust-version', 'demo-0.1.0/Cargo.toml']])
    }
  })

  test('[pkg.identity] takes name and version from the top folder, and checks them against the manifest', async () => {
    expect(splitTopFolder('serde-json-1.0.0-rc.1')).toEqual({ name: 'serde-json', version: '1.0.0-rc.1' })
    expect(splitTopFolder('foo-2-1.0.0')).toEqual({ name: 'foo-2', version: '1.0.0' })
    expect(splitTopFolder('x86_64-0.1.0+build.5')).toEqual({ name: 'x86_64', version: '0.1.0+build.5' })
    expect(splitTopFolder('demo')).toBeUndefined()
    expect(splitTopFolder('demo-1.0')).toBeUndefined()
    expect(await findings([{ path: 'demo-0.1.0/Cargo.toml', content: manifest('other', '0.2.0') }])).toEqual([
      ['name-mismatch', 'demo-0.1.0/Cargo.toml'],
      ['version-mismatch', 'demo-0.1.0/Cargo.toml'],
    ])
    expect(await findings([{ path: 'demo/Cargo.toml', content: manifest('demo', '0.1.0') }])).toEqual([['top-folder', 'demo/Cargo.toml']])
    const report = await checkPackage(packCrate(demo()), { name: 'demo', version: '0.1.0' })
    expect(report).toMatchObject({ accepted: true, name: 'demo', version: '0.1.0' })
    await expect(checkPackage(packCrate(demo()), { name: 'demo' })).rejects.toThrow('Expected both `name` and `version`')
  })

  test('[pkg.archive] rejects a file that is not a gzip\'d tar, or is cut short', async () => {
    const whole = await crateFile(demo())
    const cases: [string, Uint8Array][] = [
      ['not gzip', Buffer.from('PK\u0003\u0004 a zip file')],
      ['truncated', whole.subarray(0, whole.length - 30)],
      ['gzip of no tar', zlib.gzipSync(Buffer.from('just text, not a tar header block'.repeat(20)))],
    ]
    for (const [what, bytes] of cases) {
      const report = await checkPackage(bytes)
      expect(report.accepted, what).toBe(false)
      expect(report.findings.map((f) => f.check), what).toContain('corrupt-archive')
    }
  })

  test('[pkg.findings] reports at most the limit per check and counts the rest', async () => {
    const extra = Array.from({ length: 250 }, (_, index): CrateEntry => ({ path: `elsewhere/${index}.rs`, content: '' }))
    const report = await checkPackage(packCrate(demo(...extra)))
    expect(report.findings).toHaveLength(100)
    expect(report.suppressed).toEqual({ 'outside-prefix': 150 })
    expect(report.accepted).toBe(false)
    const small = await checkPackage(packCrate(demo(...extra)), { maxFindingsPerCheck: 2 })
    expect(small.findings.map((f) => f.path)).toEqual(['elsewhere/0.rs', 'elsewhere/1.rs'])
    await expect(checkPackage(packCrate(demo()), { maxBytes: -1 })).rejects.toThrow(RangeError)
  })

  test('[pkg.intro] writes nothing to disk: a crate checked in a fresh folder leaves it empty', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-nowrite-'))
    const cwd = process.cwd()
    try {
      process.chdir(work)
      const file = path.join(work, '..', `${path.basename(work)}.crate`)
      await writeFile(file, await crateFile(demo({ path: 'demo-0.1.0/../escape.rs', content: 'x' })))
      await checkPackage(createReadStream(file))
      expect(await readdir(work)).toEqual([])
      await rm(file)
    } finally {
      process.chdir(cwd)
      await rm(work, { recursive: true, force: true })
    }
  })
})
