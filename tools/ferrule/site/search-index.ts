import type { CompiledSpec } from '../compile/compile.ts'
import { ruleAnchor } from '../syntax/types.ts'

/** The files of the site's search, by path in the site. */
export type SearchFiles = Map<string, Uint8Array>

/**
 * The search of a built site, which needs no server:
 *
 * - `pagefind/`: a pagefind index of every chapter's prose (its rules left out) and of every rule as
 *   a record of its own, opening at the rule's anchor with its ID, chapter and heading. Pagefind splits
 *   its index into chunks that a query fetches as it needs them, so a first query downloads a small
 *   part of it.
 * - `search/ids.json` and `search/ids/<key>.json`: every rule ID with its page, chapter and heading,
 *   by the first segment or two of the ID (see `ruleIdShards`), so that typing an ID or a prefix of
 *   one fetches a shard or two and finds the rule first.
 *
 * `pages` are the HTML of the chapter pages, by page.
 */
export async function searchIndexFiles(spec: CompiledSpec, pages: ReadonlyMap<string, string>, lang: string): Promise<SearchFiles> {
  const files: SearchFiles = new Map()
  const pagefind = await import('pagefind')
  const { index, errors } = await pagefind.createIndex({ forceLanguage: lang, excludeSelectors: ['.rule', '.rule-refs', 'pre'] })
  if (!index) throw new Error(`Bug in Ferrule, or pagefind missing: pagefind could not start (${errors.join('; ')})`)
  try {
    const titles = new Map(spec.chapters.map((chapter) => [chapter.path, chapter.outline.number ? `${chapter.outline.number} ${chapter.outline.title}` : chapter.outline.title]))
    for (const chapter of spec.chapters) {
      const html = pages.get(chapter.page)
      if (html !== undefined) check(await index.addHTMLFile({ url: `/${chapter.page}`, content: html }), chapter.page)
    }
    for (const id of spec.index.ids) {
      const rule = spec.index.rules.get(id)!
      const page = spec.index.pages.get(rule.chapter)!
      const meta: Record<string, string> = { title: id, chapter: titles.get(rule.chapter) ?? rule.chapter }
      if (rule.section !== undefined) meta.section = rule.section
      // The ID's segments are words too: `lex token ident` finds `lex.token.ident`. They go last, so
      // that an excerpt starts with the rule's own words.
      const content = `${rule.text} (${id.replace(/[._-]/g, ' ')})`
      check(await index.addCustomRecord({ url: `/${page}#${ruleAnchor(id, rule.kind)}`, content, language: lang, meta }), id)
    }
    const written = await index.getFiles()
    if (written.errors.length > 0) throw new Error(`Bug in Ferrule: pagefind could not write its index (${written.errors.join('; ')})`)
    for (const file of written.files) files.set(`pagefind/${file.path}`, file.content)
  } finally {
    await index.deleteIndex()
    await pagefind.close()
  }
  for (const [path, content] of ruleIdShards(spec)) files.set(path, new TextEncoder().encode(content))
  return files
}

/** Rules in a shard before it is split by the next segment of the IDs. */
const shardSize = 200

/**
 * `search/ids.json` (the shards' keys, sorted) and a shard of rule IDs per key, as JSON text: the
 * rules whose ID starts with the key's segments. A key is an ID's first segment, or its first two
 * where the first alone would hold more than `shardSize` rules; each row is `[id, url, chapter,
 * section]`, sorted by ID.
 */
export function ruleIdShards(spec: CompiledSpec): Map<string, string> {
  const titles = new Map(spec.chapters.map((chapter) => [chapter.path, chapter.outline.title]))
  const byFirst = new Map<string, string[]>()
  for (const id of spec.index.ids) {
    const first = id.split('.')[0]!
    const ids = byFirst.get(first)
    if (ids) ids.push(id)
    else byFirst.set(first, [id])
  }
  const shards = new Map<string, Array<[string, string, string, string]>>()
  for (const [first, ids] of byFirst) {
    for (const id of ids) {
      // Lower-cased: productions' IDs have capitals, and `Literal` and `LITERAL` must not be two files
      // that a case-insensitive file system takes for one.
      const key = (ids.length > shardSize ? id.split('.').slice(0, 2).join('.') : first).toLowerCase()
      const rule = spec.index.rules.get(id)!
      const row: [string, string, string, string] = [id, `${spec.index.pages.get(rule.chapter)!}#${ruleAnchor(id, rule.kind)}`, titles.get(rule.chapter) ?? rule.chapter, rule.section ?? '']
      const shard = shards.get(key)
      if (shard) shard.push(row)
      else shards.set(key, [row])
    }
  }
  const files = new Map<string, string>([['search/ids.json', JSON.stringify([...shards.keys()].sort())]])
  for (const [key, rows] of shards) files.set(`search/ids/${key}.json`, JSON.stringify(rows))
  return files
}

function check(response: { errors: string[] }, what: string): void {
  if (response.errors.length > 0) throw new Error(`Bug in Ferrule: pagefind refused ${what}: ${response.errors.join('; ')}`)
}
