import { readdir, readFile, stat } from 'node:fs/promises'
import { location } from 'vfile-location'
import path from 'node:path'
import { traceableIdPattern } from '../syntax/types.ts'
import type { Finding, ReferenceTag } from './types.ts'

/** Test files that may hold `//@ reference:` tags. */
const extensions = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.rs'])

/** A tag line, trimmed: `//@ reference: ID`, as in rustc's test suite. */
const tagPattern = /^\/\/@\s*reference:(.*)$/

/**
 * Every `//@ reference: ID` tag in the test files under `folders` (relative to `cwd`, or absolute;
 * a folder that does not exist holds no tags). Skips `node_modules`, `fixtures` and hidden folders. Tags are
 * sorted by file, then line; files are named relative to `cwd`, `/`-separated.
 *
 * Whether each ID names an existing rule is for the caller to check.
 */
export async function scanReferences(folders: string[], cwd: string): Promise<{ tags: ReferenceTag[]; findings: Finding[] }> {
  const files = new Map<string, string>()
  for (const folder of folders) await collectFiles(path.resolve(cwd, folder), cwd, files)
  const tags: ReferenceTag[] = []
  const findings: Finding[] = []
  for (const relative of [...files.keys()].sort(byString)) {
    const found = referencesInSource(await readFile(files.get(relative)!, 'utf8'), relative)
    tags.push(...found.tags)
    findings.push(...found.findings)
  }
  return { tags, findings }
}

/**
 * The `//@ reference:` tags of one test file; `file` names it in the results, and its extension
 * says the language (`.rs`: Rust, anything else: JavaScript or TypeScript).
 *
 * A tag is a line comment alone on its line. It applies to the next test declared after it: in
 * Rust the next `fn NAME`, in JavaScript the first argument of the next `test(...)` or `it(...)`
 * call (`test.skip(...)`, `it.only(...)`, `test.skipIf(cond)(...)` too), when that is a plain string.
 * Tags on consecutive lines (blank lines, comments, attributes and decorators between them allowed)
 * stack: all apply to the same test. A tag with no test after it before the next tag that is not
 * part of its stack, or before the end of the file, is dangling: `test` is `null`, and a warning;
 * so is a tag before a test whose title is computed (`` test(`a ${b}`) ``, `test(name)`).
 */
export function referencesInSource(text: string, file: string): { tags: ReferenceTag[]; findings: Finding[] } {
  const rust = file.endsWith('.rs')
  const source = rust ? maskRust(text) : maskJs(text)
  const starts = lineStarts(text)
  const place = location(text)
  const declarations = new Map<number, TestDeclaration>()
  for (const declaration of rust ? rustTests(source) : jsTests(source, text)) {
    const line = place.toPoint(declaration.offset)?.line ?? 1
    if (!declarations.has(line)) declarations.set(line, declaration)
  }

  const tags: ReferenceTag[] = []
  const findings: Finding[] = []
  let pending: Array<{ rule: string; line: number }> = []
  let codeSincePending = false
  const testShape = rust ? 'a `fn` (such as `#[test] fn name()`)' : "a `test('title', ...)` or `it('title', ...)` call"
  const dangle = (reason: string, expected = `${testShape} after it`) => {
    for (const tag of pending) {
      tags.push({ rule: tag.rule, file, line: tag.line, test: null })
      findings.push({
        rule: 'ferrule:dangling-reference',
        severity: 'warning',
        file,
        line: tag.line,
        message: `\`//@ reference: ${tag.rule}\` ${reason}; expected ${expected}`,
        ruleId: tag.rule,
        testId: null,
      })
    }
    pending = []
  }

  for (let index = 0; index < starts.length; index++) {
    const line = index + 1
    const start = starts[index]!
    const end = index + 1 < starts.length ? starts[index + 1]! - 1 : text.length
    const raw = text.slice(start, end)
    const trimmed = raw.trim()
    const tag = source.lineComments.has(start + raw.length - raw.trimStart().length) ? tagPattern.exec(trimmed) : null
    if (tag) {
      if (codeSincePending) dangle('is followed by no test before the next tag')
      codeSincePending = false
      const id = tag[1]!.trim()
      if (traceableIdPattern.test(id)) {
        pending.push({ rule: id, line })
      } else {
        findings.push({
          rule: 'ferrule:malformed-reference',
          severity: 'error',
          file,
          line,
          message: `${id === '' ? '`//@ reference:` without a rule ID' : `Malformed rule ID \`${id}\` in \`//@ reference:\``}; expected one rule ID per tag, dot-separated segments of \`a-z\`, \`0-9\`, \`_\` and \`-\`, or a production's \`grammar.Name\``,
          ruleId: null,
          testId: null,
        })
      }
      continue
    }
    const declaration = declarations.get(line)
    if (declaration) {
      if (declaration.name === null) {
        dangle(`precedes a test (line ${line}) whose title is computed`, 'a title in quotes, or in backticks without `${`, that results can be matched by')
      } else {
        const suites = declaration.suites === undefined ? {} : { suites: declaration.suites }
        const template = declaration.template ? { template: true as const } : {}
        for (const tag of pending) tags.push({ rule: tag.rule, file, line: tag.line, test: declaration.name, ...suites, ...template })
        pending = []
      }
      codeSincePending = false
      continue
    }
    if (pending.length > 0 && isCode(source.code.slice(start, end).trim())) codeSincePending = true
  }
  dangle('is followed by no test before the end of the file')
  tags.sort((a, b) => a.line - b.line)
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  return { tags, findings }
}

