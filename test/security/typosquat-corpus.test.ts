import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { corpusRecordsFromDump, corpusRecordsFromJson, createCorpus, DEFAULT_TOP_CRATES, loadCorpus } from '../../tools/security/typosquat/index.ts'

const json = (value: unknown) => JSON.stringify(value)

describe('corpus', () => {
  test('[typo.corpus.json] reads an array of {name, owners, downloads}', () => {
    const { records, malformed } = corpusRecordsFromJson(
      json([
        { name: 'serde', owners: ['user:1', 'team:2', 'user:1'], downloads: 300 },
        { name: 'tokio', owners: [], downloads: 200, description: 'extra fields are ignored' },
      ]),
    )
    expect(malformed).toEqual([])
    expect(records).toEqual([
      { name: 'serde', owners: ['team:2', 'user:1'], downloads: 300 },
      { name: 'tokio', owners: [], downloads: 200 },
    ])
  })

  test('[typo.corpus.malformed] skips and reports malformed records by file and location', () => {
    const { records, malformed } = corpusRecordsFromJson(
      json([
        { name: 'serde', owners: ['user:1'], downloads: 3 },
        { name: '1password', owners: [], downloads: 3 },
        { name: 'ok', owners: ['someone'], downloads: 3 },
        { name: 'ok', owners: [], downloads: -1 },
        'tokio',
        { name: 'Serde', owners: [], downloads: 1 },
        { name: 'fine', owners: [], downloads: 1 },
      ]),
      'top.json',
    )
    expect(records.map((r) => r.name)).toEqual(['serde', 'fine'])
    expect(malformed).toEqual([
      { file: 'top.json', location: '[1]', reason: expect.stringContaining('must start with an ASCII letter') },
      { file: 'top.json', location: '[2]', reason: 'Unexpected owner "someone", expected `user:ID` or `team:ID`' },
      { file: 'top.json', location: '[3]', reason: 'downloads must be a non-negative integer, found -1' },
      { file: 'top.json', location: '[4]', reason: 'expected an object {"name", "owners", "downloads"}, found string' },
      { file: 'top.json', location: '[5]', reason: 'The crate `Serde` was already read at [0]' },
    ])
  })

  test('[typo.corpus.malformed] a file that is not a JSON array is a fatal error naming it', () => {
    expect(() => corpusRecordsFromJson('{"name": "serde"}', 'c.json')).toThrow('c.json: expected a JSON array')
    expect(() => corpusRecordsFromJson('[{', 'c.json')).toThrow(/^c\.json: not valid JSON/)
  })

  test('[typo.corpus.top] keeps the top N by downloads, ties in crate-name order', () => {
    const records = [
      { name: 'b', owners: [], downloads: 5 },
      { name: 'a', owners: [], downloads: 5 },
      { name: 'c', owners: [], downloads: 9 },
      { name: 'd', owners: [], downloads: 1 },
    ]
    expect(createCorpus(records, { top: 2 }).records.map((r) => r.name)).toEqual(['c', 'a'])
    expect(createCorpus(records, { top: 3 }).records.map((r) => r.name)).toEqual(['c', 'a', 'b'])
    expect(DEFAULT_TOP_CRATES).toBe(3000)
    const many = Array.from({ length: 3500 }, (_, index) => ({ name: `crate${index}`, owners: [], downloads: index }))
    const corpus = createCorpus(many)
    expect(corpus.records.length).toBe(3000)
    expect(corpus.byName.has('crate3499')).toBe(true)
    expect(corpus.byName.has('crate499')).toBe(false)
    expect(() => createCorpus(records, { top: -1 })).toThrow(RangeError)
  })

  test('[typo.corpus.dump] reads crates.csv, crate_owners.csv and crate_downloads.csv, columns found by header', async () => {
    const crates = 'created_at,description,id,name,readme\n2015-01-01,"A, quoted\nfield",1,serde,"# Serde"\n2016-01-01,,2,tokio,\n2016-01-01,,3,rand,\n'
    const downloads = 'downloads,crate_id\n900,1\n800,2\n10,3\n'
    const owners = 'crate_id,created_at,created_by,owner_id,owner_kind\n1,x,,11,0\n1,x,,4,1\n2,x,,12,0\n3,x,,13,0\n'
    const { records, malformed } = await corpusRecordsFromDump({ crates, owners, downloads }, { top: 2 })
    expect(malformed).toEqual([])
    expect(records).toEqual([
      { name: 'serde', owners: ['team:4', 'user:11'], downloads: 900 },
      { name: 'tokio', owners: ['user:12'], downloads: 800 },
    ])
  })

  test('[typo.corpus.dump] takes downloads from crates.csv in dumps without crate_downloads.csv', async () => {
    const crates = 'id,name,downloads\n1,serde,5\n2,tokio,7\n'
    const owners = 'crate_id,owner_id,owner_kind\n2,3,0\n'
    const { records } = await corpusRecordsFromDump({ crates: [Buffer.from(crates.slice(0, 9)), Buffer.from(crates.slice(9))], owners })
    expect(records).toEqual([
      { name: 'tokio', owners: ['user:3'], downloads: 7 },
      { name: 'serde', owners: [], downloads: 5 },
    ])
  })

  test('[typo.corpus.malformed] skips malformed dump rows and reports file and line', async () => {
    const crates = 'id,name,downloads\n1,serde,5\n2,1bad,7\n3,tokio,many\n4,rand,1\n"5,unclosed\n'
    const owners = 'crate_id,owner_id,owner_kind\n1,3,2\n4,5,1\n'
    const { records, malformed } = await corpusRecordsFromDump({ crates, owners })
    expect(records).toEqual([
      { name: 'serde', owners: [], downloads: 5 },
      { name: 'rand', owners: ['team:5'], downloads: 1 },
    ])
    expect(malformed.map((m) => [m.file, m.location])).toEqual([
      ['crates.csv', 'line 3'],
      ['crates.csv', 'line 4'],
      ['crates.csv', 'line 6'],
      ['crate_owners.csv', 'line 2'],
    ])
    expect(malformed[0]!.reason).toContain('must start with an ASCII letter')
    expect(malformed[1]!.reason).toContain('downloads must be a non-negative integer')
    expect(malformed[2]!.reason).toContain('Quote Not Closed')
  })

  test('[typo.corpus.dump] a missing column is a fatal error naming the file and the column', async () => {
    await expect(corpusRecordsFromDump({ crates: 'id,title\n1,x\n', owners: '' })).rejects.toThrow(
      'crates.csv: no column `name`, `downloads` in the header row (found `id`, `title`)',
    )
  })
})

