import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCratesec as run } from './helpers/run-cratesec.ts'
import { crateFile, demo, manifest } from './helpers/crate-files.ts'

const repository = path.resolve(import.meta.dirname ?? '.', '../..')


let work: string
let corpus: string
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-cratesec-'))
  corpus = path.join(work, 'corpus.json')
  await writeFile(
    corpus,
    JSON.stringify([
      { name: 'serde', owners: ['user:1'], downloads: 300 },
      { name: 'serde_json', owners: ['user:1'], downloads: 200 },
      { name: 'tokio', owners: ['team:9'], downloads: 100 },
    ]),
  )
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('cratesec', () => {
  test('lists its commands, and rejects an unknown one with status 2', async () => {
    expect((await run('--help')).stdout).toMatch(/typosquat .*\n.*check-package/)
    const unknown = await run('no-such-command')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('unknown command `no-such-command`, expected one of `typosquat`, `check-package`')
    expect((await run()).status).toBe(2)
  })
})

describe('cratesec typosquat', () => {
  test('[typo.cli] checks each name against the corpus, sparing crates the --owner co-owns', async () => {
    const result = await run('typosquat', 'sedre', 'tokio-rs', 'rand', '--corpus', corpus)
    expect(result.stdout).toBe(
      [
        'sedre: 1 possible squat',
        '  swapped-characters: swaps characters in `serde`: `sedre` has `d` and `r` swapped at positions 3 and 4',
        'tokio-rs: 1 possible squat',
        '  affixes: adds the `-rs` suffix to `tokio`',
        'rand: no possible squat',
        '',
      ].join('\n'),
    )
    const owned = await run('typosquat', 'sedre', 'tokio-rs', '--corpus', corpus, '--owner', 'user:1', '--owner', 'team:9')
    expect(owned).toEqual({ status: 0, stdout: 'sedre: no possible squat\ntokio-rs: no possible squat\n', stderr: '' })
  })

  test('[typo.cli.json] --json prints, per name, an array of {check, crate, message}', async () => {
    const result = await run('typosquat', 'Serde', 'rand', '--corpus', corpus, '--json')
    expect(JSON.parse(result.stdout)).toEqual({
      Serde: [
        { check: 'bitflips', crate: 'serde', message: 'may be a bitflip of `serde`: `Serde` has `S` (0x53) at position 1 where `serde` has `s` (0x73): bit 5 flipped' },
        { check: 'canonical-name-collision', crate: 'serde', message: 'is the same crate name as `serde` to crates.io: `Serde` and `serde` are both `serde` in canonical form' },
      ],
      rand: [],
    })
  })

  test('[typo.cli.exit] exits 1 when a name may be a squat, 0 when none is, 2 on bad usage or corpus', async () => {
    expect((await run('typosquat', 'sedre', '--corpus', corpus)).status).toBe(1)
    expect((await run('typosquat', 'serde', 'rand', '--corpus', corpus)).status).toBe(0)
    expect((await run('typosquat', 'serde')).stderr).toContain('expected --corpus FILE')
    expect((await run('typosquat', '--corpus', corpus)).status).toBe(2)
    const badOwner = await run('typosquat', 'x', '--corpus', corpus, '--owner', 'alice')
    expect(badOwner.status).toBe(2)
    expect(badOwner.stderr).toContain('--owner: Unexpected owner "alice", expected `user:ID` or `team:ID`')
    const missing = await run('typosquat', 'x', '--corpus', path.join(work, 'nope.json'))
    expect(missing).toMatchObject({ status: 2, stderr: `cratesec typosquat: ${path.join(work, 'nope.json')}: cannot read the corpus (ENOENT)\n` })
  })

  test('[typo.cli] reports malformed corpus records on stderr and goes on', async () => {
    const file = path.join(work, 'bad.json')
    await writeFile(file, JSON.stringify([{ name: 'serde', owners: [], downloads: 1 }, { name: '', owners: [], downloads: 1 }]))
    const result = await run('typosquat', 'sedre', '--corpus', file, '--top', '10')
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(`cratesec typosquat: skipped 1 malformed corpus record:\n  ${file} [1]: A crate name must not be empty.\n`)
  })
})

