// The exit statuses of `cratesec scan` and `cratesec unsafe-stats`: what a CI job that runs them acts on.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCratesec as run } from './helpers/run-cratesec.ts'

let work: string
let clean: string
let networked: string
let unsafeCrate: string
const missing = () => path.join(work, 'no-such-crate')

async function crate(name: string, files: Record<string, string>): Promise<string> {
  const folder = path.join(work, name)
  await mkdir(path.join(folder, 'src'), { recursive: true })
  await writeFile(path.join(folder, 'Cargo.toml'), `[package]\nname = "${name}"\nversion = "0.1.0"\n`)
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(folder, file), text)
  return folder
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-cli-exit-'))
  clean = await crate('plain', { 'src/lib.rs': 'pub fn add(a: u32, b: u32) -> u32 { a + b }\n' })
  networked = await crate('phones-home', { 'build.rs': 'fn main() { let _ = std::net::TcpStream::connect(A); }\n', 'src/lib.rs': '' })
  unsafeCrate = await crate('raw', { 'src/lib.rs': 'pub unsafe fn f(p: *const u8) -> u8 { *p }\n' })
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('cratesec scan', () => {
  test('[heur.cli.exit] 0 when every crate is clean, 1 when any is suspicious', async () => {
    expect((await run('scan', clean)).status).toBe(0)
    // build-network alone scores 40: under the default threshold, over 40.
    expect((await run('scan', clean, networked)).status).toBe(0)
    expect((await run('scan', clean, networked, '--threshold', '40')).status).toBe(1)
  })

  test('[heur.cli.exit] [sec.offline.missing] 2 when a path cannot be read, said on stderr, the others still scanned', async () => {
    const result = await run('scan', missing(), networked, '--threshold', '40', '--json')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(missing())
    expect((JSON.parse(result.stdout) as { crate: string; verdict: string }[]).map(({ crate, verdict }) => [crate, verdict])).toEqual([['phones-home-0.1.0', 'suspicious']])
  })

  test('[heur.cli.exit] 2 on bad usage: a threshold that is not a non-negative integer', async () => {
    for (const threshold of ['-1', '1.5', 'many', '']) {
      const result = await run('scan', clean, '--threshold', threshold)
      expect(result.status, threshold).toBe(2)
      expect(result.stderr, threshold).toMatch(/threshold/)
    }
  })
})

describe('cratesec unsafe-stats', () => {
  test('[unsafe-stats.cli.exit] 0 when every path was read, whether or not its crate uses unsafe', async () => {
    const result = await run('unsafe-stats', clean, unsafeCrate, '--json')
    expect(result.status).toBe(0)
    expect((JSON.parse(result.stdout) as { crate: string; has_unsafe: boolean }[]).map(({ crate, has_unsafe }) => [crate, has_unsafe])).toEqual([
      ['plain-0.1.0', false],
      ['raw-0.1.0', true],
    ])
  })

  test('[unsafe-stats.cli.exit] [sec.offline.missing] 2 when a path cannot be read, said on stderr, the others still counted', async () => {
    const result = await run('unsafe-stats', unsafeCrate, missing(), '--json')
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(missing())
    expect((JSON.parse(result.stdout) as { crate: string }[]).map(({ crate }) => crate)).toEqual(['raw-0.1.0'])
  })

  test('[unsafe-stats.cli.exit] 2 on bad usage', async () => {
    expect((await run('unsafe-stats')).status).toBe(2)
    expect((await run('unsafe-stats', clean, '--frobnicate')).status).toBe(2)
  })
})
