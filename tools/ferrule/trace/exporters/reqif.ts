import { create } from 'xmlbuilder2'
import type { Matrix, MatrixRow, RowTest, TestStatus } from '../types.ts'
import { verdicts } from '../types.ts'

/** Options of `matrixToReqif`. */
export interface Options {
  /**
   * CREATION-TIME and every LAST-CHANGE. Default: `SOURCE_DATE_EPOCH` (seconds) when set, else
   * 1970-01-01T00:00:00Z, so that the same matrix gives the same bytes.
   */
  date?: Date
}

/** The ReqIF namespace; ReqIF 1.0.1 to 1.2 all use it, with REQ-IF-VERSION `1.0`. */
export const reqifNamespace = 'http://www.omg.org/spec/ReqIF/20110401/reqif.xsd'
const xhtmlNamespace = 'http://www.w3.org/1999/xhtml'

const statuses: readonly TestStatus[] = ['passed', 'failed', 'skipped']

type Node = ReturnType<typeof create>
type DataKind = 'string' | 'integer' | 'boolean' | 'xhtml' | 'verdict' | 'status'
type Value = string | number | boolean | null

/** One attribute of a spec type: `key` names it in identifiers, `name` is what tools show. */
interface AttributeDefinition {
  key: string
  kind: DataKind
  name: string
  desc: string
}

interface SpecType {
  element: 'SPEC-OBJECT-TYPE' | 'SPEC-RELATION-TYPE' | 'SPECIFICATION-TYPE'
  key: string
  name: string
  desc: string
  attributes: AttributeDefinition[]
}

// `ReqIF.*` names are the ones the ReqIF Implementation Guide recommends, which DOORS, Polarion
// and Jama map onto their own ID, name, text and heading fields.
const attribute = (key: string, kind: DataKind, name: string, desc: string): AttributeDefinition => ({ key, kind, name, desc })
const types = {
  chapter: {
    element: 'SPEC-OBJECT-TYPE', key: 'chapter', name: 'Chapter', desc: 'A chapter of the spec: the heading its rules sit under',
    attributes: [attribute('name', 'string', 'ReqIF.ChapterName', 'Chapter path relative to the spec root')],
  },
  rule: {
    element: 'SPEC-OBJECT-TYPE', key: 'rule', name: 'Rule', desc: 'A rule of the spec and its verdict',
    attributes: [
      attribute('id', 'string', 'ReqIF.ForeignID', 'Rule ID'),
      attribute('text', 'xhtml', 'ReqIF.Text', "First sentence of the rule's text"),
      attribute('chapter', 'string', 'Chapter', 'Chapter path relative to the spec root'),
      attribute('line', 'integer', 'Line', 'Line of the rule marker in the chapter'),
      attribute('owner', 'string', 'Owner', "The chapter's owner team"),
      attribute('kind', 'string', 'Kind', 'requirement, threat...'),
      attribute('verdict', 'verdict', 'Verdict', 'verified, failing, untested, uncovered, waived, mitigated or unmitigated'),
      attribute('change', 'string', 'Change', 'added, changed or unchanged since the baseline'),
      attribute('waiver-reason', 'string', 'Waiver reason', 'Why the rule is verified by review'),
      attribute('waiver-reviewer', 'string', 'Waiver reviewer', 'Who reviewed it'),
      attribute('waiver-date', 'string', 'Waiver date', 'When, YYYY-MM-DD'),
      attribute('mitigated-by', 'string', 'Mitigated by', 'Threats: the rules that mitigate it, comma-separated'),
      attribute('fingerprint', 'string', 'Fingerprint', "SHA-256 of the rule's whitespace-normalised text"),
      attribute('link', 'string', 'Link', 'The rule in the published site, relative to the matrix folder'),
    ],
  },
  test: {
    element: 'SPEC-OBJECT-TYPE', key: 'test', name: 'Test', desc: 'A test that verifies rules',
    attributes: [
      attribute('id', 'string', 'ReqIF.ForeignID', 'Test ID'),
      attribute('title', 'string', 'ReqIF.Name', 'Full title, suites included'),
      attribute('file', 'string', 'File', 'Test file relative to the working folder'),
      attribute('line', 'integer', 'Line', 'Line of the test in its file'),
      attribute('status', 'status', 'Status', 'passed, failed or skipped'),
    ],
  },
  verifies: {
    element: 'SPEC-RELATION-TYPE', key: 'verifies', name: 'verifies', desc: 'The test (source) verifies the rule (target)',
    attributes: [
      attribute('suspect', 'boolean', 'Suspect', 'The rule changed since the test last passed: the link does not count until it passes again'),
      attribute('via', 'string', 'Via', 'How the link was found: title, reference or example'),
    ],
  },
  mitigates: {
    element: 'SPEC-RELATION-TYPE', key: 'mitigates', name: 'mitigates', desc: 'The rule (source) mitigates the threat (target)',
    attributes: [],
  },
  specification: {
    element: 'SPECIFICATION-TYPE', key: 'specification', name: 'Certification matrix', desc: 'The rules, chapter by chapter',
    attributes: [attribute('name', 'string', 'ReqIF.Name', 'Title of the spec')],
  },
} satisfies Record<string, SpecType>

