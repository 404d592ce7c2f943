import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { type Corpus, createCorpus } from './corpus.ts'
import { corpusRecordsFromDump } from './corpus-dump.ts'
import { corpusRecordsFromJson } from './corpus-json.ts'
import type { MalformedRecord } from './corpus-records.ts'

/** A corpus read from disk, with the records that were skipped. */
export interface LoadedCorpus {
  corpus: Corpus
  malformed: MalformedRecord[]
}

/**
 * Read a corpus from `location` (the file side of `cratesec typosquat --corpus`): a JSON file
 * (`typo.corpus.json`), or a folder of crates.io's database dump (`typo.corpus.dump`), either the
 * dump's `data/` folder or the folder above it. A missing or unreadable location is a fatal error
 * that names it (`sec.offline.missing`).
 */
export async function loadCorpus(location: string, options?: { top?: number }): Promise<LoadedCorpus> {
  const info = await stat(location).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${location}: cannot read the corpus (${error.code ?? error.message})`)
  })
  if (!info.isDirectory()) {
    const { records, malformed } = corpusRecordsFromJson(await readFile(location, 'utf8'), location)
    return { corpus: createCorpus(records, options), malformed }
  }
  const data = (await exists(path.join(location, 'crates.csv'))) ? location : path.join(location, 'data')
  const file = (name: string) => path.join(data, name)
  if (!(await exists(file('crates.csv')))) throw new Error(`${location}: a corpus folder must hold crates.csv (or data/crates.csv) of crates.io's database dump`)
  if (!(await exists(file('crate_owners.csv')))) throw new Error(`${data}: no crate_owners.csv beside crates.csv`)
  const withDownloads = await exists(file('crate_downloads.csv'))
  const { records, malformed } = await corpusRecordsFromDump(
    {
      crates: createReadStream(file('crates.csv')),
      owners: createReadStream(file('crate_owners.csv')),
      ...(withDownloads ? { downloads: createReadStream(file('crate_downloads.csv')) } : {}),
    },
    { ...options, files: { crates: file('crates.csv'), owners: file('crate_owners.csv'), downloads: file('crate_downloads.csv') } },
  )
  return { corpus: createCorpus(records, options), malformed }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
