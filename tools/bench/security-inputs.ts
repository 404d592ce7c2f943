// Inputs of the security benchmarks, generated here from a fixed seed: crate names, typosquat
// candidates and `.crate` files. Nothing is read from the network or the registry.
import type { CrateEntry } from '../security/package-checks/index.ts'
import type { CorpusRecord } from '../security/typosquat/index.ts'
import { random } from './corpus.ts'

const words = (
  'serde json tokio async http hyper core derive macro rand log time sync futures net proto parse ' +
  'test fs io web client server api codec crypto hash cli term color config util rs sys tracing ' +
  'error any bytes buf stream channel pool cache db sql redis kafka grpc tls ssl url uri path regex ' +
  'glob walk dir image png gpu wasm bind gen build proc syn quote lazy once cell arc mutex lock'
).split(' ')

/** `count` distinct crate names shaped like real ones: one to three words, or a word and an invented one. */
export function crateNames(count: number, seed = 1): string[] {
  const next = random(seed)
  const pick = () => words[Math.floor(next() * words.length)]!
  const invented = () => {
    let word = ''
    const length = 3 + Math.floor(next() * 7)
    for (let i = 0; i < length; i++) word += 'abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 26)]
    return word
  }
  const names = new Set<string>()
  while (names.size < count) {
    const parts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => (next() < 0.45 ? pick() : invented()))
    names.add(parts.join(next() < 0.6 ? '-' : '_'))
  }
  return [...names]
}

/** Corpus records for `names`, with owners from a pool and downloads from a long-tailed distribution. */
export function corpusRecords(names: readonly string[], seed = 2): CorpusRecord[] {
  const next = random(seed)
  return names.map((name) => ({
    name,
    owners: [`user:${Math.floor(next() * 50_000)}`, ...(next() < 0.1 ? [`team:${Math.floor(next() * 2_000)}`] : [])],
    downloads: Math.floor(1e9 * next() ** 6),
  }))
}

/**
 * Candidate names: half of them one edit away from a corpus name (a dropped, doubled, swapped or
 * replaced character, a version or affix, a Cyrillic look-alike now and then), half new names.
 */
export function candidates(corpus: readonly string[], count: number, seed = 3): string[] {
  const next = random(seed)
  const fresh = crateNames(Math.ceil(count / 2), seed + 100)
  const out: string[] = []
  for (let i = 0; out.length < count; i++) {
    if (i % 2 === 1) {
      out.push(fresh[(i >> 1) % fresh.length]!)
      continue
    }
    const name = corpus[Math.floor(next() * corpus.length)]!
    const at = Math.floor(next() * name.length)
    const edits = [
      () => name.slice(0, at) + name.slice(at + 1),
      () => name.slice(0, at) + name[at] + name.slice(at),
      () => name.slice(0, at) + (name[at + 1] ?? '') + name[at] + name.slice(at + 2),
      () => name.slice(0, at) + 'x' + name.slice(at + 1),
      () => `${name}-2`,
      () => `${name}-rs`,
      () => name.replace('o', '\u043E'),
    ]
    out.push(edits[Math.floor(next() * edits.length)]!() || 'a')
  }
  return out
}

/**
 * The entries of a `.crate` whose gzip'd size is about `megabytes` MB: a manifest and source files
 * of pseudo-random text (which gzip barely shrinks, so the compressed size is what is asked for).
 */
export function largeCrateEntries(megabytes: number, seed = 4): CrateEntry[] {
  const next = random(seed)
  const entries: CrateEntry[] = [{ path: 'large-0.1.0/Cargo.toml', content: '[package]\nname = "large"\nversion = "0.1.0"\nedition = "2021"\n' }]
  const fileBytes = 64 * 1024
  // Base64 text of random bytes compresses to about 3/4 of its size.
  const files = Math.ceil((megabytes * 1e6) / (fileBytes * 0.76))
  for (let index = 0; index < files; index++) {
    const bytes = Buffer.alloc((fileBytes * 3) / 4)
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(next() * 4294967296), i)
    entries.push({ path: `large-0.1.0/src/data/part${index}.rs`, content: `// ${bytes.toString('base64')}\n` })
  }
  return entries
}
