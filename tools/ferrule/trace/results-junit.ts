import path from 'node:path'
import { location, type Location } from 'vfile-location'
import { XMLParser } from 'fast-xml-parser'
import { ruleIdsInTitle } from './test-tags.ts'
import type { Finding, TestResult, TestStatus } from './types.ts'

/**
 * An element as fast-xml-parser gives it with `preserveOrder`: one key, the tag name, holding the
 * children in document order, and its attributes under `:@`.
 */
type OrderedNode = Record<string, unknown>

const attributesKey = ':@'
const metaData = XMLParser.getMetaDataSymbol() as unknown as symbol

/**
 * Tests of a JUnit XML report. Reads the dialects in common use (Maven Surefire, pytest,
 * cargo-nextest, vitest's `junit` reporter, anything that follows the same schema): a
 * `<testsuites>` or a bare `<testsuite>` root, suites nested to any depth, one `<testcase>` per test.
 *
 * A test's ID is `junit:` + classname + `/` + name, which stays the same from run to run; it failed
 * when it has a `<failure>` or an `<error>` (a flaky test that passed on a retry has neither), was
 * skipped with `<skipped>`, and passed otherwise. Its file is the `file` attribute, made relative
 * to `cwd` when absolute, else its classname. A test ID seen twice is a warning; both results are kept
 * (`buildMatrix` counts the test as failed when either failed).
 *
 * Throws when `xml` is not well-formed or its root is not a JUnit one, naming `file`.
 */
export function junitToResults(xml: string, file: string, cwd?: string): { tests: TestResult[]; findings: Finding[] } {
  const lines = location(xml)
  const root = parseRoot(xml, file, lines)
  const tests: TestResult[] = []
  const findings: Finding[] = []
  const firstLines = new Map<string, number | null>()
  // A suite that failed outside its test cases (a crate that did not compile, a setup that threw)
  // may have run none of them: its tests cannot say so, so the matrix must.
  for (const suite of failedSuites(root)) {
    findings.push({
      rule: 'ferrule:failed-suite',
      severity: 'error',
      file,
      line: lineOf(suite.failure, lines),
      message: `Suite \`${suite.name}\` failed outside its tests${suite.message ? ` (${suite.message})` : ''}; its tests may not have run, so the rules they verify are not known to be verified`,
      ruleId: null,
      testId: null,
    })
  }
  for (const testcase of collectTestcases(root, [])) {
    const xmlLine = lineOf(testcase.node, lines)
    const attributes = testcase.attributes
    const name = attributes.name
    if (name === undefined) {
      findings.push({
        rule: 'ferrule:malformed-result',
        severity: 'warning',
        file,
        line: xmlLine,
        message: 'A `<testcase>` without a `name` attribute is ignored; expected `<testcase name="..." classname="...">`',
        ruleId: null,
        testId: null,
      })
      continue
    }
    const classname = attributes.classname || undefined
    const id = classname === undefined ? `junit:${name}` : `junit:${classname}/${name}`
    if (firstLines.has(id)) {
      const first = firstLines.get(id)
      findings.push({
        rule: 'ferrule:duplicate-test',
        severity: 'warning',
        file,
        line: xmlLine,
        message: `Test \`${id}\` appears again${first === null || first === undefined ? '' : ` (first at line ${first})`}; it failed if either failed, expected one \`<testcase>\` per classname and name`,
        ruleId: null,
        testId: id,
      })
    } else {
      firstLines.set(id, xmlLine)
    }
    tests.push({
      id,
      title: classname === undefined ? name : `${classname} > ${name}`,
      name,
      file: attributes.file ? toRelative(attributes.file, cwd) : (classname ?? file),
      line: lineAttribute(attributes.line, testcase.zeroBasedLines),
      status: statusOf(testcase.node),
      durationMs: durationOf(attributes.time),
      source: 'junit',
      rules: ruleIdsInTitle(name),
      ruleFingerprints: null,
      ...(attributes.file ? { fileGiven: true } : { reportPlace: { file, line: xmlLine } }),
    })
  }
  return { tests, findings }
}

/** The root element, after checking that the document is well-formed XML with a JUnit root. */
function parseRoot(xml: string, file: string, lines: Location): OrderedNode {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    // XML's numeric character references (`&#233;`, which pytest writes for control characters)
    // are only decoded with this option; the named HTML entities it also allows do no harm.
    htmlEntities: true,
  })
  let document: OrderedNode[]
  try {
    document = parser.parse(xml, true) as OrderedNode[]
  } catch (error) {
    // The validator's message ends with `:line:column`.
    const message = (error as Error).message
    const place = /^([\s\S]*):(\d+):(?:\d+|undefined)$/.exec(message)
    const where = place ? `${file}:${place[2]}` : file
    throw new Error(`${where}: not well-formed XML (${place ? place[1] : message}); expected a JUnit XML report`)
  }
  const elements = document.filter((node) => !tagOf(node).startsWith('#'))
  const root = elements[0]
  const rootName = root ? tagOf(root) : undefined
  if (!root || (rootName !== 'testsuites' && rootName !== 'testsuite')) {
    const found = rootName === undefined ? 'no element' : `<${rootName}>`
    throw new Error(`${file}: expected a JUnit XML report, whose root element is <testsuites> or <testsuite>; found ${found}`)
  }
  if (elements.length > 1) {
    throw new Error(`${file}:${lineOf(elements[1]!, lines) ?? 1}: a second root element <${tagOf(elements[1]!)}>; expected a JUnit XML report with one root`)
  }
  return root
}

