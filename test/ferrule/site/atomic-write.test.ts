import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { stageOutputs, writeOutputsAtomically } from '../../../tools/ferrule/site/atomic-write.ts'

let out: string
beforeEach(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'ferrule-write-'))
})
afterEach(async () => {
  await rm(out, { recursive: true, force: true })
})

test('a write that fails half-way leaves the old output as it was and no temporary folder', async () => {
  await mkdir(path.join(out, 'site'))
  await writeFile(path.join(out, 'site/index.html'), 'old page')
  await writeFile(path.join(out, 'rules.json'), 'old rules')

  // `site/a` cannot be both a file and a folder: the second write fails.
  const outputs = new Map([
    ['rules.json', 'new rules'],
    ['site/a', 'file'],
    ['site/a/b.html', 'page'],
  ])
  await expect(writeOutputsAtomically(out, outputs)).rejects.toThrow()
  expect((await readdir(out)).sort()).toEqual(['rules.json', 'site'])
  expect(await readFile(path.join(out, 'site/index.html'), 'utf8')).toBe('old page')
  expect(await readFile(path.join(out, 'rules.json'), 'utf8')).toBe('old rules')
})

test('a successful write replaces the entries it names and keeps the others', async () => {
  await mkdir(path.join(out, 'site'))
  await writeFile(path.join(out, 'site/stale.html'), 'stale')
  await mkdir(path.join(out, 'test-results'))
  await writeFile(path.join(out, 'test-results/vitest.json'), '{}')
  await writeOutputsAtomically(out, new Map([['site/index.html', 'new'], ['rules.json', '{}']]))
  expect((await readdir(out)).sort()).toEqual(['rules.json', 'site', 'test-results'])
  expect(await readdir(path.join(out, 'site'))).toEqual(['index.html'])
  expect(await readFile(path.join(out, 'test-results/vitest.json'), 'utf8')).toBe('{}')
})

test('staged files are invisible until commit, and an abort leaves the output folder as it was', async () => {
  await mkdir(path.join(out, 'matrix'))
  await writeFile(path.join(out, 'matrix/matrix.json'), 'old')
  const dropped = await stageOutputs(out)
  await dropped.write('matrix/matrix.json', 'new')
  await dropped.write('matrix/matrix.csv', 'new')
  expect(await readdir(path.join(out, 'matrix'))).toEqual(['matrix.json'])
  await dropped.abort()
  expect((await readdir(out)).sort()).toEqual(['matrix'])
  expect(await readFile(path.join(out, 'matrix/matrix.json'), 'utf8')).toBe('old')

  const kept = await stageOutputs(out)
  await kept.write('matrix/matrix.csv', 'csv')
  expect(await readFile(path.join(out, 'matrix/matrix.json'), 'utf8')).toBe('old')
  await kept.commit()
  expect((await readdir(out)).sort()).toEqual(['matrix'])
  expect(await readdir(path.join(out, 'matrix'))).toEqual(['matrix.csv'])
})

test('a file written in pieces has all of them in order; one whose pieces fail midway is dropped, and the last output stays', async () => {
  function* pieces() {
    for (let index = 0; index < 50; index++) {
      yield new TextEncoder().encode(`${index} `.repeat(10_000))
    }
  }
  const staging = await stageOutputs(out)
  await staging.write('matrix/matrix.reqif', pieces())
  await staging.commit()
  const text = await readFile(path.join(out, 'matrix/matrix.reqif'), 'utf8')
  expect(text).toBe(Array.from({ length: 50 }, (_, index) => `${index} `.repeat(10_000)).join(''))

  function* broken() {
    yield new TextEncoder().encode('begun')
    throw new Error('the exporter failed')
  }
  const failing = await stageOutputs(out)
  await expect(failing.write('matrix/matrix.reqif', broken())).rejects.toThrow('the exporter failed')
  await failing.abort()
  expect(await readFile(path.join(out, 'matrix/matrix.reqif'), 'utf8')).toBe(text)
  expect((await readdir(out)).sort()).toEqual(['matrix'])
})

test('a file written in text pieces has each one in UTF-8, however long, and `observe` sees its bytes in order', async () => {
  // Short pieces that share a buffer, many that fill both in turn, non-ASCII text, and pieces too long for a buffer.
  const texts = ['α ü 😀 ', 'plain ', 'x'.repeat(2_000_000), '€'.repeat(1_000_000), '€'.repeat(1_500_000), ...Array.from({ length: 20 }, (_, index) => `${index} ✓ `.repeat(5_000))]
  const seen: Buffer[] = []
  const staging = await stageOutputs(out)
  // Bytes among them are written after the text before them.
  const pieces = [...texts.slice(0, 2), new TextEncoder().encode('bytes ✓ '), ...texts.slice(2)]
  await staging.write('matrix/matrix.reqif', pieces, (bytes) => seen.push(Buffer.from(bytes)))
  await staging.commit()
  const bytes = await readFile(path.join(out, 'matrix/matrix.reqif'))
  expect(bytes.toString('utf8')).toBe([...texts.slice(0, 2), 'bytes ✓ ', ...texts.slice(2)].join(''))
  expect(Buffer.concat(seen).equals(bytes)).toBe(true)
})
