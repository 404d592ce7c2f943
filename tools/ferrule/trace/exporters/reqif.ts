import { hash } from 'node:crypto'
import type { Finding, Matrix, MatrixRow, MatrixTest, RowTest, Tally, TestStatus } from '../types.ts'
import { verdicts } from '../types.ts'
import { unlinkedTests } from '../unlinked.ts'

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
/** The summary of a slice of the matrix (all of it, a chapter, an owner team's chapters), as the other exports give it. */
const tallyAttributes = [
  attribute('rules', 'integer', 'Rules', 'Rules in all'),
  ...verdicts.map((verdict) => attribute(`count-${verdict}`, 'integer', `Rules ${verdict}`, `Rules whose verdict is ${verdict}`)),
  attribute('coverage', 'string', 'Coverage', 'Share of the rules verified, waived or mitigated, in percent'),
]
const types = {
  chapter: {
    element: 'SPEC-OBJECT-TYPE', key: 'chapter', name: 'Chapter', desc: 'A chapter of the spec: the heading its rules sit under',
    attributes: [attribute('name', 'string', 'ReqIF.ChapterName', 'Chapter path relative to the spec root'), ...tallyAttributes],
  },
  owner: {
    element: 'SPEC-OBJECT-TYPE', key: 'owner', name: 'Owner team', desc: "An owner team, and the summary of its chapters' rules",
    attributes: [attribute('name', 'string', 'ReqIF.Name', 'The team, as the chapters name it'), ...tallyAttributes],
  },
  finding: {
    element: 'SPEC-OBJECT-TYPE', key: 'finding', name: 'Finding', desc: 'An integrity problem of the trace, for a reviewer to look at',
    attributes: [
      attribute('check', 'string', 'ReqIF.Name', 'Stable name of the check, such as ferrule:failing-test'),
      attribute('message', 'xhtml', 'ReqIF.Text', 'What was found and what was expected'),
      attribute('severity', 'string', 'Severity', 'error (the matrix command fails) or warning'),
      attribute('file', 'string', 'File', 'Where the problem is, relative to the working folder'),
      attribute('line', 'integer', 'Line', 'Line of the problem in that file'),
      attribute('rule', 'string', 'Rule', 'The rule concerned, as written (it may not exist)'),
      attribute('test', 'string', 'Test', 'The test concerned'),
    ],
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
  concerns: {
    element: 'SPEC-RELATION-TYPE', key: 'concerns', name: 'concerns', desc: 'The finding (source) is about the rule (target)',
    attributes: [],
  },
  specification: {
    element: 'SPECIFICATION-TYPE', key: 'specification', name: 'Certification matrix', desc: 'The rules chapter by chapter, the owner teams, or the findings',
    attributes: [
      attribute('name', 'string', 'ReqIF.Name', 'Title of the spec, or of the part of the matrix'),
      ...tallyAttributes,
      attribute('baseline', 'string', 'Baseline', 'The rules.json or matrix.json the changes are counted from'),
      attribute('added', 'string', 'Rules added', 'Since the baseline, comma-separated'),
      attribute('removed', 'string', 'Rules removed', 'Since the baseline, each with its chapter, comma-separated'),
      attribute('changed', 'string', 'Rules changed', 'Since the baseline, comma-separated'),
      attribute('suspect-links', 'integer', 'Suspect links', 'Links whose rule changed since their test last passed'),
      attribute('coverage-before', 'string', 'Coverage before', 'Coverage of the baseline, in percent'),
      attribute('coverage-after', 'string', 'Coverage after', 'Coverage now, in percent'),
    ],
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
 * Rules, chapters, the tests, the owner teams and the findings are SPEC-OBJECTs; `verifies`
 * (test → rule), `mitigates` (rule → threat) and `concerns` (finding → rule) are SPEC-RELATIONs.
 * One SPECIFICATION holds a SPEC-HIERARCHY per chapter with its rules, and carries the summary and
 * the changes since the baseline; a chapter and an owner team carry their own summary; three more
 * SPECIFICATIONs list the owner teams, the findings and the tests linked to no rule. Every
 * IDENTIFIER is derived from rule IDs, test IDs, chapter paths, team names and what a finding says
 * only, so that a re-import updates the objects of the last import instead of adding copies.
 */
export function matrixToReqif(matrix: Matrix, options?: Options): string {
  return [...matrixToReqifChunks(matrix, options)].join('')
}

/**
 * `matrixToReqif` in chunks of some hundred lines, each made when the last has been taken: a large
 * export can be written as it is made, and is never held whole. Each stays under V8's size for a
 * small object, about 128 KB: a larger string takes memory of its own from the system.
 */
export function* matrixToReqifChunks(matrix: Matrix, options?: Options): Generator<string> {
  // Written as text: a DOM (xmlbuilder2) of the benchmark matrix, 10,000 rules and 60,000 links,
  // took 40 s and 4 GB to build and serialise.
  const state: State = {
    chunks: [], parts: [], open: [], frames: new Map(), frame: null, shapes: new Map(), names: new Map(), testNames: new Map(),
    lastChange: xmlDateTime(options?.date ?? sourceDate()), longest: 0,
  }
  state.parts.push('<?xml version="1.0" encoding="UTF-8"?>\n')
  start(state, 'REQ-IF', ['xmlns', reqifNamespace, 'xmlns:xhtml', xhtmlNamespace])
  start(state, 'THE-HEADER')
  start(state, 'REQ-IF-HEADER', ['IDENTIFIER', 'ferrule-header'])
  leaf(state, 'COMMENT', 'Certification matrix: the rules of the spec, the tests that verify them and their verdicts')
  leaf(state, 'CREATION-TIME', state.lastChange)
  leaf(state, 'REQ-IF-TOOL-ID', 'Ferrule')
  leaf(state, 'REQ-IF-VERSION', '1.0')
  leaf(state, 'SOURCE-TOOL-ID', 'Ferrule')
  leaf(state, 'TITLE', matrix.title)
  end(state, 'REQ-IF-HEADER')
  end(state, 'THE-HEADER')

  start(state, 'CORE-CONTENT')
  start(state, 'REQ-IF-CONTENT')
  start(state, 'DATATYPES')
  // Tools refuse values longer than the datatype allows; never less than Excel's cell limit, so that
  // the datatype does not change with every export.
  const unlinked = unlinkedTests(matrix)
  // The linked tests in the order of the rules, then those linked to none.
  const tests = [...linkedTests(matrix), ...unlinked]
  const summary = summaryValues(matrix)
  const findings = findingKeys(matrix.findings)
  const maxLength = Math.max(32_767, longestString(matrix, tests, [summary.specification, ...[...chaptersOf(matrix)].map(summary.chapter), ...summary.owners.map(summary.owner), ...findings.map(({ finding }) => findingValues(finding))]))
  empty(state, 'DATATYPE-DEFINITION-STRING', [...identity(state, 'ferrule-datatype-string', 'String'), 'MAX-LENGTH', String(maxLength)])
  empty(state, 'DATATYPE-DEFINITION-INTEGER', [...identity(state, 'ferrule-datatype-integer', 'Integer'), 'MAX', '2147483647', 'MIN', '0'])
  empty(state, 'DATATYPE-DEFINITION-BOOLEAN', identity(state, 'ferrule-datatype-boolean', 'Boolean'))
  empty(state, 'DATATYPE-DEFINITION-XHTML', identity(state, 'ferrule-datatype-xhtml', 'XHTML'))
  enumeration(state, 'ferrule-datatype-verdict', 'Verdict', 'ferrule-verdict-', verdicts)
  enumeration(state, 'ferrule-datatype-status', 'Test status', 'ferrule-status-', statuses)
  end(state, 'DATATYPES')

  start(state, 'SPEC-TYPES')
  for (const type of Object.values(types)) specType(state, type)
  end(state, 'SPEC-TYPES')

  start(state, 'SPEC-OBJECTS')
  const chapters = new Map<string, MatrixRow[]>()
  for (const rule of matrix.rules) {
    const rules = chapters.get(rule.chapter)
    if (rules) rules.push(rule)
    else chapters.set(rule.chapter, [rule])
  }
  for (const chapter of chapters.keys()) specObject(state, identifiers.chapter(name(state, chapter)), chapter, types.chapter, summary.chapter(chapter))
  yield* taken(state)
  for (const rule of matrix.rules) {
    specObject(state, identifiers.rule(name(state, rule.id)), rule.id, types.rule, ruleValues(rule))
    yield* taken(state)
  }
  for (const test of tests) {
    specObject(state, identifiers.test(testName(state, test.id)), test.title, types.test, testValues(test))
    yield* taken(state)
  }
  for (const owner of summary.owners) specObject(state, identifiers.owner(name(state, owner)), owner, types.owner, summary.owner(owner))
  for (const { key, finding } of findings) specObject(state, identifiers.finding(key), finding.rule, types.finding, findingValues(finding))
  end(state, 'SPEC-OBJECTS')

  start(state, 'SPEC-RELATIONS')
  // Each relation is written once: a rule's tests are distinct, so are the findings' keys, and a
  // threat's mitigations are made so below.
  const relation = (identifier: string, source: string, target: string, type: SpecType, values: Record<string, Value>) => {
    const present = presentAttributes(state, type, values)
    // The values in the order of their holes in the markup.
    const count = present.texts.length
    framed(state, present.key, [identifier, ...present.texts, source, target], (state, holes) => {
      start(state, 'SPEC-RELATION', identity(state, holes[0]!))
      writeValues(state, type, present.definitions, holes.slice(1, count + 1))
      reference(state, 'SOURCE', 'SPEC-OBJECT-REF', holes[count + 1]!)
      reference(state, 'TARGET', 'SPEC-OBJECT-REF', holes[count + 2]!)
      reference(state, 'TYPE', 'SPEC-RELATION-TYPE-REF', typeIdentifier(type))
      end(state, 'SPEC-RELATION')
    })
  }
  const ruleIds = new Set(matrix.rules.map((rule) => rule.id))
  for (const rule of matrix.rules) {
    const ruleName = name(state, rule.id)
    for (const test of rule.tests) {
      const hashed = testName(state, test.id)
      relation(`ferrule-verifies-${hashed}_to_${ruleName}`, identifiers.test(hashed), identifiers.rule(ruleName), types.verifies, verifiesValues(test))
    }
    // A mitigating rule that is not in the matrix would leave a reference to nothing behind; one
    // that a threat names twice is related to it once.
    for (const mitigation of new Set(rule.mitigatedBy.filter((id) => ruleIds.has(id)))) {
      const mitigationName = name(state, mitigation)
      relation(`ferrule-mitigates-${mitigationName}_to_${ruleName}`, identifiers.rule(mitigationName), identifiers.rule(ruleName), types.mitigates, {})
    }
    yield* taken(state)
  }
  for (const { key, finding } of findings) {
    if (finding.ruleId === null || !ruleIds.has(finding.ruleId)) continue
    const ruleName = name(state, finding.ruleId)
    relation(`ferrule-concerns-${key}_to_${ruleName}`, identifiers.finding(key), identifiers.rule(ruleName), types.concerns, {})
  }
  end(state, 'SPEC-RELATIONS')

  start(state, 'SPECIFICATIONS')
  start(state, 'SPECIFICATION', identity(state, 'ferrule-specification', matrix.title))
  const title = presentAttributes(state, types.specification, summary.specification)
  writeValues(state, types.specification, title.definitions, title.texts)
  start(state, 'CHILDREN')
  for (const [chapter, rules] of chapters) {
    const chapterName = name(state, chapter)
    start(state, 'SPEC-HIERARCHY', identity(state, `ferrule-hierarchy-chapter-${chapterName}`))
    reference(state, 'OBJECT', 'SPEC-OBJECT-REF', identifiers.chapter(chapterName))
    start(state, 'CHILDREN')
    for (const rule of rules) {
      const ruleName = name(state, rule.id)
      hierarchyLeaf(state, `ferrule-hierarchy-rule-${ruleName}`, identifiers.rule(ruleName))
    }
    end(state, 'CHILDREN')
    end(state, 'SPEC-HIERARCHY')
    yield* taken(state)
  }
  end(state, 'CHILDREN')
  reference(state, 'TYPE', 'SPECIFICATION-TYPE-REF', typeIdentifier(types.specification))
  end(state, 'SPECIFICATION')
  const owners = summary.owners.map((owner) => name(state, owner))
  flatSpecification(state, 'owners', 'Owner teams', owners.map((owner) => [`ferrule-hierarchy-owner-${owner}`, identifiers.owner(owner)]))
  flatSpecification(state, 'findings', 'Findings', findings.map(({ key }) => [`ferrule-hierarchy-finding-${key}`, identifiers.finding(key)]))
  const unlinkedNames = unlinked.map((test) => testName(state, test.id))
  flatSpecification(state, 'unlinked-tests', 'Tests linked to no rule', unlinkedNames.map((test) => [`ferrule-hierarchy-unlinked-test-${test}`, identifiers.test(test)]))
  yield* taken(state)
  end(state, 'SPECIFICATIONS')
  end(state, 'REQ-IF-CONTENT')
  end(state, 'CORE-CONTENT')
  end(state, 'REQ-IF')
  flush(state)
  yield* taken(state)
  if (state.longest > maxLength) throw new Error(`Bug in the ReqIF writer: a value of ${state.longest} characters, over the MAX-LENGTH of ${maxLength} written`)
}

/** A SPECIFICATION of objects one level deep: the owner teams, or the findings. */
function flatSpecification(state: State, key: string, title: string, children: ReadonlyArray<[hierarchy: string, object: string]>): void {
  start(state, 'SPECIFICATION', identity(state, `ferrule-specification-${key}`, title))
  const values = presentAttributes(state, types.specification, { name: title })
  writeValues(state, types.specification, values.definitions, values.texts)
  if (children.length > 0) {
    start(state, 'CHILDREN')
    for (const [hierarchy, object] of children) hierarchyLeaf(state, hierarchy, object)
    end(state, 'CHILDREN')
  }
  reference(state, 'TYPE', 'SPECIFICATION-TYPE-REF', typeIdentifier(types.specification))
  end(state, 'SPECIFICATION')
}

/** A SPEC-HIERARCHY without children: the place of `object` in a specification. */
function hierarchyLeaf(state: State, identifier: string, object: string): void {
  framed(state, 'SPEC-HIERARCHY', [identifier, object], (state, [identifier, object]) => {
    start(state, 'SPEC-HIERARCHY', identity(state, identifier!))
    reference(state, 'OBJECT', 'SPEC-OBJECT-REF', object!)
    end(state, 'SPEC-HIERARCHY')
  })
}

/** The chapters of the matrix, in the order of their first rule. */
function chaptersOf(matrix: Matrix): Set<string> {
  return new Set(matrix.rules.map((rule) => rule.chapter))
}

/** The summary as attribute values: of the whole matrix (with the changes since the baseline), each chapter and each owner team. */
function summaryValues(matrix: Matrix): { specification: Record<string, Value>; chapter(chapter: string): Record<string, Value>; owners: string[]; owner(owner: string): Record<string, Value> } {
  const { overall, byChapter, byOwner } = matrix.summary
  const impact = matrix.impact
  const list = (ids: readonly string[]) => (ids.length > 0 ? ids.join(', ') : null)
  const specification: Record<string, Value> = { name: matrix.title, ...tallyValues(overall) }
  if (impact) {
    Object.assign(specification, {
      baseline: impact.baseline, added: list(impact.added), removed: list(impact.removed.map((rule) => `${rule.id} (${rule.chapter})`)), changed: list(impact.changed),
      'suspect-links': impact.suspectLinks, 'coverage-before': `${impact.coverageBefore}%`, 'coverage-after': `${impact.coverageAfter}%`,
    })
  }
  return {
    specification,
    chapter: (chapter) => ({ name: chapter, ...tallyValues(byChapter[chapter]) }),
    owners: Object.keys(byOwner).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    owner: (owner) => ({ name: owner, ...tallyValues(byOwner[owner]) }),
  }
}

function tallyValues(tally: Tally | undefined): Record<string, Value> {
  if (!tally) return {}
  const values: Record<string, Value> = { rules: tally.rules }
  for (const verdict of verdicts) values[`count-${verdict}`] = tally.counts[verdict]
  values.coverage = `${tally.coverage}%`
  return values
}

/**
 * Each finding with its part of identifiers: the first 128 bits of the SHA-256 of what it says, so
 * that the same finding has the same identifier in the next export; a finding said twice gets `-2`...
 */
function findingKeys(findings: readonly Finding[]): Array<{ key: string; finding: Finding }> {
  const seen = new Map<string, number>()
  return findings.map((finding) => {
    const digest = testHash(JSON.stringify([finding.rule, finding.severity, finding.file, finding.line, finding.message, finding.ruleId, finding.testId]))
    const count = (seen.get(digest) ?? 0) + 1
    seen.set(digest, count)
    return { key: count === 1 ? digest : `${digest}-${count}`, finding }
  })
}

function findingValues(finding: Finding): Record<string, Value> {
  return { check: finding.rule, message: finding.message, severity: finding.severity, file: finding.file, line: finding.line, rule: finding.ruleId, test: finding.testId }
}

/** The chunks made since the last were taken, taken. */
function* taken(state: State): Generator<string> {
  if (state.chunks.length === 0) return
  const chunks = state.chunks
  state.chunks = []
  yield* chunks
}

/** Each test linked to a rule, once, in the order of the rules. */
function linkedTests(matrix: Matrix): RowTest[] {
  const tests = new Map<string, RowTest>()
  for (const rule of matrix.rules) for (const test of rule.tests) if (!tests.has(test.id)) tests.set(test.id, test)
  return [...tests.values()]
}

/**
 * The length of the longest string value the export writes (as `attributeValues` counts them), so
 * that the string datatype, which comes first, can allow for it before the values are made.
 */
function longestString(matrix: Matrix, tests: ReadonlyArray<RowTest | MatrixTest>, others: ReadonlyArray<Record<string, Value>>): number {
  let longest = matrix.title.length
  const measure = (values: Record<string, Value>) => {
    for (const key in values) {
      const value = values[key]
      if (typeof value === 'string' && value.length > longest && key !== 'verdict' && key !== 'status') longest = value.length
    }
  }
  for (const rule of matrix.rules) {
    longest = Math.max(longest, rule.chapter.length)
    measure(ruleValues(rule))
    for (const test of rule.tests) measure(verifiesValues(test))
  }
  for (const test of tests) measure(testValues(test))
  for (const values of others) measure(values)
  return longest
}

function testValues(test: RowTest | MatrixTest): Record<string, Value> {
  return { id: test.id, title: test.title, file: test.file, line: test.line, status: test.status }
}

function verifiesValues(test: RowTest): Record<string, Value> {
  return { suspect: test.suspect, via: test.via }
}

function ruleValues(rule: MatrixRow): Record<string, Value> {
  return {
    id: rule.id, text: rule.summary, chapter: rule.chapter, line: rule.line, owner: rule.owner, kind: rule.kind,
    verdict: rule.verdict, change: rule.change, 'waiver-reason': rule.waiver?.reason ?? null,
    'waiver-reviewer': rule.waiver?.reviewer ?? null, 'waiver-date': rule.waiver?.date ?? null,
    'mitigated-by': rule.mitigatedBy.length > 0 ? rule.mitigatedBy.join(', ') : null, fingerprint: rule.fingerprint, link: rule.href,
  }
}

/** `ncName(id)`, made once per ID: the name of a rule is in its object, its place and each of its relations. */
function name(state: State, id: string): string {
  let result = state.names.get(id)
  if (result === undefined) {
    result = ncName(id)
    state.names.set(id, result)
  }
  return result
}

/** `testHash(id)`, made once per test: it is in the test's object and in each of its relations. */
function testName(state: State, id: string): string {
  let result = state.testNames.get(id)
  if (result === undefined) {
    result = testHash(id)
    state.testNames.set(id, result)
  }
  return result
}

function enumeration(state: State, identifier: string, name: string, prefix: string, values: readonly string[]): void {
  start(state, 'DATATYPE-DEFINITION-ENUMERATION', identity(state, identifier, name))
  start(state, 'SPECIFIED-VALUES')
  values.forEach((value, key) => {
    start(state, 'ENUM-VALUE', identity(state, prefix + ncName(value), value))
    start(state, 'PROPERTIES')
    empty(state, 'EMBEDDED-VALUE', ['KEY', String(key), 'OTHER-CONTENT', ''])
    end(state, 'PROPERTIES')
    end(state, 'ENUM-VALUE')
  })
  end(state, 'SPECIFIED-VALUES')
  end(state, 'DATATYPE-DEFINITION-ENUMERATION')
}

function specType(state: State, type: SpecType): void {
  const attributes = [...identity(state, typeIdentifier(type), type.name), 'DESC', type.desc]
  if (type.attributes.length === 0) return empty(state, type.element, attributes)
  start(state, type.element, attributes)
  start(state, 'SPEC-ATTRIBUTES')
  for (const definition of type.attributes) {
    const { suffix, datatype } = kinds[definition.kind]
    const element = `ATTRIBUTE-DEFINITION-${suffix}`
    const attributes = [...identity(state, attributeIdentifier(type, definition), definition.name), 'DESC', definition.desc]
    start(state, element, suffix === 'ENUMERATION' ? [...attributes, 'MULTI-VALUED', 'false'] : attributes)
    reference(state, 'TYPE', `DATATYPE-DEFINITION-${suffix}-REF`, datatype)
    end(state, element)
  }
  end(state, 'SPEC-ATTRIBUTES')
  end(state, type.element)
}

/** A SPEC-OBJECT, written whole through one frame for its type and the attributes it has values for. */
function specObject(state: State, identifier: string, name: string, type: SpecType, values: Record<string, Value>): void {
  const present = presentAttributes(state, type, values)
  framed(state, present.key, [identifier, name, ...present.texts], (state, [identifier, name, ...texts]) => {
    start(state, 'SPEC-OBJECT', identity(state, identifier!, name))
    writeValues(state, type, present.definitions, texts)
    reference(state, 'TYPE', 'SPEC-OBJECT-TYPE-REF', typeIdentifier(type))
    end(state, 'SPEC-OBJECT')
  })
}

/**
 * The attributes of `type` that have a value in `values`, the text each is written as, and a key
 * for the frame of an element with just these: the same object for the same type and attributes.
 */
function presentAttributes(state: State, type: SpecType, values: Record<string, Value>): { definitions: AttributeDefinition[]; texts: string[]; key: object } {
  const definitions: AttributeDefinition[] = []
  const texts: string[] = []
  let mask = 0
  type.attributes.forEach((definition, index) => {
    const value = values[definition.key]
    if (value === null || value === undefined) return
    definitions.push(definition)
    mask |= 1 << index
    // An enumeration's value is a reference to one of its ENUM-VALUEs.
    let text = String(value)
    if (definition.kind === 'verdict') text = `ferrule-verdict-${ncName(text)}`
    else if (definition.kind === 'status') text = `ferrule-status-${ncName(text)}`
    else if (typeof value === 'string') state.longest = Math.max(state.longest, value.length)
    texts.push(text)
  })
  let keys = state.shapes.get(type)
  if (keys === undefined) state.shapes.set(type, (keys = new Map()))
  let key = keys.get(mask)
  if (key === undefined) keys.set(mask, (key = { type, mask }))
  return { definitions, texts, key }
}

/** VALUES of an object, relation or specification: one per attribute of `definitions`, whose texts are `texts`. */
function writeValues(state: State, type: SpecType, definitions: readonly AttributeDefinition[], texts: readonly Text[]): void {
  if (definitions.length === 0) return
  start(state, 'VALUES')
  definitions.forEach((definition, index) => attributeValue(state, type, definition, texts[index]!))
  end(state, 'VALUES')
}

function attributeValue(state: State, type: SpecType, definition: AttributeDefinition, text: Text): void {
  const { suffix } = kinds[definition.kind]
  const element = `ATTRIBUTE-VALUE-${suffix}`
  if (definition.kind === 'xhtml') {
    start(state, element)
    start(state, 'THE-VALUE')
    // Text only, line breaks kept as they are: the summary is plain text whose line breaks are the
    // Markdown source's soft breaks, and indenting inside mixed content would change the text.
    leaf(state, 'xhtml:div', text)
    end(state, 'THE-VALUE')
  } else if (suffix === 'ENUMERATION') {
    start(state, element)
    reference(state, 'VALUES', 'ENUM-VALUE-REF', text)
  } else {
    start(state, element, ['THE-VALUE', text])
  }
  reference(state, 'DEFINITION', `ATTRIBUTE-DEFINITION-${suffix}-REF`, attributeIdentifier(type, definition))
  end(state, element)
}

/** IDENTIFIER, LAST-CHANGE and (when given) LONG-NAME, which every identifiable element has. */
function identity(state: State, identifier: Text, longName?: Text): Attributes {
  return longName === undefined
    ? ['IDENTIFIER', identifier, 'LAST-CHANGE', state.lastChange]
    : ['IDENTIFIER', identifier, 'LAST-CHANGE', state.lastChange, 'LONG-NAME', longName]
}

// The writer: one element a line, so that two exports diff line by line. Not indented: at 10,000
// rules and 60,000 links the indentation was a quarter of the file.
// Element and attribute names are constants of this file; every value goes through `escapeText` or
// `escapeAttribute`, in `put` and nowhere else.
//
// Its output is a list of strings, joined every some hundred lines into a chunk that is handed on. The cost is by the piece (millions of concatenated strings kept the garbage collector
// busy for most of the run), so markup is made once and reused: the tags of each element, and whole
// frames of markup around the values of an object or a relation (one for each type and set of
// attributes with values), or of a place in the hierarchy.

/** Parts joined into one chunk: some hundred lines. */
const partsPerChunk = 1024

interface State {
  /** The document so far, in pieces of some hundred lines. */
  chunks: string[]
  /** What was written since the last chunk. */
  parts: string[]
  /** Names of the elements open at this point, outermost first. */
  open: string[]
  /** The frames made so far, by their key (see `framed`). */
  frames: Map<unknown, Frame[]>
  /** The frame being made, when this state makes one. */
  frame: Frame | null
  /** The keys of frames of elements (see `presentAttributes`): by type, then by which attributes have values. */
  shapes: Map<SpecType, Map<number, object>>
  names: Map<string, string>
  testNames: Map<string, string>
  lastChange: string
  longest: number
}

/** Where a value goes in a frame: `framed` passes it to the function that writes the frame. */
const hole = Symbol('hole')
type Text = string | typeof hole

/** Attributes as name, value, name, value... */
type Attributes = ReadonlyArray<Text>

/**
 * Markup with holes for values, written once: `constants` around the holes, the escaping of each hole,
 * and the elements open before and after it.
 */
interface Frame {
  before: readonly string[]
  after: string[]
  constants: string[]
  escapes: Array<(value: string) => string>
}

/**
 * Writes what `write(state, values)` writes. The first time at this place, `write` is given holes
 * instead of values and what it writes is kept as a frame under `key`; every time, the values are
 * put in the holes of the frame. So `write` must write the same markup for every value, but for the
 * values: one `key` for each way of writing.
 */
function framed(state: State, key: unknown, values: readonly string[], write: (state: State, values: readonly Text[]) => void): void {
  let frames = state.frames.get(key)
  if (frames === undefined) state.frames.set(key, (frames = []))
  let frame = frames.find((frame) => sameOpen(frame.before, state.open))
  if (frame === undefined) {
    const making: State = { ...state, chunks: [], parts: [], open: [...state.open], frame: { before: [...state.open], after: [], constants: [], escapes: [] } }
    write(making, values.map(() => hole))
    frame = making.frame!
    frame.constants.push(making.parts.join(''))
    frame.after = making.open
    if (frame.escapes.length !== values.length) throw new Error(`Bug in the ReqIF writer: a frame has ${frame.escapes.length} holes for ${values.length} values`)
    frames.push(frame)
  }
  const escaped = values.map((value, index) => frame.escapes[index]!(value))
  // An empty value can change the markup: `<a></a>` is written `<a/>`.
  if (escaped.includes('')) return write(state, values)
  state.parts.push(frame.constants[0]!)
  escaped.forEach((value, index) => state.parts.push(value, frame.constants[index + 1]!))
  state.open = [...frame.after]
  if (state.parts.length > partsPerChunk) flush(state)
}

function sameOpen(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index])
}

/** Writes `text` escaped by `escape`, or, when making a frame and `text` is the hole, makes a hole. */
function put(state: State, text: Text, escape: (value: string) => string): void {
  if (text !== hole) {
    state.parts.push(escape(text))
    return
  }
  if (state.frame === null) throw new Error('Bug in the ReqIF writer: a hole outside a frame')
  state.frame.constants.push(state.parts.join(''))
  state.frame.escapes.push(escape)
  state.parts = []
}

/** The markup around names and values: an opening tag on a line of its own, and so on. */
const shapes = {
  open: (name: string) => `<${name}>\n`,
  close: (name: string) => `</${name}>\n`,
  empty: (name: string) => `<${name}/>\n`,
  tag: (name: string) => `<${name}`,
  leaf: (name: string) => `<${name}>`,
  leafEnd: (name: string) => `</${name}>\n`,
  attribute: (name: string) => ` ${name}="`,
}
type Shape = keyof typeof shapes
const markups = new Map<string, string>()

/** `shape` of `name`: the same every time, so made once. */
function markup(shape: Shape, name: string): string {
  const key = `${shape} ${name}`
  let result = markups.get(key)
  if (result === undefined) {
    result = shapes[shape](name)
    markups.set(key, result)
  }
  return result
}

/** Opens element `name`. */
function start(state: State, name: string, attributes: Attributes = []): void {
  if (attributes.length === 0) state.parts.push(markup('open', name))
  else {
    tag(state, name, attributes)
    state.parts.push('>\n')
  }
  state.open.push(name)
}

/** Closes the innermost open element, which must be `name`. */
function end(state: State, name: string): void {
  const open = state.open.pop()
  if (open !== name) throw new Error(`Bug in the ReqIF writer: closing \`${name}\` while \`${open}\` is open`)
  state.parts.push(markup('close', name))
  // Not while making a frame: its markup is taken from `parts`.
  if (state.parts.length > partsPerChunk && state.frame === null) flush(state)
}

/** An element without content. */
function empty(state: State, name: string, attributes: Attributes): void {
  tag(state, name, attributes)
  state.parts.push('/>\n')
}

/** An element holding only `text`; empty text makes an empty element, as xmlbuilder2 wrote it. */
function leaf(state: State, name: string, text: Text): void {
  if (text !== hole && escapeText(text) === '') {
    state.parts.push(markup('empty', name))
    return
  }
  state.parts.push(markup('leaf', name))
  put(state, text, escapeText)
  state.parts.push(markup('leafEnd', name))
}

function tag(state: State, name: string, attributes: Attributes): void {
  state.parts.push(markup('tag', name))
  for (let index = 0; index < attributes.length; index += 2) {
    state.parts.push(markup('attribute', attributes[index] as string))
    put(state, attributes[index + 1]!, escapeAttribute)
    state.parts.push('"')
  }
}

/** `<wrapper><name>identifier</name></wrapper>`: how ReqIF refers to another element. */
function reference(state: State, wrapper: string, name: string, identifier: Text): void {
  start(state, wrapper)
  leaf(state, name, identifier)
  end(state, wrapper)
}

/** Joins the parts written so far into a chunk. */
function flush(state: State): void {
  state.chunks.push(state.parts.join(''))
  state.parts = []
}


const typeIdentifier = (type: SpecType) => `ferrule-type-${type.key}`
const attributeIdentifier = (type: SpecType, definition: AttributeDefinition) => `ferrule-attribute-${type.key}-${definition.key}`

/** Identifiers of SPEC-OBJECTs, by the `ncName` of a rule ID, test ID or chapter path. */
const identifiers = {
  rule: (name: string) => `ferrule-rule-${name}`,
  test: (name: string) => `ferrule-test-${name}`,
  chapter: (name: string) => `ferrule-chapter-${name}`,
  owner: (name: string) => `ferrule-owner-${name}`,
  finding: (key: string) => `ferrule-finding-${key}`,
}

/** The IDENTIFIER of the SPEC-OBJECT of rule `id`: the same in every export. */
export const ruleIdentifier = (id: string) => identifiers.rule(ncName(id))
/** The IDENTIFIER of the SPEC-OBJECT of test `id`. */
export const testIdentifier = (id: string) => identifiers.test(testHash(id))

/**
 * A test's part of identifiers (and, of what a finding says, a finding's): the first 128 bits of
 * the SHA-256 of its ID, in hex. Test IDs are a
 * file and a whole title, often 150 characters and more; spelt out as `ncName`s they made up most of
 * a large export, in the test's object and again in each of its relations. The test ID itself is
 * the object's ReqIF.ForeignID.
 */
export function testHash(id: string): string {
  return hash('sha256', id).slice(0, 32)
}
/** The IDENTIFIER of the SPEC-OBJECT of a chapter, by its path. */
export const chapterIdentifier = (chapter: string) => identifiers.chapter(ncName(chapter))

/**
 * `value` made fit for the inside of an XML name (IDENTIFIER is an `xsd:ID`): ASCII letters, digits,
 * `.` and `-` stay, every other character (code point, not UTF-16 unit) becomes `_hex_`. Distinct
 * values give distinct results, and `_to_` (`t` is no hex digit) can join two of them without
 * ambiguity. The result may start with a digit, `.` or `-`, which no name may: every identifier puts
 * a `ferrule-...` prefix before it.
 */
export function ncName(value: string): string {
  return value.replace(/[^A-Za-z0-9.-]/gu, (char) => `_${char.codePointAt(0)!.toString(16)}_`)
}

// XML 1.0 has no way to write these, not even as character references: C0 controls other than tab and
// line breaks, lone surrogates, U+FFFE and U+FFFF.
const notXml = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

// Printable ASCII but `"`, `&`, `<` and `>`: nothing to do, the usual case, and three times faster to
// test for than to replace nothing.
const plain = /^[\x20\x21\x23-\x25\x27-\x3B\x3D\x3F-\x7E]*$/

const characterReferences: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' }
const characterReference = (char: string) => characterReferences[char]!

/**
 * `value` as XML character data: `&`, `<` and `>` (so `]]>` too) written as entity references, a
 * carriage return as `&#13;` (a parser would turn a literal one, or CR LF, into LF), and the
 * characters XML 1.0 cannot hold dropped. Reading the result gives `value` back, less those.
 */
export function escapeText(value: string): string {
  return plain.test(value) ? value : value.replace(notXml, '').replace(/[&<>\r]/g, characterReference)
}

/**
 * `value` as an attribute value between double quotes: as `escapeText`, and `"` as `&quot;`, tab and
 * line feed as `&#9;` and `&#10;`, which a parser would otherwise turn into spaces.
 */
export function escapeAttribute(value: string): string {
  return plain.test(value) ? value : value.replace(notXml, '').replace(/[&<>"\t\n\r]/g, characterReference)
}

function xmlDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** `SOURCE_DATE_EPOCH` (the reproducible-builds convention) when it is a number of seconds, else 1970. */
function sourceDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH?.trim()
  return new Date(epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : 0)
}
