import { readFile } from 'node:fs/promises'

let cached: Promise<string> | undefined

/** Ferrule's version, from its package.json. */
export function ferruleVersion(): Promise<string> {
  cached ??= readFile(new URL('../../package.json', import.meta.url), 'utf8').then((text) => (JSON.parse(text) as { version: string }).version)
  return cached
}
