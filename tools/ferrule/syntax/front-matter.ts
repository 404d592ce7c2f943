import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { report } from '../diagnostics.ts'
import type { FrontMatter } from './types.ts'

export const ruleId = 'front-matter'

export interface Options {
  /** Teams that may own a chapter; any other `owner` is a warning (default: any owner). */
  owners?: ReadonlySet<string> | undefined
}

const emptyOptions: Options = {}
const statuses = new Set(['draft', 'stable'])

/**
 * Read a chapter's YAML front matter (parsed by `remark-frontmatter`) into `file.data.frontMatter`
 * and remove it from the tree. Unreadable YAML and unknown values are warnings.
 */
export default function remarkFerruleFrontMatter(options?: Options) {
  const settings = options ?? emptyOptions
  return (tree: Root, file: VFile): void => {
    const node = tree.children[0]
    file.data.frontMatter = {}
    if (node?.type !== 'yaml') return
    tree.children.shift()

    let value: unknown
    try {
      value = parseYaml(node.value)
    } catch (error) {
      const line = error instanceof YAMLParseError ? error.linePos?.[0] : undefined
      // The YAML starts on the line after the opening `---`.
      const place = line && node.position ? { line: node.position.start.line + line.line, column: line.col } : node.position
      report(file, 'warning', ruleId, `Cannot read front matter: ${firstLine(error)}`, { place })
      return
    }
    if (value === null || value === undefined) return
    if (typeof value !== 'object' || Array.isArray(value)) {
      report(file, 'warning', ruleId, 'Unexpected front matter, expected a YAML mapping such as `owner: T-lang`', {
        place: node.position,
      })
      return
    }
    const data = value as FrontMatter
    if (data.owner !== undefined && (typeof data.owner !== 'string' || (settings.owners && !settings.owners.has(data.owner)))) {
      const known = settings.owners ? [...settings.owners].join(', ') : 'a team name'
      report(file, 'warning', ruleId, `Unexpected owner \`${String(data.owner)}\`, expected one of ${known}`, {
        place: node.position,
        hint: 'Add the team to `owners` in ferrule.config.ts if it is new',
      })
    }
    if (data.status !== undefined && !statuses.has(data.status)) {
      report(file, 'warning', ruleId, `Unexpected status \`${String(data.status)}\`, expected \`draft\` or \`stable\``, {
        place: node.position,
      })
    }
    file.data.frontMatter = data
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? ''
}