describe('loadCorpus', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-corpus-'))
  })
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  test('[typo.corpus.json] loads a JSON file from disk', async () => {
    const file = path.join(work, 'corpus.json')
    await writeFile(file, json([{ name: 'serde', owners: [], downloads: 1 }, { name: 'x y', owners: [], downloads: 1 }]))
    const { corpus, malformed } = await loadCorpus(file)
    expect(corpus.records.map((r) => r.name)).toEqual(['serde'])
    expect(malformed).toEqual([{ file, location: '[1]', reason: expect.stringContaining('U+0020') }])
  })

  test('[typo.corpus.dump] loads a dump folder, or the folder above its data/', async () => {
    const data = path.join(work, 'dump', 'data')
    await mkdir(data, { recursive: true })
    await writeFile(path.join(data, 'crates.csv'), 'id,name\n1,serde\n2,tokio\n')
    await writeFile(path.join(data, 'crate_downloads.csv'), 'crate_id,downloads\n1,2\n2,3\n')
    await writeFile(path.join(data, 'crate_owners.csv'), 'crate_id,owner_id,owner_kind\n1,9,0\n')
    for (const location of [data, path.join(work, 'dump')]) {
      const { corpus } = await loadCorpus(location, { top: 1 })
      expect(corpus.records).toEqual([{ name: 'tokio', owners: [], downloads: 3 }])
    }
  })

  test('[typo.corpus] a missing corpus is a fatal error naming it', async () => {
    const missing = path.join(work, 'nope.json')
    await expect(loadCorpus(missing)).rejects.toThrow(`${missing}: cannot read the corpus (ENOENT)`)
    await mkdir(path.join(work, 'empty'))
    await expect(loadCorpus(path.join(work, 'empty'))).rejects.toThrow('a corpus folder must hold crates.csv')
  })
})