/** Attributes (`#[test]`) and decorators (`@skip`) belong to the declaration after them. */
function isCode(maskedLine: string): boolean {
  return maskedLine !== '' && !maskedLine.startsWith('#') && !maskedLine.startsWith('@')
}

async function collectFiles(absolute: string, cwd: string, files: Map<string, string>): Promise<void> {
  let info
  try {
    info = await stat(absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if (info.isFile()) {
    if (extensions.has(path.extname(absolute))) files.set(toRelative(absolute, cwd), absolute)
    return
  }
  const entries = await readdir(absolute, { withFileTypes: true })
  for (const entry of entries.sort((a, b) => byString(a.name, b.name))) {
    if (entry.name.startsWith('.')) continue
    const child = path.join(absolute, entry.name)
    if (entry.isDirectory()) {
      // Fixtures are inputs of tests, not tests: their tags are not this project's.
      if (entry.name !== 'node_modules' && entry.name !== 'fixtures') await collectFiles(child, cwd, files)
    } else if (entry.isFile() && extensions.has(path.extname(entry.name))) {
      files.set(toRelative(child, cwd), child)
    }
  }
}

function toRelative(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join('/')
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

// Finding declarations ------------------------------------------------------------------------

interface TestDeclaration {
  offset: number
  /** `null` when the title is computed, so no result can be matched to it by name. */
  name: string | null
  /**
   * JavaScript: the titles of the `describe(...)` calls around it, outermost first; `null` when one
   * of them is computed. Rust: absent (a result names a test by its `fn` and module path).
   */
  suites?: string[] | null
  /** JavaScript: its title or one of its `describe`s' is a `.each(...)`/`.for(...)` template. */
  template?: true
}

function rustTests(source: MaskedSource): TestDeclaration[] {
  return [...source.code.matchAll(/\bfn\s+(?:r#)?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => ({ offset: match.index, name: match[1]! }))
}

/** `test(` and `it(` calls, with any chain of modifiers (`.skip`, `.skipIf(cond)`, `.each(table)`). */
function jsTests(source: MaskedSource, text: string): TestDeclaration[] {
  // The `describe(...)` calls, by the span of their arguments, in order of their start.
  const suites: Array<{ start: number; end: number; title: string | null; template: boolean }> = []
  for (const match of source.code.matchAll(/(?<![\w$.])(?<!\bfunction\s+)describe(?![\w$])/g)) {
    const call = titledCall(source, text, match.index + match[0].length)
    if (call !== undefined && call.open >= 0) suites.push({ start: call.open, end: closingParen(source.code, call.open), title: call.title, template: call.template })
  }
  const found: TestDeclaration[] = []
  for (const match of source.code.matchAll(/(?<![\w$.])(?<!\bfunction\s+)(?:test|it)(?![\w$])/g)) {
    const call = titledCall(source, text, match.index + match[0].length)
    if (call === undefined) continue
    const around = suites.filter((suite) => suite.start < match.index && (suite.end < 0 || match.index < suite.end))
    const template = call.template || around.some((suite) => suite.template)
    found.push({
      offset: match.index,
      name: call.title,
      suites: around.some((suite) => suite.title === null) ? null : around.map((suite) => suite.title!),
      ...(template ? { template: true as const } : {}),
    })
  }
  return found
}

/**
 * The title of the call whose callee ends at `from`, and where that call's `(` is: the first call in
 * the chain whose first argument is a string; a `null` title (and the last call's `(`) when none is;
 * `undefined` when there is no call at all. `template`: the chain has an `.each` or a `.for`, whose
 * title is a template that vitest fills in for each case (`'adds %i'`, `'$a + $b'`).
 */
function titledCall(source: MaskedSource, text: string, from: number): { title: string | null; open: number; template: boolean } | undefined {
  const code = source.code
  let index = from
  let open = -1
  let template = false
  for (;;) {
    index = skipSpace(code, index)
    if (code[index] === '.') {
      const member = /\s*([A-Za-z_$][\w$]*)/y
      member.lastIndex = index + 1
      const name = member.exec(code)?.[1]
      if (name === undefined) break
      if (name === 'each' || name === 'for') template = true
      index = member.lastIndex
    } else if (code[index] === '(') {
      const literal = source.strings.get(skipSpace(code, index + 1))
      if (literal) return { title: literal.substitution ? null : unescapeJs(text.slice(literal.start + 1, literal.contentEnd)), open: index, template }
      open = index
      const close = closingParen(code, index)
      if (close < 0) break
      index = close + 1
    } else {
      break
    }
  }
  return open >= 0 ? { title: null, open, template } : undefined
}

function skipSpace(code: string, index: number): number {
  while (index < code.length && /\s/.test(code[index]!)) index++
  return index
}

/** Comments and literals are blanked in `code`, so counting parentheses is enough. */
function closingParen(code: string, open: number): number {
  let depth = 0
  for (let index = open; index < code.length; index++) {
    if (code[index] === '(') depth++
    else if (code[index] === ')' && --depth === 0) return index
  }
  return -1
}

/** The value of a string literal's content, escapes decoded. */
function unescapeJs(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_, escape: string) => {
    if (escape.startsWith('u{')) return String.fromCodePoint(Number.parseInt(escape.slice(2, -1), 16))
    if ((escape.startsWith('u') || escape.startsWith('x')) && escape.length > 1) return String.fromCharCode(Number.parseInt(escape.slice(1), 16))
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '', '\r\n': '', '\r': '' }
    return simple[escape] ?? escape
  })
}

// Masking comments and literals -----------------------------------------------------------------

/**
 * A source text with comments, string contents and regular expressions blanked (same length, line
 * breaks kept), so that what looks like a test or a tag inside them is not taken for one.
 */
interface MaskedSource {
  code: string
  /** Offsets where a `//` comment starts. */
  lineComments: Set<number>
  /** String and template literals by the offset of their opening quote. */
  strings: Map<number, { start: number; contentEnd: number; substitution: boolean }>
}

/** After these words a `/` starts a regular expression, not a division. */
const beforeExpression = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await'])

function maskJs(text: string): MaskedSource {
  const out = text.split('')
  const blank = (from: number, to: number) => {
    for (let index = from; index < to; index++) if (out[index] !== '\n' && out[index] !== '\r') out[index] = ' '
  }
  const lineComments = new Set<number>()
  const strings: MaskedSource['strings'] = new Map()
  // Open `${` substitutions: the brace depth they opened at and their template's opening quote.
  const substitutions: Array<{ depth: number; start: number }> = []
  let depth = 0
  let regexAllowed = true
  let index = 0

  /** Scan template text from `from` (after `` ` `` or `}`) to its end or its next `${`. */
  const template = (start: number, from: number) => {
    let at = from
    while (at < text.length && text[at] !== '`' && !(text[at] === '$' && text[at + 1] === '{')) at += text[at] === '\\' ? 2 : 1
    at = Math.min(at, text.length)
    blank(from, at)
    const literal = strings.get(start)!
    if (text[at] === '$') {
      literal.substitution = true
      substitutions.push({ depth: ++depth, start })
      index = at + 2
      regexAllowed = true
    } else {
      literal.contentEnd = at
      index = at + 1
      regexAllowed = false
    }
  }

  while (index < text.length) {
    const char = text[index]!
    const next = text[index + 1]
    if (char === '/' && next === '/') {
      lineComments.add(index)
      const end = endOfLine(text, index)
      blank(index, end)
      index = end
    } else if (char === '/' && next === '*') {
      const close = text.indexOf('*/', index + 2)
      const end = close < 0 ? text.length : close + 2
      blank(index, end)
      index = end
    } else if (char === "'" || char === '"') {
      let at = index + 1
      while (at < text.length && text[at] !== char && text[at] !== '\n') at += text[at] === '\\' ? 2 : 1
      at = Math.min(at, text.length)
      strings.set(index, { start: index, contentEnd: at, substitution: false })
      blank(index + 1, at)
      index = text[at] === char ? at + 1 : at
      regexAllowed = false
    } else if (char === '`') {
      strings.set(index, { start: index, contentEnd: text.length, substitution: false })
      template(index, index + 1)
    } else if (char === '/' && regexAllowed) {
      let at = index + 1
      let inClass = false
      while (at < text.length && text[at] !== '\n' && (inClass || text[at] !== '/')) {
        if (text[at] === '[') inClass = true
        else if (text[at] === ']') inClass = false
        at += text[at] === '\\' ? 2 : 1
      }
      blank(index + 1, Math.min(at, text.length))
      index = at + 1
      regexAllowed = false
    } else if (/[\w$]/.test(char)) {
      const word = /[\w$]+/y
      word.lastIndex = index
      const value = word.exec(text)![0]
      index += value.length
      regexAllowed = beforeExpression.has(value)
    } else {
      if (char === '{') depth++
      if (char === '}') {
        const open = substitutions.at(-1)
        if (open && open.depth === depth) {
          substitutions.pop()
          depth--
          template(open.start, index + 1)
          continue
        }
        depth--
      }
      if (!/\s/.test(char)) regexAllowed = char !== ')' && char !== ']'
      index++
    }
  }
  return { code: out.join(''), lineComments, strings }
}

/** A Rust character literal (as opposed to a lifetime or a label, which also start with `'`). */
const rustChar = /'(?:\\(?:u\{[0-9a-fA-F_]{1,8}\}|x[0-9a-fA-F]{2}|[nrt\\0'"])|[^\\'\n\r\t])'/uy

function maskRust(text: string): MaskedSource {
  const out = text.split('')
  const blank = (from: number, to: number) => {
    for (let index = from; index < to; index++) if (out[index] !== '\n' && out[index] !== '\r') out[index] = ' '
  }
  const lineComments = new Set<number>()
  let index = 0
  while (index < text.length) {
    const char = text[index]!
    const next = text[index + 1]
    if (char === '/' && next === '/') {
      lineComments.add(index)
      const end = endOfLine(text, index)
      blank(index, end)
      index = end
    } else if (char === '/' && next === '*') {
      // Rust's block comments nest.
      let nesting = 0
      let at = index
      do {
        if (text.startsWith('/*', at)) {
          nesting++
          at += 2
        } else if (text.startsWith('*/', at)) {
          nesting--
          at += 2
        } else {
          at++
        }
      } while (nesting > 0 && at < text.length)
      blank(index, at)
      index = at
    } else if (char === '"') {
      let at = index + 1
      while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1
      blank(index + 1, Math.min(at, text.length))
      index = at + 1
    } else if (char === "'") {
      rustChar.lastIndex = index
      const literal = rustChar.exec(text)
      if (literal) blank(index + 1, index + literal[0].length - 1)
      index += literal ? literal[0].length : 1
    } else if (/\w/.test(char)) {
      const word = /\w+/y
      word.lastIndex = index
      const value = word.exec(text)![0]
      index += value.length
      const raw = /#*"/y
      raw.lastIndex = index
      const opening = value === 'r' || value === 'br' || value === 'cr' ? raw.exec(text) : null
      if (opening) {
        // A raw string ends at a quote followed by as many `#` as it opened with.
        const closing = '"' + '#'.repeat(opening[0].length - 1)
        const close = text.indexOf(closing, index + opening[0].length)
        const end = close < 0 ? text.length : close
        blank(index + opening[0].length, end)
        index = close < 0 ? text.length : close + closing.length
      }
    } else {
      index++
    }
  }
  return { code: out.join(''), lineComments, strings: new Map() }
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf('\n', from)
  return end < 0 ? text.length : end
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) starts.push(index + 1)
  return starts
}