describe('cratesec check-package', () => {
  test('[pkg.cli] prints the findings with check names and paths or fields', async () => {
    const file = path.join(work, 'demo-0.1.0.crate')
    await writeFile(file, await crateFile(demo({ path: 'demo-0.1.0/passwd', type: 'symlink', linkname: '/etc/passwd' })))
    const result = await run('check-package', file)
    expect(result.stdout).toBe(
      `${file}: rejected demo 0.1.0, 1 finding\n  entry-type demo-0.1.0/passwd: \`demo-0.1.0/passwd\` is a symbolic link (to \`/etc/passwd\`); only files and directories are allowed\n`,
    )
    const metadata = path.join(work, 'metadata.json')
    await writeFile(metadata, JSON.stringify({ name: 'demo', vers: '0.1.1', deps: [], features: {} }))
    await writeFile(file, await crateFile(demo()))
    const lied = await run('check-package', file, '--metadata', metadata)
    expect(lied.stdout).toContain('  metadata-mismatch [package.version]: the metadata gives version `0.1.1`, the manifest `0.1.0`\n')
    expect((await run('check-package', file)).stdout).toBe(`${file}: accepted demo 0.1.0 (2 entries, 3072 bytes decompressed)\n`)
  })

  test('[pkg.cli.json] --json prints the report with each finding\'s check and path or field', async () => {
    const file = path.join(work, 'two-0.1.0.crate')
    await writeFile(file, await crateFile([{ path: 'two-0.1.0/Cargo.toml', content: manifest('two', '0.1.0') }, { path: 'two-0.1.0/../x', content: '' }]))
    const report = JSON.parse((await run('check-package', file, '--json', '--name', 'two', '--version', '0.1.0')).stdout)
    expect(report).toEqual({
      file,
      accepted: false,
      name: 'two',
      version: '0.1.0',
      findings: [{ check: 'unsafe-path', path: 'two-0.1.0/../x', message: 'The path `two-0.1.0/../x` has a `..` component' }],
      suppressed: {},
      entries: 2,
      bytes: 2560,
    })
  })

  test('[pkg.cli.exit] exits 0 when accepted, 1 when rejected, 2 when the file cannot be read at all', async () => {
    const good = path.join(work, 'good.crate')
    await writeFile(good, await crateFile(demo()))
    const notGzip = path.join(work, 'text.crate')
    await writeFile(notGzip, 'not a crate')
    expect((await run('check-package', good)).status).toBe(0)
    expect((await run('check-package', good, '--max-entries', '1')).status).toBe(1)
    expect((await run('check-package', notGzip)).status).toBe(1)
    const missing = await run('check-package', path.join(work, 'missing.crate'))
    expect(missing).toMatchObject({ status: 2, stderr: `cratesec check-package: ${path.join(work, 'missing.crate')}: cannot read the package (ENOENT)\n` })
    expect((await run('check-package', work)).stderr).toContain('is a folder, not a .crate file')
    expect((await run('check-package', good, '--name', 'demo')).status).toBe(2)
    expect((await run('check-package', good, '--metadata', notGzip)).stderr).toContain(`${notGzip}: Unexpected token`)
    expect((await run('check-package')).status).toBe(2)
  })

  test('[pkg.cli.exit] bin/cratesec.js runs as a program, with the same exit statuses', async () => {
    const good = path.join(work, 'bin-0.1.0.crate')
    await writeFile(good, await crateFile([{ path: 'bin-0.1.0/Cargo.toml', content: manifest('bin', '0.1.0') }]))
    const bin = path.join(repository, 'bin/cratesec.js')
    const accepted = spawnSync(process.execPath, [bin, 'check-package', good], { encoding: 'utf8' })
    expect(accepted.status, accepted.stderr).toBe(0)
    const squat = spawnSync(process.execPath, [bin, 'typosquat', 'tokioo', '--corpus', corpus, '--json'], { encoding: 'utf8' })
    expect(squat.status).toBe(1)
    expect(JSON.parse(squat.stdout).tokioo[0].check).toBe('repeated')
    expect(spawnSync(process.execPath, [bin, 'check-package', path.join(work, 'none.crate')]).status).toBe(2)
  })
})
