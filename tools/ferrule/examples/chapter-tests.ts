import { encode, type SourceMapMappings } from '@jridgewell/sourcemap-codec'
import type { Rolldown } from 'vite'
import type { VFile } from 'vfile'
import { unknownRule } from '../compile/link.ts'
import { fingerprintOf } from '../compile/spec-index.ts'
import { exampleOutsideRule, ignoreWithoutReason, unknownExampleWord } from '../syntax/code-info.ts'
import type { ExampleFact } from '../syntax/types.ts'
import { chapterPlace, sliceCode } from './code-slice.ts'
import type { ExampleTestSpec } from './runtime.ts'
import type { ExampleTypeChecker } from './ts-typecheck.ts'

/** A parsed chapter, as the examples need it. */
export interface ChapterForTests {
  /** Chapter path relative to the spec root, `/`-separated. */
  chapter: string
  /** Chapter path for messages, relative to the working folder. */
  file: string
  /** Absolute path of the chapter. */
  absolute: string
  markdown: string
  parsed: VFile
  /** Rule IDs defined anywhere in the spec, against which `parsed` has had its `rule=ID`s checked. */
  knownRuleIds: ReadonlySet<string>
}

const exampleChecks = new Set([exampleOutsideRule, ignoreWithoutReason, unknownExampleWord, unknownRule])

/** The module that runs one TypeScript example: the chapter file with a query naming the example's line. */
export function exampleModuleId(absoluteChapter: string, line: number): string {
  return `${absoluteChapter}?ferrule-example=${line}&lang.ts`
}

/** The chapter and example line named by an example module ID, if `id` is one. */
export function parseExampleModuleId(id: string): { chapter: string; line: number } | undefined {
  const match = /^(.*)\?ferrule-example=(\d+)&lang\.ts$/.exec(id)
  return match ? { chapter: match[1]!, line: Number(match[2]) } : undefined
}

/**
 * Describe each executable example of a chapter as a test: its title, its rule, and every problem
 * that makes it fail before it runs (mistakes in its info string, an unknown `rule=ID`, type errors).
 */
export function chapterToTestSpecs(chapter: ChapterForTests, typecheck: ExampleTypeChecker): ExampleTestSpec[] {
  const examples = (chapter.parsed.data.examples ?? []).filter((example) => example.info)
  const tsExamples = examples.filter((example) => example.info!.runner === 'ts' && example.info!.ignore === undefined)
  const slices = new Map(tsExamples.map((example) => [example, sliceCode(chapter.markdown, example.node, chapter.absolute)]))
  const typeProblems = tsExamples.length === 0 ? new Map() : typecheck(tsExamples.map((example) => ({ fileName: typecheckName(chapter, example), code: slices.get(example)!.code })))

  const ruleTexts = new Map((chapter.parsed.data.rules ?? []).map((rule) => [rule.id, rule.text]))
  return examples.map((example) => {
    const info = example.info!
    const ruleText = example.rule === undefined ? undefined : ruleTexts.get(example.rule)
    const line = example.position?.start.line ?? 0
    const problems = authorProblems(chapter, example)
    const slice = slices.get(example)
    for (const problem of typeProblems.get(typecheckName(chapter, example)) ?? []) {
      const place = chapterPlace(slice!, problem.line, problem.column)
      problems.push(`${chapter.file}:${place.line}:${place.column}: ${problem.message}`)
    }
    const spec: ExampleTestSpec = {
      title: `[${example.rule ?? 'no rule'}] ${chapter.chapter}:${line}`,
      rule: example.rule,
      runner: info.runner,
      chapter: chapter.chapter,
      file: chapter.file,
      line,
      fingerprint: ruleText === undefined ? null : fingerprintOf(ruleText),
      ignore: info.ignore,
      problems,
    }
    if (info.runner === 'ts') spec.shouldThrow = info.shouldThrow
    else spec.rust = { code: example.node.value, mode: info.mode, edition: info.edition, errorCodes: info.errorCodes, firstLine: line + 1 }
    return spec
  })
}

function typecheckName(chapter: ChapterForTests, example: ExampleFact): string {
  return `${chapter.absolute}.L${example.position?.start.line ?? 0}.ts`
}

function authorProblems(chapter: ChapterForTests, example: ExampleFact): string[] {
  const start = example.position?.start
  return chapter.parsed.messages
    .filter((message) => exampleChecks.has(message.ruleId ?? '') && start !== undefined && message.line === start.line && message.column === start.column)
    .map((message) => `${chapter.file}:${message.line}:${message.column}: ${message.reason} (ferrule:${message.ruleId})${message.note ? `\n  hint: ${message.note}` : ''}`)
}

/** Where the code that registers the tests comes from, as import specifiers. */
export interface TestModuleImports {
  runtime: string
  rustOptions: object
}

/**
 * The test module of a chapter: one line per example, each mapped to the example's fence, so that
 * vitest places each test (and any error thrown while registering it) on the chapter's line.
 */
export function testModuleOf(chapter: ChapterForTests, specs: readonly ExampleTestSpec[], imports: TestModuleImports): { code: string; map: Rolldown.ExistingRawSourceMap } {
  const lines = [
    `import { tsExampleTest, rustExampleTest } from ${JSON.stringify(imports.runtime)}`,
    `const rustOptions = ${JSON.stringify(imports.rustOptions)}`,
  ]
  const mappings: SourceMapMappings = [[], []]
  for (const spec of specs) {
    if (spec.runner === 'ts') {
      lines.push(`tsExampleTest(${JSON.stringify(spec)}, () => import(${JSON.stringify(exampleModuleId(chapter.absolute, spec.line))}))`)
    } else {
      lines.push(`rustExampleTest(${JSON.stringify(spec)}, rustOptions)`)
    }
    mappings.push([[0, 0, spec.line - 1, 0]])
  }
  const map = { version: 3, file: chapter.absolute, sources: [chapter.absolute], sourcesContent: [chapter.markdown], names: [], mappings: encode(mappings) }
  return { code: lines.join('\n') + '\n', map }
}
