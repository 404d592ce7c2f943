// Publish events and their `.crate` files, written into a folder for the publish replay's tests
// (replay.test.ts, replay-cli.test.ts and the crash test's child, replay-and-hang.ts).
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { CrateEntry } from '../../../tools/security/package-checks/index.ts'
import { crateFile, manifest } from './crate-files.ts'
import { corpusEntries, SANDPIT_CORPUS } from './sandpit-corpus.ts'

/** One publish of a scenario. */
export interface Publish {
  crate: string
  /** Default `0.1.0`, or the corpus crate's. */
  version?: string
  /** Minutes after 2024-03-01T12:00:00Z; or an RFC 3339 time as it is written in the event. */
  at: number | string
  /** Default `[publisher]` when that is a user, else `['user:owner']`. */
  owners?: string[]
  /** Default `user:alice`. */
  publisher?: string
  label?: 'malicious' | 'benign'
  /** The `.crate`'s entries; default a plain crate (a manifest of this name and version and a one-line lib.rs). */
  entries?: CrateEntry[]
  /** The `.crate`'s bytes instead of entries (a broken archive). */
  bytes?: Uint8Array
  /** Where the event says the `.crate` is; default `crates/NAME-VERSION.crate`. Nothing is written when `bytes` and `entries` are both null. */
  path?: string
  /** Write no `.crate` at all (an event whose file is missing). */
  missing?: boolean
}

/** 2024-03-01T12:00:00Z plus `minutes`, in RFC 3339. */
export function minutesAfterNoon(minutes: number): string {
  return new Date(Date.UTC(2024, 2, 1, 12, minutes)).toISOString().replace('.000Z', 'Z')
}

/** The entries of a plain, harmless crate. */
export function plainEntries(name: string, version = '0.1.0'): CrateEntry[] {
  return [
    { path: `${name}-${version}/Cargo.toml`, content: manifest(name, version) },
    { path: `${name}-${version}/src/lib.rs`, content: `/// Adds one.\npub fn add_one(x: u32) -> u32 {\n    x + 1\n}\n` },
  ]
}

/** A publish of the heuristics' labelled corpus crate `name`, with its content, version and label. */
export function corpusPublish(name: string, at: number, more: Partial<Publish> = {}): Publish {
  const crate = SANDPIT_CORPUS.find((candidate) => candidate.name === name)
  if (crate === undefined) throw new Error(`corpusPublish: no corpus crate \`${name}\``)
  return { crate: name, version: crate.version, at, label: crate.label, entries: corpusEntries(crate), ...more }
}

/** The JSON line of a publish, as the events file holds it. */
export function eventLine(publish: Publish): string {
  const version = publish.version ?? '0.1.0'
  const publisher = publish.publisher ?? 'user:alice'
  const event: Record<string, unknown> = {
    crate: publish.crate,
    version,
    time: typeof publish.at === 'number' ? minutesAfterNoon(publish.at) : publish.at,
    owners: publish.owners ?? [publisher.startsWith('user:') ? publisher : 'user:owner'],
    publisher,
    path: publish.path ?? `crates/${publish.crate}-${version}.crate`,
  }
  if (publish.label !== undefined) event.label = publish.label
  return JSON.stringify(event)
}

/**
 * Write the `.crate` of every publish under `folder` and the events file `folder/events.jsonl`
 * (lines in the order given; `extraLines` are inserted at their index, for malformed lines).
 * Returns the events file's path and text.
 */
export async function writeScenario(folder: string, publishes: readonly Publish[], extraLines: readonly { at: number; text: string }[] = []): Promise<{ file: string; text: string }> {
  for (const publish of publishes) {
    if (publish.missing) continue
    const version = publish.version ?? '0.1.0'
    const target = path.join(folder, publish.path ?? `crates/${publish.crate}-${version}.crate`)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, publish.bytes ?? (await crateFile(publish.entries ?? plainEntries(publish.crate, version))))
  }
  const lines = publishes.map(eventLine)
  for (const extra of [...extraLines].sort((a, b) => a.at - b.at)) lines.splice(extra.at, 0, extra.text)
  const text = `${lines.join('\n')}\n`
  const file = path.join(folder, 'events.jsonl')
  await writeFile(file, text)
  return { file, text }
}