interface Testcase {
  node: OrderedNode
  attributes: Record<string, string>
  /** pytest writes 0-based line numbers. */
  zeroBasedLines: boolean
}

/** Every `<testcase>` under `node`, in document order; `suites` are the names of the suites above. */
function collectTestcases(node: OrderedNode, suites: readonly string[]): Testcase[] {
  const tag = tagOf(node)
  const name = attributesOf(node).name ?? ''
  const inside = tag === 'testsuites' || tag === 'testsuite' ? [...suites, name] : suites
  const found: Testcase[] = []
  for (const child of childrenOf(node)) {
    const childTag = tagOf(child)
    if (childTag === 'testcase') {
      // pytest's suite is named `pytest` (and its root `pytest tests`) unless configured otherwise.
      found.push({ node: child, attributes: attributesOf(child), zeroBasedLines: inside.includes('pytest') || inside[0] === 'pytest tests' })
    } else if (childTag === 'testsuite' || childTag === 'testsuites') {
      found.push(...collectTestcases(child, inside))
    }
  }
  return found
}

/** Each suite with an `<error>` or `<failure>` of its own, outside its test cases, and that element. */
function failedSuites(node: OrderedNode): Array<{ name: string; failure: OrderedNode; message: string | undefined }> {
  const found: Array<{ name: string; failure: OrderedNode; message: string | undefined }> = []
  const tag = tagOf(node)
  if (tag !== 'testsuites' && tag !== 'testsuite') return found
  let reported = false
  for (const child of childrenOf(node)) {
    const childTag = tagOf(child)
    if (tag === 'testsuite' && (childTag === 'error' || childTag === 'failure') && !reported) {
      found.push({ name: attributesOf(node).name ?? '(unnamed)', failure: child, message: attributesOf(child).message })
      reported = true
    } else if (childTag === 'testsuite' || childTag === 'testsuites') {
      found.push(...failedSuites(child))
    }
  }
  return found
}

function statusOf(testcase: OrderedNode): TestStatus {
  const tags = new Set(childrenOf(testcase).map(tagOf))
  if (tags.has('failure') || tags.has('error')) return 'failed'
  if (tags.has('skipped')) return 'skipped'
  return 'passed'
}

/** Seconds, as `0.012`; old Surefire versions wrote `1,234.5` in some locales. */
function durationOf(time: string | undefined): number | null {
  if (time === undefined) return null
  let text = time.trim()
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) text = text.replaceAll(',', '')
  if (!/^\d+(?:\.\d*)?(?:[eE][-+]?\d+)?$|^\.\d+$/.test(text)) return null
  const seconds = Number(text)
  return Number.isFinite(seconds) ? Math.round(seconds * 1000) : null
}

function lineAttribute(value: string | undefined, zeroBased: boolean): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null
  const line = Number(value) + (zeroBased ? 1 : 0)
  return line >= 1 ? line : null
}

/** A `file` attribute as a path relative to the working folder, `/`-separated. */
function toRelative(file: string, cwd: string | undefined): string {
  const slashed = file.replaceAll('\\', '/')
  if (path.posix.isAbsolute(slashed) || path.win32.isAbsolute(file)) {
    return cwd === undefined ? slashed : path.relative(cwd, file).split(path.sep).join('/')
  }
  return path.posix.normalize(slashed)
}

function tagOf(node: OrderedNode): string {
  for (const key of Object.keys(node)) if (key !== attributesKey) return key
  return ''
}

function childrenOf(node: OrderedNode): OrderedNode[] {
  const children = node[tagOf(node)]
  return Array.isArray(children) ? (children as OrderedNode[]) : []
}

function attributesOf(node: OrderedNode): Record<string, string> {
  return (node[attributesKey] as Record<string, string> | undefined) ?? {}
}

/** The 1-based line an element starts on, from the offset the parser recorded. */
function lineOf(node: OrderedNode, place: Location): number | null {
  const offset = (node as Record<symbol, { startIndex?: number } | undefined>)[metaData]?.startIndex
  return offset === undefined ? null : (place.toPoint(offset)?.line ?? null)
}
