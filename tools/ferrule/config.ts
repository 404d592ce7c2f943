import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse as parseToml } from 'smol-toml'

/** What a book's `ferrule.config.ts` may set. Every field is optional. */
export interface UserConfig {
  /** Folder holding `SUMMARY.md` and the chapters (default: `spec`). */
  root?: string
  /** Folder the build writes into (default: `dist`). */
  outDir?: string
  /** Title of the book, shown on every page (default: the name of the root folder). */
  title?: string
  /**
   * Rule kinds by ID prefix, longest prefix first wins (default: `{'threat.': 'threat', 'term.': 'term'}`).
   * Every rule that matches no prefix is a `requirement`.
   */
  kinds?: Record<string, string>
  /** Teams that may own a chapter; any other `owner` is a warning (default: none checked). */
  owners?: string[]
  /** Folder with `layout.html`, `ferrule.css` and `ferrule.js` (default: Ferrule's own `theme/`). */
  theme?: string
  /** Language of the pages, for `<html lang>` (default: `en`). */
  lang?: string
  /** Folders `ferrule matrix` scans for `//@ reference: ID` tags (default: `test`). */
  tests?: string[]
  /**
   * Names of the grammar's start productions, besides those marked `@root` in their blocks; a
   * production that no root reaches is a warning (default: none; with no root at all, nothing is).
   */
  grammarRoots?: string[]
}

/** The configuration with every default filled in and every path absolute. */
export interface ResolvedConfig {
  cwd: string
  root: string
  outDir: string
  title: string
  kinds: ReadonlyArray<readonly [prefix: string, kind: string]>
  owners: ReadonlySet<string> | undefined
  theme: string
  lang: string
  grammarRoots: readonly string[]
}

/** Identity function that gives a config file its types. */
export function defineConfig(config: UserConfig): UserConfig {
  return config
}

/** Ferrule's own theme folder, used when a book sets none. */
export const defaultTheme = fileURLToPath(new URL('../../theme', import.meta.url))

const configNames = ['ferrule.config.ts', 'ferrule.config.mts', 'ferrule.config.js', 'ferrule.config.mjs']

/** The `ferrule.config.*` in `cwd`, if there is one. */
export function findConfigFile(cwd: string): string | undefined {
  return configNames.map((name) => path.join(cwd, name)).find((candidate) => existsSync(candidate))
}

/**
 * Load `ferrule.config.*` from `cwd` (or the file named by `configFile`).
 * Returns an empty config when there is none.
 */
export async function loadUserConfig(cwd: string, configFile?: string, options: { fresh?: boolean } = {}): Promise<UserConfig> {
  const found = configFile ? path.resolve(cwd, configFile) : findConfigFile(cwd)
  if (!found) return {}
  if (!existsSync(found)) throw new Error(`Cannot find config file \`${found}\``)
  // `fresh`: the file changed since it was imported, and an import of the same URL gives the old module.
  const url = pathToFileURL(found).href + (options.fresh ? `?ferrule-reload=${Date.now()}` : '')
  const module = (await import(url)) as { default?: UserConfig }
  if (!module.default || typeof module.default !== 'object') {
    throw new Error(`Config file \`${found}\` must \`export default defineConfig({...})\``)
  }
  return module.default
}

/** Fill in defaults; `overrides` (from the command line) win over `config`. */
export function resolveConfig(cwd: string, config: UserConfig, overrides: UserConfig = {}): ResolvedConfig {
  const merged = { ...config, ...definedOnly(overrides) }
  const root = path.resolve(cwd, merged.root ?? 'spec')
  const kinds = Object.entries(merged.kinds ?? { 'threat.': 'threat', 'term.': 'term' }).sort(
    ([a], [b]) => b.length - a.length || (a < b ? -1 : 1),
  )
  return {
    cwd,
    root,
    outDir: path.resolve(cwd, merged.outDir ?? 'dist'),
    title: merged.title ?? path.basename(root),
    kinds,
    owners: merged.owners ? new Set(merged.owners) : undefined,
    theme: merged.theme ? path.resolve(cwd, merged.theme) : defaultTheme,
    lang: merged.lang ?? 'en',
    grammarRoots: merged.grammarRoots ?? [],
  }
}

/** The kind of a rule: the kind of the longest configured prefix it starts with. */
export function kindOfRule(config: Pick<ResolvedConfig, 'kinds'>, id: string): string {
  for (const [prefix, kind] of config.kinds) {
    const bare = prefix.endsWith('.') ? prefix.slice(0, -1) : prefix
    if (id.startsWith(prefix) || id === bare) return kind
  }
  return 'requirement'
}

/**
 * Let `--root` name an mdBook book as mdBook lays it out: when the root holds no `SUMMARY.md` but a
 * `book.toml`, the chapters are in its `book.src` folder (default `src`) and, unless the config names
 * one, the title is its `book.title`.
 */
export async function locateMdBook(config: ResolvedConfig, titleIsSet: boolean): Promise<ResolvedConfig> {
  const manifest = path.join(config.root, 'book.toml')
  if (existsSync(path.join(config.root, 'SUMMARY.md')) || !existsSync(manifest)) return config
  let book: { src?: unknown; title?: unknown } = {}
  try {
    const parsed = parseToml(await readFile(manifest, 'utf8')) as { book?: typeof book }
    book = parsed.book ?? {}
  } catch (error) {
    throw new Error(`Cannot read \`${manifest}\`: ${(error as Error).message.split('\n')[0]}`)
  }
  return {
    ...config,
    root: path.resolve(config.root, typeof book.src === 'string' ? book.src : 'src'),
    title: !titleIsSet && typeof book.title === 'string' ? book.title : config.title,
  }
}

function definedOnly(value: UserConfig): UserConfig {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as UserConfig
}
