import type { CompiledSpec } from '../compile/compile.ts'
import { productionKind, ruleAnchor } from '../syntax/types.ts'

/** The files of the site's search, by path in the site. */
export type SearchFiles = Map<string, Uint8Array>

/**
 * The search of a built site, which needs no server:
 *
 * - `pagefind/`: a pagefind index of every chapter's prose (its rules and railroad diagrams left out)
 *   and of every rule but productions as a record of its own, opening at the rule's anchor with its
 *   ID, chapter and heading. Pagefind splits its index into chunks that a query fetches as it needs
 *   them, so a first query downloads a small part of it.
 * - `search/ids.json` and `search/ids/N.json`: every rule ID, productions' too, with its page,
 *   chapter and heading, in shards of sorted IDs (see `ruleIdShards`), so that typing an ID or a
 *   prefix of one fetches a shard or two and finds the rule first.
 *
 * `pages` are the HTML of the chapter pages, by page.
 */
export async function searchIndexFiles(spec: CompiledSpec, pages: ReadonlyMap<string, string>, lang: string): Promise<SearchFiles> {
  const files: SearchFiles = new Map()
  const pagefind = await import('pagefind')
  const { index, errors } = await pagefind.createIndex({ forceLanguage: lang, excludeSelectors: ['.rule', '.rule-refs', 'pre', '.grammar-diagrams'] })
  if (!index) throw new Error(`Bug in Ferrule, or pagefind missing: pagefind could not start (${errors.join('; ')})`)
  try {
    const titles = new Map(spec.chapters.map((chapter) => [chapter.path, chapter.outline.number ? `${chapter.outline.number} ${chapter.outline.title}` : chapter.outline.title]))
    for (const chapter of spec.chapters) {
      const html = pages.get(chapter.page)
      if (html !== undefined) check(await index.addHTMLFile({ url: `/${chapter.page}`, content: html }), chapter.page)
    }
    for (const id of spec.index.ids) {
      const rule = spec.index.rules.get(id)!
      // A production is found by its ID (the ID shards) and its words on its chapter's page; a record
      // of its own for each would add a file per production to the site for little.
      if (rule.kind === productionKind) continue
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

/** The most rules in a shard of rule IDs. */
const shardSize = 200

/**
 * `search/ids.json` and the shards of rule IDs it lists, as JSON text. The IDs, in the order of their
 * lower-cased form (as a reader types them), are cut into shards of at most `shardSize` rows, a
 * shard ending where the first segment changes whenever the next group would not fit:
 * `search/ids/N.json` holds rows `[id, url, chapter, section]`, and `ids.json` the lower-cased first
 * and last ID of each shard, `[[first, last], ...]`, so that a reader's script fetches only the
 * shards that may hold IDs starting with what was typed. (Shards by ID segments made a file per
 * rule where many rules share a first segment and no second, as the grammar's productions do.)
 */
export function ruleIdShards(spec: CompiledSpec): Map<string, string> {
  const titles = new Map(spec.chapters.map((chapter) => [chapter.path, chapter.outline.title]))
  const ids = spec.index.ids.map((id) => ({ id, key: id.toLowerCase() })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : 1))
  // Runs of one first segment, whole where they fit beside the shard's others, cut where not.
  const groups: Array<typeof ids> = []
  for (const entry of ids) {
    const last = groups.at(-1)
    if (last && last[0]!.key.split('.')[0] === entry.key.split('.')[0]) last.push(entry)
    else groups.push([entry])
  }
  const shards: Array<typeof ids> = []
  for (const group of groups) {
    for (let start = 0; start < group.length; start += shardSize) {
      const part = group.slice(start, start + shardSize)
      const open = shards.at(-1)
      if (open && open.length + part.length <= shardSize) open.push(...part)
      else shards.push(part)
    }
  }
  const files = new Map<string, string>([['search/ids.json', JSON.stringify(shards.map((shard) => [shard[0]!.key, shard.at(-1)!.key]))]])
  shards.forEach((shard, index) => {
    const rows = shard.map(({ id }): [string, string, string, string] => {
      const rule = spec.index.rules.get(id)!
      return [id, `${spec.index.pages.get(rule.chapter)!}#${ruleAnchor(id, rule.kind)}`, titles.get(rule.chapter) ?? rule.chapter, rule.section ?? '']
    })
    files.set(`search/ids/${index}.json`, JSON.stringify(rows))
  })
  return files
}

function check(response: { errors: string[] }, what: string): void {
  if (response.errors.length > 0) throw new Error(`Bug in Ferrule: pagefind refused ${what}: ${response.errors.join('; ')}`)
}
