import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCratesec as run } from './helpers/run-cratesec.ts'

const repository = path.resolve(import.meta.dirname ?? '.', '../..')
const fixtures = path.join(repository, 'test/fixtures/security/downloads')
const fastly = path.join(fixtures, 'fastly-basic/input.log')
const cloudfront = path.join(fixtures, 'compressed/cloudfront-basic.log.zst')
const wrong = path.join(fixtures, 'wrong-first-byte/input.log')


let work: string
let versions: string
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-downloads-cli-'))
  versions = path.join(work, 'versions.json')
  await writeFile(versions, JSON.stringify([{ crate: 'serde', version: '1.0.195' }, { crate: 'tokio', version: '1.35.1' }, { crate: 'rand', version: '0.8.5' }]))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('cratesec downloads', () => {
  test('[dl.cli.count] prints per file what was counted and skipped, then the counts added', async () => {
    const db = path.join(work, 'text.sqlite')
    const result = await run('downloads', 'count', fastly, path.join(fixtures, 'fastly-unrelated/input.log'), '--db', db, '--versions', versions)
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(
      [
        `${fastly}: counted 7 downloads (fastly, 7 lines)`,
        `${path.join(fixtures, 'fastly-unrelated/input.log')}: counted 1 download (fastly, 8 lines), skipped 7 lines: method 1, status 1, user-agent 2, not-a-download 3`,
        '  line 1: not-a-download: the path is not a crate download path: `/`',
        '  line 2: not-a-download: the path is not a crate download path: `/favicon.ico`',
        '  line 3: method: the method is not `GET`: `HEAD`',
        '  line 4: status: the status is not 200: `404`',
        "  line 5: user-agent: the user agent is not cargo's",
        "  line 6: user-agent: the user agent is not cargo's",
        '  line 7: not-a-download: the path is not a crate download path: `/index.json`',
        'added: 8 downloads of 4 versions:',
        '  2024-01-15 serde 1.0.195: 3',
        '  2024-01-15 tokio 1.35.1: 1',
        '  2024-01-16 rand 0.8.5: 2',
        '  2024-01-16 tokio 1.35.1: 2',
        '',
      ].join('\n'),
    )
    const again = await run('downloads', 'count', fastly, '--db', db)
    expect(again.stdout).toBe(`${fastly}: already processed, skipped\nadded: 0 downloads of 0 versions\n`)
  })

  test('[dl.cli.count] [dl.cli.exit] --json prints files, added and unknown; a refused file makes the status 1', async () => {
    const db = path.join(work, 'json.sqlite')
    const result = await run('downloads', 'count', cloudfront, wrong, path.join(work, 'x.log.bz2'), '--db', db, '--json', '--versions', versions).catch((error) => error)
    // A named file that does not exist stops the run first (status 2), so the .bz2 file is written now.
    expect(result.status).toBe(2)
    expect(result.stderr).toBe(`cratesec downloads: ${path.join(work, 'x.log.bz2')}: cannot read the log (ENOENT)\n`)
    await writeFile(path.join(work, 'x.log.bz2'), 'BZh')
    const json = await run('downloads', 'count', cloudfront, wrong, path.join(work, 'x.log.bz2'), '--db', db, '--json')
    expect(json.status).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({
      files: [
        { path: cloudfront, status: 'counted', skipped: {}, samples: [] },
        { path: wrong, status: 'refused', error: 'the first byte is 0x7B (`{`), expected `#` for cloudfront or `<` for fastly', skipped: {}, samples: [] },
        { path: path.join(work, 'x.log.bz2'), status: 'refused', error: 'unknown extension `.bz2`, expected `.gz`, `.zst`, `.zstd`, `.log` or `.txt`', skipped: {}, samples: [] },
      ],
      added: [],
      unknown: [
        { day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 3 },
        { day: '2024-01-15', crate: 'serde_json', version: '1.0.111', count: 1 },
        { day: '2024-01-15', crate: 'tokio', version: '1.35.1', count: 1 },
        { day: '2024-01-16', crate: 'rand', version: '0.8.5', count: 1 },
        { day: '2024-01-16', crate: 'tokio', version: '1.35.1', count: 1 },
      ],
      moved: [],
    })
    const rerun = JSON.parse((await run('downloads', 'count', cloudfront, '--db', db, '--json')).stdout)
    expect(rerun.files).toEqual([{ path: cloudfront, status: 'already-processed', skipped: {}, samples: [] }])
    // [dl.store.unknown.later] Made known afterwards, versions take their downloads kept apart along.
    const known = await run('downloads', 'count', cloudfront, '--db', db, '--versions', versions)
    expect(known.stdout).toBe(
      [
        'moved from the counts kept apart, for versions --versions made known: 6 downloads of 4 versions:',
        '  2024-01-15 serde 1.0.195: 3',
        '  2024-01-15 tokio 1.35.1: 1',
        '  2024-01-16 rand 0.8.5: 1',
        '  2024-01-16 tokio 1.35.1: 1',
        `${cloudfront}: already processed, skipped`,
        'added: 0 downloads of 0 versions',
        '',
      ].join('\n'),
    )
    const shown = JSON.parse((await run('downloads', 'show', '--db', db, '--unknown', '--json')).stdout)
    expect(shown).toEqual([{ day: '2024-01-15', crate: 'serde_json', version: '1.0.111', count: 1 }])
  })

  test('[dl.cli.show] show --json prints every stored count; --day keeps one day, --unknown the versions kept apart', async () => {
    const db = path.join(work, 'show.sqlite')
    await run('downloads', 'count', fastly, cloudfront, '--db', db, '--versions', versions)
    const all = JSON.parse((await run('downloads', 'show', '--db', db, '--json')).stdout)
    expect(all).toEqual([
      { day: '2024-01-15', crate: 'serde', version: '1.0.195', count: 5 },
      { day: '2024-01-15', crate: 'tokio', version: '1.35.1', count: 2 },
      { day: '2024-01-16', crate: 'rand', version: '0.8.5', count: 3 },
      { day: '2024-01-16', crate: 'tokio', version: '1.35.1', count: 3 },
    ])
    expect(JSON.parse((await run('downloads', 'show', '--db', db, '--day', '2024-01-16', '--json')).stdout)).toEqual(all.slice(2))
    expect(JSON.parse((await run('downloads', 'show', '--db', db, '--unknown', '--json')).stdout)).toEqual([{ day: '2024-01-15', crate: 'serde_json', version: '1.0.111', count: 1 }])
    expect((await run('downloads', 'show', '--db', db, '--day', '2024-01-16')).stdout).toBe('2024-01-16 rand 0.8.5 3\n2024-01-16 tokio 1.35.1 3\n')
  })

  test('[dl.cli.top] top --day ranks crates by their downloads that day, all versions together', async () => {
    const db = path.join(work, 'top.sqlite')
    await run('downloads', 'count', fastly, cloudfront, '--db', db, '--versions', versions)
    expect((await run('downloads', 'top', '--day', '2024-01-15', '--db', db)).stdout).toBe('  1. serde 5\n  2. tokio 2\n')
    expect(JSON.parse((await run('downloads', 'top', '--day', '2024-01-16', '--db', db, '--json', '--limit', '1')).stdout)).toEqual([{ crate: 'rand', count: 3 }])
  })

  test('[dl.cli.exit] bad usage and a database that does not exist are status 2; show never creates one', async () => {
    const missing = path.join(work, 'none.sqlite')
    expect((await run('downloads', 'show', '--db', missing, '--json')).status).toBe(2)
    expect(existsSync(missing)).toBe(false)
    expect((await run('downloads', 'top', '--db', missing)).stderr).toContain('expected --day YYYY-MM-DD')
    expect((await run('downloads', 'top', '--day', '2024-02-30')).stderr).toContain('--day: expected a date YYYY-MM-DD, got `2024-02-30`')
    expect((await run('downloads', 'count')).stderr).toContain('expected at least one LOG file')
    expect((await run('downloads', 'tally')).stderr).toContain('unknown action `tally`, expected `count`, `show` or `top`')
    expect((await run('downloads', 'count', fastly, '--day', '2024-01-15')).stderr).toContain('--day does not apply to `downloads count`')
    const badVersions = path.join(work, 'bad-versions.json')
    await writeFile(badVersions, JSON.stringify([{ crate: 'serde', version: '1.0' }]))
    expect((await run('downloads', 'count', fastly, '--db', path.join(work, 'v.sqlite'), '--versions', badVersions)).stderr).toContain('[0]: expected "version" to be a semantic version, got "1.0"')
    expect((await run('downloads', '--help')).status).toBe(0)
  })

  test('[dl.cli.exit] [sec.offline.readonly] show and top read a database without changing it, and refuse one the counter did not make', async () => {
    const db = path.join(work, 'read-only.sqlite')
    expect((await run('downloads', 'count', fastly, '--db', db)).status).toBe(0)
    const other = path.join(work, 'other.sqlite')
    const foreign = new Database(other)
    foreign.exec('CREATE TABLE notes (text TEXT)')
    foreign.close()
    // The file and what its write-ahead log holds (SQLite leaves an empty log beside a WAL database it reads).
    const bytes = async (file: string) => [await readFile(file), existsSync(`${file}-wal`) ? (await readFile(`${file}-wal`)).toString('hex') : '']
    const [before, beforeOther] = [await bytes(db), await bytes(other)]
    expect((await run('downloads', 'show', '--db', db, '--unknown', '--json')).status).toBe(0)
    expect((await run('downloads', 'top', '--db', db, '--day', '2024-01-15')).status).toBe(0)
    const refused = await run('downloads', 'show', '--db', other)
    expect(refused).toMatchObject({ status: 2, stderr: expect.stringContaining('not a database of the download counter (schema version 0, expected 1)') })
    expect(await bytes(db)).toEqual(before)
    expect(await bytes(other)).toEqual(beforeOther)
  })

  test('[dl.cli] three actions, count, show and top, on the database of --db; any other is bad usage that names them', async () => {
    const db = path.join(work, 'actions.sqlite')
    expect((await run('downloads', 'count', fastly, '--db', db, '--versions', versions)).status).toBe(0)
    const shown = await run('downloads', 'show', '--db', db, '--json')
    expect(JSON.parse(shown.stdout).length).toBeGreaterThan(0)
    const top = await run('downloads', 'top', '--day', '2024-01-15', '--db', db, '--json')
    expect(JSON.parse(top.stdout)[0]).toMatchObject({ crate: 'serde' })
    for (const args of [['frobnicate'], []]) {
      const bad = await run('downloads', ...args)
      expect(bad.status, args.join(' ')).toBe(2)
      expect(bad.stderr).toMatch(/`?count`?, `?show`? or `?top`?/)
    }
  })

  test('[dl.cli.exit] [dl.cli] [dl.store.sqlite] bin/cratesec.js runs it as a program, with the default database under data/ of the working folder', () => {
    const bin = path.join(repository, 'bin/cratesec.js')
    const counted = spawnSync(process.execPath, [bin, 'downloads', 'count', fastly, '--json'], { cwd: work, encoding: 'utf8' })
    expect(counted.status, counted.stderr).toBe(0)
    expect(JSON.parse(counted.stdout).unknown).toHaveLength(4)
    expect(existsSync(path.join(work, 'data/downloads.sqlite'))).toBe(true)
    const refused = spawnSync(process.execPath, [bin, 'downloads', 'count', wrong], { cwd: work, encoding: 'utf8' })
    expect(refused.status).toBe(1)
  })
})