/** The element names and datatype of each kind of attribute. */
const kinds: Record<DataKind, { suffix: string; datatype: string }> = {
  string: { suffix: 'STRING', datatype: 'ferrule-datatype-string' },
  integer: { suffix: 'INTEGER', datatype: 'ferrule-datatype-integer' },
  boolean: { suffix: 'BOOLEAN', datatype: 'ferrule-datatype-boolean' },
  xhtml: { suffix: 'XHTML', datatype: 'ferrule-datatype-xhtml' },
  verdict: { suffix: 'ENUMERATION', datatype: 'ferrule-datatype-verdict' },
  status: { suffix: 'ENUMERATION', datatype: 'ferrule-datatype-status' },
}

/**
 * `matrix.reqif`: the matrix in ReqIF, for DOORS, Polarion, Jama and other requirements tools.
 * Rules, chapters and the linked tests are SPEC-OBJECTs; `verifies` (test → rule) and `mitigates`
 * (rule → threat) are SPEC-RELATIONs; one SPECIFICATION holds a SPEC-HIERARCHY per chapter with its
 * rules. Every IDENTIFIER is derived from rule IDs, test IDs and chapter paths only, so that a
 * re-import updates the objects of the last import instead of adding copies.
 */
export function matrixToReqif(matrix: Matrix, options?: Options): string {
  const state = { lastChange: xmlDateTime(options?.date ?? sourceDate()), longest: 0 }
  const root = create({ version: '1.0', encoding: 'UTF-8' })
    .ele(reqifNamespace, 'REQ-IF')
    .att('http://www.w3.org/2000/xmlns/', 'xmlns:xhtml', xhtmlNamespace)
  const header = root.ele('THE-HEADER').ele('REQ-IF-HEADER').att('IDENTIFIER', 'ferrule-header')
  header.ele('COMMENT').txt('Certification matrix: the rules of the spec, the tests that verify them and their verdicts')
  header.ele('CREATION-TIME').txt(state.lastChange)
  header.ele('REQ-IF-TOOL-ID').txt('Ferrule')
  header.ele('REQ-IF-VERSION').txt('1.0')
  header.ele('SOURCE-TOOL-ID').txt('Ferrule')
  header.ele('TITLE').txt(text(matrix.title))

  const content = root.ele('CORE-CONTENT').ele('REQ-IF-CONTENT')
  const datatypes = content.ele('DATATYPES')
  const string = identified(state, datatypes.ele('DATATYPE-DEFINITION-STRING'), 'ferrule-datatype-string', 'String')
  identified(state, datatypes.ele('DATATYPE-DEFINITION-INTEGER'), 'ferrule-datatype-integer', 'Integer').att('MAX', '2147483647').att('MIN', '0')
  identified(state, datatypes.ele('DATATYPE-DEFINITION-BOOLEAN'), 'ferrule-datatype-boolean', 'Boolean')
  identified(state, datatypes.ele('DATATYPE-DEFINITION-XHTML'), 'ferrule-datatype-xhtml', 'XHTML')
  enumeration(state, datatypes, 'ferrule-datatype-verdict', 'Verdict', 'ferrule-verdict-', verdicts)
  enumeration(state, datatypes, 'ferrule-datatype-status', 'Test status', 'ferrule-status-', statuses)

  const specTypes = content.ele('SPEC-TYPES')
  for (const type of Object.values(types)) specType(state, specTypes, type)

  const objects = content.ele('SPEC-OBJECTS')
  const chapters = new Map<string, MatrixRow[]>()
  for (const rule of matrix.rules) chapters.set(rule.chapter, [...(chapters.get(rule.chapter) ?? []), rule])
  for (const chapter of chapters.keys()) specObject(state, objects, chapterIdentifier(chapter), chapter, types.chapter, { name: chapter })
  for (const rule of matrix.rules) specObject(state, objects, ruleIdentifier(rule.id), rule.id, types.rule, ruleValues(rule))
  const tests = new Map<string, RowTest>()
  for (const test of matrix.rules.flatMap((rule) => rule.tests)) if (!tests.has(test.id)) tests.set(test.id, test)
  for (const test of tests.values()) {
    const values = { id: test.id, title: test.title, file: test.file, line: test.line, status: test.status }
    specObject(state, objects, testIdentifier(test.id), test.title, types.test, values)
  }

  const relations = content.ele('SPEC-RELATIONS')
  const seen = new Set<string>()
  const relation = (identifier: string, source: string, target: string, type: SpecType, values: Record<string, Value>) => {
    if (seen.has(identifier)) return
    seen.add(identifier)
    const node = identified(state, relations.ele('SPEC-RELATION'), identifier)
    attributeValues(state, node, type, values)
    node.ele('SOURCE').ele('SPEC-OBJECT-REF').txt(source)
    node.ele('TARGET').ele('SPEC-OBJECT-REF').txt(target)
    node.ele('TYPE').ele('SPEC-RELATION-TYPE-REF').txt(typeIdentifier(type))
  }
  const ruleIds = new Set(matrix.rules.map((rule) => rule.id))
  for (const rule of matrix.rules) {
    for (const test of rule.tests) {
      const identifier = `ferrule-verifies-${ncName(test.id)}_to_${ncName(rule.id)}`
      relation(identifier, testIdentifier(test.id), ruleIdentifier(rule.id), types.verifies, { suspect: test.suspect, via: test.via })
    }
    // A mitigating rule that is not in the matrix would leave a reference to nothing behind.
    for (const mitigation of rule.mitigatedBy.filter((id) => ruleIds.has(id))) {
      const identifier = `ferrule-mitigates-${ncName(mitigation)}_to_${ncName(rule.id)}`
      relation(identifier, ruleIdentifier(mitigation), ruleIdentifier(rule.id), types.mitigates, {})
    }
  }

  const specification = identified(state, content.ele('SPECIFICATIONS').ele('SPECIFICATION'), 'ferrule-specification', matrix.title)
  attributeValues(state, specification, types.specification, { name: matrix.title })
  const children = specification.ele('CHILDREN')
  for (const [chapter, rules] of chapters) {
    const chapterNode = identified(state, children.ele('SPEC-HIERARCHY'), `ferrule-hierarchy-chapter-${ncName(chapter)}`)
    chapterNode.ele('OBJECT').ele('SPEC-OBJECT-REF').txt(chapterIdentifier(chapter))
    const ruleNodes = chapterNode.ele('CHILDREN')
    for (const rule of rules) {
      const ruleNode = identified(state, ruleNodes.ele('SPEC-HIERARCHY'), `ferrule-hierarchy-rule-${ncName(rule.id)}`)
      ruleNode.ele('OBJECT').ele('SPEC-OBJECT-REF').txt(ruleIdentifier(rule.id))
    }
  }
  specification.ele('TYPE').ele('SPECIFICATION-TYPE-REF').txt(typeIdentifier(types.specification))

  // Tools refuse values longer than the datatype allows; never less than Excel's cell limit, so that
  // the datatype does not change with every export.
  string.att('MAX-LENGTH', String(Math.max(32_767, state.longest)))
  return root.end({ prettyPrint: true }) + '\n'
}

