import { createHash } from 'node:crypto'
import type { Root } from 'mdast'
import type { VFile, Data } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { bracketedNames, scanProductionLabels, scanRuleIds } from '../syntax/rule-links.ts'
import { linkChapter, lookupsHold, type LinkContext, type LinkResult } from './link.ts'
import { summaryToOutline, type Outline } from '../outline.ts'
import type { ChapterParser } from './parse.ts'
import type { RawParse } from './reparse.ts'
import type { ParsedChapter } from './types.ts'
import type { IndexMemo } from './spec-index.ts'

/**
 * What the compiles of one book have made, by chapter path, for the next compile to reuse: the live
 * preview keeps one for as long as it runs. Entries of chapters that leave the book are dropped by
 * `pruneCompileCache`, so the cache holds one entry of each kind per chapter at most.
 */
export interface CompileCache {
  /** The outline of the last `SUMMARY.md` read, with its diagnostics. */
  outline: { text: string; outline: Outline; messages: VFileMessage[] } | undefined
  /** What a chapter's text holds before it is parsed. */
  texts: Map<string, TextEntry>
  parsed: Map<string, ParsedEntry>
  linked: Map<string, LinkedEntry>
  /**
   * The context of the last link phase that went through every chapter: each entry of `linked` was
   * linked in it, or held in it. `undefined` while a link phase runs.
   */
  lastLink: LinkContext | undefined
  /** The last index made, to update for the next compile (`factsToIndexCached`). */
  index: IndexMemo | undefined
}

interface TextEntry {
  text: string
  /** SHA-256 of the text: the parse cache's key, with the rule IDs the text mentions. */
  hash: string
  /** IDs of the `r[ID]` markers in the text, and the labels of its grammar productions (`scanProductionLabels`). */
  ruleIds: string[]
  /** Names in brackets, the rule IDs among which the parser must define. */
  bracketed: string[]
}

interface ParsedEntry {
  key: string
  /** What micromark made of the text, for the next edit to be parsed in part against. */
  raw: RawParse
  tree: Root
  data: Data
  /** Diagnostics of the parse. */
  messages: VFileMessage[]
}

interface LinkedEntry {
  /** The parsed tree this was linked from: a new parse means a new link. */
  from: Root
  result: LinkResult
  /** Diagnostics of the link phase. */
  messages: VFileMessage[]
}

export function createCompileCache(): CompileCache {
  return { outline: undefined, texts: new Map(), parsed: new Map(), linked: new Map(), lastLink: undefined, index: undefined }
}

/** The outline of `summary` (read into it), or the last one when `SUMMARY.md` has the same text. */
export function outlineCached(cache: CompileCache | undefined, summary: VFile): Outline {
  const text = String(summary)
  if (cache?.outline?.text === text) {
    summary.messages.push(...cache.outline.messages)
    return cache.outline.outline
  }
  const outline = summaryToOutline(summary)
  if (cache) cache.outline = { text, outline, messages: [...summary.messages] }
  return outline
}

function textEntry(cache: CompileCache | undefined, path: string, text: string): TextEntry {
  const known = cache?.texts.get(path)
  if (known?.text === text) return known
  const ruleIds = new Set<string>()
  scanRuleIds(text, ruleIds)
  scanProductionLabels(text, ruleIds)
  const entry: TextEntry = { text, hash: createHash('sha256').update(text).digest('hex'), ruleIds: [...ruleIds], bracketed: bracketedNames(text) }
  cache?.texts.set(path, entry)
  return entry
}

/** Rule IDs that the markers of a chapter's text name, and the labels of its productions (the collect phase). */
export function ruleIdsOfChapter(cache: CompileCache | undefined, path: string, text: string): readonly string[] {
  return textEntry(cache, path, text).ruleIds
}

/**
 * Parse a chapter into `file`, or give the tree, facts and diagnostics of the last parse of this
 * chapter when it had the same text and the text mentions the same known rule IDs. With a cache, a
 * changed text is parsed against the last one, so that only the blocks the edit touched are parsed.
 */
export function parseChapterCached(cache: CompileCache | undefined, parse: ChapterParser, path: string, file: VFile, knownIds: ReadonlySet<string>): Root {
  const text = textEntry(cache, path, String(file))
  const key = `${text.hash} ${text.bracketed.filter((id) => knownIds.has(id)).join(' ')}`
  const known = cache?.parsed.get(path)
  if (known?.key === key) {
    Object.assign(file.data, known.data)
    file.messages.push(...known.messages)
    return known.tree
  }
  if (!cache) return parse(file, knownIds)
  const { tree, raw } = parse.reparse(file, knownIds, known?.raw)
  cache.parsed.set(path, { key, raw, tree, data: file.data, messages: [...file.messages] })
  return tree
}

/**
 * Link a chapter, or give the last link of it when it was linked from the same parsed tree and every
 * lookup of that link still has the same answer: then its tree and diagnostics would be the same.
 */
export function linkChapterCached(cache: CompileCache | undefined, context: LinkContext, chapter: ParsedChapter, changed?: ReadonlySet<string>): LinkResult {
  const known = cache?.linked.get(chapter.path)
  if (known && known.from === chapter.tree && lookupsHold(context, known.result.lookups, changed)) {
    chapter.file.messages.push(...known.messages)
    return known.result
  }
  const before = chapter.file.messages.length
  const result = linkChapter(context, chapter)
  cache?.linked.set(chapter.path, { from: chapter.tree, result, messages: chapter.file.messages.slice(before) })
  return result
}

/** Drop the entries of chapters other than `paths`. */
export function pruneCompileCache(cache: CompileCache, paths: ReadonlySet<string>): void {
  for (const map of [cache.texts, cache.parsed, cache.linked]) for (const path of map.keys()) if (!paths.has(path)) map.delete(path)
}
