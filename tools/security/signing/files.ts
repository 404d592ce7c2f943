// The PKI's files, for `cratesec pki`: every read names its file in errors, every write is atomic.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { KeyObject } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'
import { DocumentError, parseEntry, parseTreeHead, type TreeHead } from './documents.ts'
import { KeyError, type KeyRole, readPrivateKey, readPublicKey } from './keys.ts'
import type { PkiLog } from './log.ts'

/** An input that cannot be used: the message names the file and what was expected. */
export class InputError extends Error {
  override name = 'InputError'
}

/** The files of a PKI folder (`pki.cli.files`). */
export const pkiFiles = {
  log: 'log.jsonl',
  heads: 'heads.jsonl',
  root: 'root.json',
}

export async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError(`${file}: cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

/** A JSON file, parsed by `parse` (which names the file in its errors). */
export async function readJson<T>(file: string, what: string, parse: (value: unknown, source: string) => T): Promise<T> {
  const text = await readText(file, what)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError(`${file}: expected ${what} as JSON (${(error as Error).message})`)
  }
  return rethrow(() => parse(value, file))
}

/** `read()`, a malformed document or key in it becoming an `InputError` (exit status 2). */
export function rethrow<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof DocumentError || error instanceof KeyError) throw new InputError(error.message)
    throw error
  }
}

export async function readPublicKeyFile(file: string, role: KeyRole): Promise<KeyObject> {
  const text = await readText(file, `the ${role} public key`)
  return rethrow(() => readPublicKey(text, role, file))
}

export async function readPrivateKeyFile(file: string, role: KeyRole): Promise<KeyObject> {
  const text = await readText(file, `the ${role} private key`)
  return rethrow(() => readPrivateKey(text, role, file))
}

/**
 * The log of a PKI folder. A folder without a log holds the empty log, the one a ceremony begins
 * with; when `existing`, what only reads a log (verifying it, or an artifact by it) refuses a folder
 * without one instead, since a misspelt folder would otherwise verify as an empty log.
 */
export async function readLog(dir: string, options: { existing?: boolean } = {}): Promise<PkiLog> {
  const read = async <T>(name: string, parse: (value: unknown, source: string) => T): Promise<T[]> => {
    const file = path.join(dir, name)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.existing && name === pkiFiles.log) {
        throw new InputError(`${dir}: no PKI log here (no ${pkiFiles.log}); expected a folder that \`cratesec pki approve\` wrote`)
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new InputError(`${file}: cannot read the log (${(error as NodeJS.ErrnoException).code})`)
    }
    return text
      .split('\n')
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, number }) => {
        let value: unknown
        try {
          value = JSON.parse(line)
        } catch (error) {
          throw new InputError(`${file}:${number}: expected one JSON document a line (${(error as Error).message})`)
        }
        return rethrow(() => parse(value, `${file}:${number}`))
      })
  }
  return { entries: await read(pkiFiles.log, parseEntry), heads: await read(pkiFiles.heads, parseTreeHead) }
}

/** Write a file whole or not at all. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, text)
  await rename(temporary, file)
}

/** A document as the PKI's files hold it: indented JSON, keys in canonical order. */
export function toJsonFile(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`
}

/** The log's files: one canonical JSON document a line. */
export async function writeLog(dir: string, log: PkiLog, root: unknown): Promise<void> {
  const lines = (values: readonly unknown[]) => values.map((value) => `${canonicalJson(value)}\n`).join('')
  await writeAtomic(path.join(dir, pkiFiles.log), lines(log.entries))
  await writeAtomic(path.join(dir, pkiFiles.heads), lines(log.heads satisfies TreeHead[]))
  await writeAtomic(path.join(dir, pkiFiles.root), toJsonFile(root))
}