interface State {
  lastChange: string
  longest: number
}

function ruleValues(rule: MatrixRow): Record<string, Value> {
  return {
    id: rule.id, text: rule.summary, chapter: rule.chapter, line: rule.line, owner: rule.owner, kind: rule.kind,
    verdict: rule.verdict, change: rule.change, 'waiver-reason': rule.waiver?.reason ?? null,
    'waiver-reviewer': rule.waiver?.reviewer ?? null, 'waiver-date': rule.waiver?.date ?? null,
    'mitigated-by': rule.mitigatedBy.length > 0 ? rule.mitigatedBy.join(', ') : null, fingerprint: rule.fingerprint, link: rule.href,
  }
}

/** Adds IDENTIFIER, LAST-CHANGE and (when given) LONG-NAME, which every identifiable element has. */
function identified(state: State, node: Node, identifier: string, longName?: string): Node {
  node.att('IDENTIFIER', identifier).att('LAST-CHANGE', state.lastChange)
  return longName === undefined ? node : node.att('LONG-NAME', attributeText(longName))
}

function enumeration(state: State, parent: Node, identifier: string, name: string, prefix: string, values: readonly string[]): void {
  const list = identified(state, parent.ele('DATATYPE-DEFINITION-ENUMERATION'), identifier, name).ele('SPECIFIED-VALUES')
  values.forEach((value, key) => {
    const node = identified(state, list.ele('ENUM-VALUE'), prefix + ncName(value), value)
    node.ele('PROPERTIES').ele('EMBEDDED-VALUE').att('KEY', String(key)).att('OTHER-CONTENT', '')
  })
}

