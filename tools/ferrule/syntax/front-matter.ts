import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { location } from 'vfile-location'
import { isNode, parseDocument } from 'yaml'
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

    // The YAML starts on the line after the opening `---`.
    const yamlStart = (node.position?.start.offset ?? 0) + 4
    const place = location(file)
    const document = parseDocument(node.value)
    const [problem] = document.errors
    if (problem) {
      report(file, 'warning', ruleId, `Cannot read front matter: ${problem.message.split('\n')[0]}`, {
        place: place.toPoint(yamlStart + problem.pos[0]) ?? node.position,
      })
      return
    }
    const value: unknown = document.toJS()
    if (value === null || value === undefined) return
    if (typeof value !== 'object' || Array.isArray(value)) {
      report(file, 'warning', ruleId, 'Unexpected front matter, expected a YAML mapping such as `owner: T-lang`', {
        place: node.position,
      })
      return
    }
    /** Where the value of `key` stands, for pointing at it. */
    const placeOf = (key: string) => {
      const item = document.get(key, true)
      const range = isNode(item) ? item.range : undefined
      if (!range) return node.position
      const start = place.toPoint(yamlStart + range[0])
      const end = place.toPoint(yamlStart + range[1])
      return start && end ? { start, end } : node.position
    }
    const data = value as FrontMatter
    if (data.owner !== undefined && (typeof data.owner !== 'string' || (settings.owners && !settings.owners.has(data.owner)))) {
      const known = settings.owners ? [...settings.owners].join(', ') : 'a team name'
      report(file, 'warning', ruleId, `Unexpected owner \`${String(data.owner)}\`, expected one of ${known}`, {
        place: placeOf('owner'),
        hint: 'Add the team to `owners` in ferrule.config.ts if it is new',
      })
    }
    if (data.status !== undefined && !statuses.has(data.status)) {
      report(file, 'warning', ruleId, `Unexpected status \`${String(data.status)}\`, expected \`draft\` or \`stable\``, {
        place: placeOf('status'),
      })
    }
    file.data.frontMatter = data
  }
}
