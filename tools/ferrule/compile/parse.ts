import { klona } from 'klona/json'
import type { Root, RootContent } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import type { VFile } from 'vfile'
import { report } from '../diagnostics.ts'
import remarkFerruleAdmonitions from '../syntax/admonitions.ts'
import remarkFerruleCodeInfo from '../syntax/code-info.ts'
import remarkFerruleFrontMatter from '../syntax/front-matter.ts'
import remarkFerruleGrammar from '../syntax/grammar.ts'
import remarkFerruleHeadingIds from '../syntax/heading-ids.ts'
import remarkFerruleRuleLinks, { mentionedRuleIds } from '../syntax/rule-links.ts'
import remarkFerruleRuleMarkers from '../syntax/rule-markers.ts'
import { noIds, rawToRoot, reparseRaw, type RawParse } from './reparse.ts'

export const unclosedBlock = 'unclosed-block'

export interface ParseOptions {
  /** Teams that may own a chapter (default: any). */
  owners?: ReadonlySet<string> | undefined
}

/** Parses one chapter: pure, so its result can be cached by the chapter's text and the IDs it mentions. */
export interface ChapterParser {
  (file: VFile, knownRuleIds: ReadonlySet<string>): Root
  /**
   * The same parse, given the raw parse of an earlier text of the chapter: only the blocks the edit
   * touched are parsed again when that gives the same tree (see `reparseRaw`). Also gives the raw
   * parse of this text, for the next edit.
   */
  reparse(file: VFile, knownRuleIds: ReadonlySet<string>, previous: RawParse | undefined): { tree: Root; raw: RawParse }
}

/**
 * Create the parse phase: Markdown to mdast with Ferrule's syntax annotated and the chapter's facts
 * on `file.data`. The order of the syntax plugins is decided here and nowhere else.
 */
export function createChapterParser(options: ParseOptions = {}): ChapterParser {
  const processor = unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkFerruleFrontMatter, { owners: options.owners })
    .use(remarkFerruleAdmonitions)
    .use(remarkFerruleRuleMarkers)
    .use(remarkFerruleHeadingIds)
    .use(remarkFerruleRuleLinks)
    .use(remarkFerruleGrammar)
    .use(remarkFerruleCodeInfo)
    .freeze()

  // Definitions for the rule IDs a chapter mentions go after its end; see `remarkFerruleRuleLinks`.
  const withDefinitions = (text: string, ids: readonly string[]) => (ids.length === 0 ? text : `${text}\n\n${ids.map((id) => `[${id}]: #r-${id}`).join('\n')}\n`)
  /** micromark's tree of `text` and the definitions after it, or `undefined` ones when the text swallowed them. */
  const parseRaw = (text: string, ids: readonly string[]) => {
    const tree = processor.parse(withDefinitions(text, ids)) as Root
    const children: RootContent[] = []
    const appended: RootContent[] = []
    for (const node of tree.children) ((node.position?.start.offset ?? 0) < text.length ? children : appended).push(node)
    const swallowed = appended.filter((node) => node.type === 'definition').length !== ids.length
    return { tree, children, appended: swallowed ? undefined : appended }
  }

  /** The raw parse of a whole chapter; when its last block swallows the definitions, without them. */
  const parseWhole = (file: VFile, ids: string[]): { tree: Root; raw: RawParse } => {
    const source = String(file)
    const parsed = parseRaw(source, ids)
    if (parsed.appended) return { tree: parsed.tree, raw: { source, ids: ids.join(' '), children: parsed.children, appended: parsed.appended } }
    const last = parsed.children.at(-1)
    report(file, 'warning', unclosedBlock, `This ${last?.type ?? 'block'} is never closed, so it runs to the end of the file`, {
      place: last?.position?.start,
      hint: 'Close the code fence or HTML block; rule links in this chapter are not resolved until then',
    })
    const tree = processor.parse(source) as Root
    // No definitions went in: the next edit is parsed whole again.
    return { tree, raw: { source, ids: noIds, children: tree.children, appended: [] } }
  }

  const parser = ((file, knownRuleIds) => {
    const { tree } = parseWhole(file, mentionedRuleIds(String(file), knownRuleIds))
    return processor.runSync(tree, file) as Root
  }) as ChapterParser

  // The plugins change the tree they are given, so they get a copy of the raw parse. Trees are plain
  // data (objects, arrays, strings, numbers), so klona's JSON copy gives what structuredClone gives
  // (but for a point two nodes share, copied as two equal points: nothing changes a point in place),
  // five times faster: a large chapter is copied twice per edit, here and by the link phase.
  parser.reparse = (file, knownRuleIds, previous) => {
    const source = String(file)
    const ids = mentionedRuleIds(source, knownRuleIds)
    const part = previous && reparseRaw(previous, source, ids.join(' '), parseRaw)
    if (!part) {
      const whole = parseWhole(file, ids)
      const tree = klona(whole.tree)
      return { tree: processor.runSync(tree, file) as Root, raw: whole.raw }
    }
    const raw: RawParse = { source, ids: ids.join(' '), children: part.children, appended: part.appended }
    const tree = klona(rawToRoot(raw.children, raw.appended, withDefinitions(source, ids)))
    return { tree: processor.runSync(tree, file) as Root, raw }
  }
  return parser
}