function specType(state: State, parent: Node, type: SpecType): void {
  const node = identified(state, parent.ele(type.element), typeIdentifier(type), type.name).att('DESC', type.desc)
  if (type.attributes.length === 0) return
  const attributes = node.ele('SPEC-ATTRIBUTES')
  for (const definition of type.attributes) {
    const { suffix, datatype } = kinds[definition.kind]
    const element = identified(state, attributes.ele(`ATTRIBUTE-DEFINITION-${suffix}`), attributeIdentifier(type, definition), definition.name)
    element.att('DESC', definition.desc)
    if (suffix === 'ENUMERATION') element.att('MULTI-VALUED', 'false')
    element.ele('TYPE').ele(`DATATYPE-DEFINITION-${suffix}-REF`).txt(datatype)
  }
}

function specObject(state: State, parent: Node, identifier: string, name: string, type: SpecType, values: Record<string, Value>): void {
  const node = identified(state, parent.ele('SPEC-OBJECT'), identifier, name)
  attributeValues(state, node, type, values)
  node.ele('TYPE').ele('SPEC-OBJECT-TYPE-REF').txt(typeIdentifier(type))
}

/** VALUES of an object, relation or specification: one per attribute of its type that has a value. */
function attributeValues(state: State, node: Node, type: SpecType, values: Record<string, Value>): void {
  const present = type.attributes.filter((definition) => values[definition.key] !== null && values[definition.key] !== undefined)
  if (present.length === 0) return
  const list = node.ele('VALUES')
  for (const definition of present) {
    const value = values[definition.key]!
    const { suffix } = kinds[definition.kind]
    const element = list.ele(`ATTRIBUTE-VALUE-${suffix}`)
    if (definition.kind === 'xhtml') {
      // Text only, line breaks kept as they are: the summary is plain text whose line breaks are the
      // Markdown source's soft breaks, and a pretty-printer indents mixed content, changing the text.
      element.ele('THE-VALUE').ele(xhtmlNamespace, 'xhtml:div').txt(text(String(value)))
      state.longest = Math.max(state.longest, String(value).length)
    } else if (suffix === 'ENUMERATION') {
      const prefix = definition.kind === 'verdict' ? 'ferrule-verdict-' : 'ferrule-status-'
      element.ele('VALUES').ele('ENUM-VALUE-REF').txt(prefix + ncName(String(value)))
    } else {
      element.att('THE-VALUE', attributeText(String(value)))
      if (typeof value === 'string') state.longest = Math.max(state.longest, value.length)
    }
    element.ele('DEFINITION').ele(`ATTRIBUTE-DEFINITION-${suffix}-REF`).txt(attributeIdentifier(type, definition))
  }
}

const typeIdentifier = (type: SpecType) => `ferrule-type-${type.key}`
const attributeIdentifier = (type: SpecType, definition: AttributeDefinition) => `ferrule-attribute-${type.key}-${definition.key}`

/** The IDENTIFIER of the SPEC-OBJECT of rule `id`: the same in every export. */
export const ruleIdentifier = (id: string) => `ferrule-rule-${ncName(id)}`
/** The IDENTIFIER of the SPEC-OBJECT of test `id`. */
export const testIdentifier = (id: string) => `ferrule-test-${ncName(id)}`
/** The IDENTIFIER of the SPEC-OBJECT of a chapter, by its path. */
export const chapterIdentifier = (chapter: string) => `ferrule-chapter-${ncName(chapter)}`

/**
 * `value` made fit for the inside of an XML name (IDENTIFIER is an `xsd:ID`): ASCII letters, digits,
 * `.` and `-` stay, every other character becomes `_hex_`. Distinct values give distinct results,
 * and `_to_` (`t` is no hex digit) can join two of them without ambiguity.
 */
export function ncName(value: string): string {
  let out = ''
  for (const char of value) out += /^[A-Za-z0-9.-]$/.test(char) ? char : `_${char.codePointAt(0)!.toString(16)}_`
  return out
}

// XML 1.0 has no way to write these, not even as character references.
const notXml = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/**
 * Text for xmlbuilder2. It leaves `&` alone when it looks like the start of an entity reference
 * (oozcitak/xmlbuilder2#117), so a rule mentioning `&amp;` or `&nbsp;` would come out wrong or not
 * well-formed. Writing every `&` as `&amp;` first is safe: that is exactly what it does not encode again.
 */
function text(value: string): string {
  return value.replace(notXml, '').replace(/&/g, '&amp;')
}

/** Like `text`, and keeps tabs and line breaks, which a parser would otherwise turn into spaces in an attribute. */
function attributeText(value: string): string {
  return text(value).replace(/[\t\n\r]/g, (char) => `&#${char.charCodeAt(0)};`)
}

function xmlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** `SOURCE_DATE_EPOCH` (the reproducible-builds convention) when it is a number of seconds, else 1970. */
function sourceDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH?.trim()
  return new Date(epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : 0)
}
