import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { VFile } from 'vfile'
import type { SpecReader } from '../compile/compile.ts'
import { checkExampleRules } from '../compile/link.ts'
import { createChapterParser } from '../compile/parse.ts'
import { fingerprintOf } from '../compile/spec-index.ts'
import type { ResolvedConfig } from '../config.ts'
import { report } from '../diagnostics.ts'
import { summaryToOutline } from '../outline.ts'
import { writeFileAtomically } from '../site/atomic-write.ts'
import { ferruleVersion } from '../version.ts'
import { exampleOutsideRule, ignoreWithoutReason, unknownExampleWord } from '../syntax/code-info.ts'
import { mentionedRuleIds, scanProductionLabels, scanRuleIds } from '../syntax/rule-links.ts'
import type { ExampleInfo } from '../syntax/types.ts'

/** An executable example, as plain data: what a runner needs and where it came from. */
export interface CollectedExample {
  /** Chapter path relative to the root. */
  chapter: string
  /** Line of the opening fence. */
  line: number
  rule: string | undefined
  /** Fingerprint of the rule's text, when the rule is in the same chapter. */
  fingerprint: string | null
  info: ExampleInfo
  code: string
}

/** A chapter's examples and the diagnostics about them: what the cache keeps per chapter text. */
interface ChapterEntry {
  examples: Array<Omit<CollectedExample, 'chapter'>>
  messages: Array<{ line: number; column: number; ruleId: string; reason: string; hint: string | undefined }>
}

export interface CollectOptions {
  /** Where entries are kept (default: `node_modules/.cache/ferrule/examples` under the working folder). */
  cacheDir?: string
}

/** Bump when what the parse extracts changes, so that old entries stop matching. */
const cacheFormat = 3
const exampleChecks = new Set([exampleOutsideRule, ignoreWithoutReason, unknownExampleWord])

/**
 * The executable examples of every chapter in the outline, in reading order, with the diagnostics
 * about them (on `files`). Parsing dominates a run whose examples are all cached, so each chapter's
 * examples are cached by its text: an unchanged chapter is read, hashed and not parsed.
 *
 * The rest of the book's integrity (missing chapters, links) is `ferrule check`'s business.
 */
export async function collectExamples(config: ResolvedConfig, reader: SpecReader, options: CollectOptions = {}): Promise<{ examples: CollectedExample[]; files: VFile[] }> {
  const cacheDir = options.cacheDir ?? path.join(config.cwd, 'node_modules/.cache/ferrule/examples')
  const summaryText = await reader.read('SUMMARY.md')
  if (summaryText === undefined) throw Object.assign(new Error(`No SUMMARY.md in ${config.root}`), { code: 'ENOENT' })
  const outline = summaryToOutline(new VFile({ path: 'SUMMARY.md', value: summaryText }))
  const chapters: Array<{ path: string; text: string }> = []
  for (const chapter of outline.chapters) {
    const text = await reader.read(chapter.path!)
    if (text !== undefined) chapters.push({ path: chapter.path!, text })
  }
  const ruleIds = new Set<string>()
  for (const chapter of chapters) scanRuleIds(chapter.text, ruleIds)
  // The parse also knows the labels of productions, as the build's does: a rule's text that links to
  // one has the same plain text, and so the same fingerprint, in both.
  const known = new Set(ruleIds)
  for (const chapter of chapters) scanProductionLabels(chapter.text, known)

  const parse = createChapterParser({ owners: config.owners })
  const version = await ferruleVersion()
  const examples: CollectedExample[] = []
  const files: VFile[] = []
  for (const chapter of chapters) {
    const file = new VFile({ path: path.relative(config.cwd, path.join(config.root, chapter.path)), value: chapter.text, cwd: config.cwd })
    // The parse depends on the text and on which of the rule IDs it mentions exist (rule links).
    const mentioned = mentionedRuleIds(chapter.text, known)
    const key = createHash('sha256').update(JSON.stringify({ format: cacheFormat, version, text: chapter.text, mentioned })).digest('hex')
    const cacheFile = path.join(cacheDir, `${key}.json`)
    let entry = await readEntry(cacheFile)
    if (!entry) {
      entry = chapterEntry(parse, chapter.text, known)
      await writeFileAtomically(cacheFile, JSON.stringify(entry)).catch(() => {
        // The cache only saves time: an unwritable cache folder must not fail a run.
      })
    }
    for (const message of entry.messages) report(file, 'warning', message.ruleId, message.reason, { place: message, hint: message.hint })
    checkExampleRules(file, entry.examples.map((example) => ({ rule: example.info.rule, place: { line: example.line, column: 1 } })), ruleIds)
    for (const example of entry.examples) examples.push({ chapter: chapter.path, ...example })
    files.push(file)
  }
  return { examples, files }
}

function chapterEntry(parse: ReturnType<typeof createChapterParser>, text: string, ruleIds: ReadonlySet<string>): ChapterEntry {
  const file = new VFile({ value: text })
  parse(file, ruleIds)
  const ruleTexts = new Map((file.data.rules ?? []).map((rule) => [rule.id, rule.text]))
  const examples = (file.data.examples ?? [])
    .filter((example) => example.info)
    .map((example) => {
      const ruleText = example.rule === undefined ? undefined : ruleTexts.get(example.rule)
      return {
        line: example.position?.start.line ?? 0,
        rule: example.rule,
        fingerprint: ruleText === undefined ? null : fingerprintOf(ruleText),
        info: example.info!,
        code: example.node.value,
      }
    })
  const messages = file.messages
    .filter((message) => exampleChecks.has(message.ruleId ?? ''))
    .map((message) => ({ line: message.line ?? 1, column: message.column ?? 1, ruleId: message.ruleId!, reason: message.reason, hint: message.note }))
  return { examples, messages }
}

async function readEntry(file: string): Promise<ChapterEntry | undefined> {
  try {
    const entry = JSON.parse(await readFile(file, 'utf8')) as ChapterEntry
    return Array.isArray(entry.examples) && Array.isArray(entry.messages) ? entry : undefined
  } catch {
    // Missing or half-written: parse again.
    return undefined
  }
}
