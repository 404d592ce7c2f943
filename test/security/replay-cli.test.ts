import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { runCratesec as run } from './helpers/run-cratesec.ts'
import { corpusPublish, writeScenario } from './helpers/replay-events.ts'


let work: string
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-replay-cli-'))
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

/** The events live in a folder of their own, so that `.crate` paths are read relative to it, not to the working folder. */
async function scenario() {
  const folder = path.join(work, 'history')
  await mkdir(folder)
  return writeScenario(
    folder,
    [
      corpusPublish('serde', 10),
      corpusPublish('postgress', 20, { publisher: 'user:mallory' }),
      { crate: 'sedre', at: 30, publisher: 'user:mallory', label: 'malicious' },
      { crate: 'alpha', at: 40, label: 'benign' },
    ],
    [{ at: 2, text: '{"crate": "cut' }],
  )
}

describe('cratesec replay', () => {
  test('[replay.cli] [replay.cli.exit] prints what it decided and the metrics, exits 1 when it quarantined, and reports malformed lines on stderr', async () => {
    const events = await scenario()
    const out = path.join(work, 'out')
    const result = await run('replay', events.file, '--out', out)
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^cratesec replay: skipped .*events\.jsonl:3: not JSON/)
    expect(result.stdout).toContain('4 events replayed, 1 malformed lines skipped: 3 published, 1 quarantined, 0 unreadable\n')
    expect(result.stdout).toMatch(/\n {2}quarantined postgress 0\.1\.3 \(score \d+\)\n/)
    expect(result.stdout).toContain('at threshold 50: precision')
    expect(result.stdout).toContain('| 50 (chosen) |')
    expect((await readdir(out)).sort()).toEqual(['checkpoint.json', 'decisions.jsonl', 'index.jsonl', 'quarantine', 'report.json', 'sweep.md', 'sweep.svg'])
  })

  test('[replay.cli] [replay.config] --threshold and --config set the threshold and the weights; --json prints the report', async () => {
    const events = await scenario()
    // A squat weighs 35 by default: under the default threshold `sedre` is published.
    const plain = JSON.parse((await run('replay', events.file, '--out', path.join(work, 'plain'), '--json')).stdout)
    expect(plain.quarantined.map((q: { crate: string }) => q.crate)).toEqual(['postgress'])
    expect(plain.metrics).toMatchObject({ threshold: 50, tp: 1, fn: 1, tn: 2, fp: 0 })
    const lower = JSON.parse((await run('replay', events.file, '--out', path.join(work, 'lower'), '--threshold', '35', '--json')).stdout)
    expect(lower.quarantined.map((q: { crate: string; score: number }) => [q.crate, q.crate === 'sedre' ? q.score : 'any'])).toEqual([['postgress', 'any'], ['sedre', 35]])
    const config = path.join(work, 'replay.toml')
    await writeFile(config, '[replay]\nthreshold = 60\n\n[replay.weights]\ntyposquat = 60\n')
    const weighted = JSON.parse((await run('replay', events.file, '--out', path.join(work, 'weighted'), '--config', config, '--json')).stdout)
    expect(weighted.quarantined.find((q: { crate: string }) => q.crate === 'sedre')).toMatchObject({ score: 60 })
    expect(weighted.config.replay).toMatchObject({ threshold: 60, weights: { typosquat: 60, package: 40 } })
  })

  test('[replay.cli.exit] exits 0 when nothing is quarantined', async () => {
    const folder = path.join(work, 'quiet')
    await mkdir(folder)
    const events = await writeScenario(folder, [{ crate: 'alpha', at: 1 }, { crate: 'bravo', at: 2 }])
    const result = await run('replay', events.file, '--out', path.join(work, 'out'))
    expect(result).toMatchObject({ status: 0, stderr: '' })
    expect(result.stdout).toContain('2 events replayed, 0 malformed lines skipped: 2 published, 0 quarantined, 0 unreadable')
  })

  test('[replay.cli.exit] [sec.config.invalid] a bad configuration, events file or output folder is status 2 and nothing is replayed', async () => {
    const events = await scenario()
    const config = path.join(work, 'bad.toml')
    await writeFile(config, '[replay.weights]\ntyposqat = 10\n')
    const bad = await run('replay', events.file, '--out', path.join(work, 'bad'), '--config', config)
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('unknown key `replay.weights.typosqat`, expected one of `typosquat`, `package`')
    await expect(readdir(path.join(work, 'bad'))).rejects.toThrow()

    const missing = await run('replay', path.join(work, 'none.jsonl'), '--out', path.join(work, 'none'))
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('cannot read the events (ENOENT)')
    expect((await run('replay', events.file)).stderr).toContain('expected --out DIR')
    expect((await run('replay', events.file, '--out', path.join(work, 'x'), '--threshold', 'high')).status).toBe(2)

    const out = path.join(work, 'out')
    await run('replay', events.file, '--out', out)
    const again = await run('replay', events.file, '--out', out)
    expect(again.status).toBe(2)
    expect(again.stderr).toContain('already holds a replay (checkpoint.json); pass --resume')
    const resumed = await run('replay', events.file, '--out', out, '--resume')
    expect(resumed.status).toBe(1)
    expect(resumed.stdout).toContain('4 events replayed (resumed after 4)')
    expect(JSON.parse(await readFile(path.join(out, 'checkpoint.json'), 'utf8'))).toMatchObject({ processed: 4, complete: true })
  })
})
