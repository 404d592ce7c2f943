import type { Root } from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import { unified } from 'unified'
import { VFile } from 'vfile'
import { report } from '../diagnostics.ts'
import remarkFerruleAdmonitions from '../syntax/admonitions.ts'
import remarkFerruleCodeInfo from '../syntax/code-info.ts'
import remarkFerruleFrontMatter from '../syntax/front-matter.ts'
import remarkFerruleHeadingIds from '../syntax/heading-ids.ts'
import remarkFerruleRuleLinks, { mentionedRuleIds } from '../syntax/rule-links.ts'
import remarkFerruleRuleMarkers from '../syntax/rule-markers.ts'

export const unclosedBlock = 'unclosed-block'

export interface ParseOptions {
  /** Teams that may own a chapter (default: any). */
  owners?: ReadonlySet<string> | undefined
}

/** Parses one chapter: pure, so its result can be cached by the chapter's text and the IDs it mentions. */
export type ChapterParser = (file: VFile, knownRuleIds: ReadonlySet<string>) => Root

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
    .use(remarkFerruleCodeInfo)
    .freeze()

  return (file, knownRuleIds) => {
    const source = String(file)
    const ids = mentionedRuleIds(source, knownRuleIds)
    let tree: Root
    if (ids.length === 0) {
      tree = processor.parse(file)
    } else {
      // Definitions for the rule IDs the chapter mentions go after its end; see `remarkFerruleRuleLinks`.
      const definitions = ids.map((id) => `[${id}]: #r-${id}`).join('\n')
      tree = processor.parse(new VFile(`${source}\n\n${definitions}\n`))
      const appended = tree.children.filter((node) => node.type === 'definition' && (node.position?.start.offset ?? 0) >= source.length)
      if (appended.length !== ids.length) {
        // The last block runs to the end of the file and swallowed the definitions.
        const last = tree.children.at(-1)
        report(file, 'warning', unclosedBlock, `This ${last?.type ?? 'block'} is never closed, so it runs to the end of the file`, {
          place: last?.position?.start,
          hint: 'Close the code fence or HTML block; rule links in this chapter are not resolved until then',
        })
        tree = processor.parse(file)
      }
    }
    return processor.runSync(tree, file) as Root
  }
}
