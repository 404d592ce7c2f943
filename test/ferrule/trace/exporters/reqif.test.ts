import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { escapeAttribute, escapeText, matrixToReqif, matrixToReqifChunks, ncName, ruleIdentifier, testHash, testIdentifier } from '../../../../tools/ferrule/trace/exporters/reqif.ts'
import type { Matrix, MatrixRow, RowTest } from '../../../../tools/ferrule/trace/types.ts'
import { verdicts } from '../../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../../helpers/matrix.ts'

const schema = fileURLToPath(new URL('../../../../schemas/reqif/reqif_schema/reqif.xsd', import.meta.url))
const xmllintAvailable = spawnSync('xmllint', ['--version']).status === 0

/** What `xmllint --schema` says about `xml`: `null` when it validates. */
function schemaErrors(xml: string): string | null {
  const folder = mkdtempSync(join(tmpdir(), 'ferrule-reqif-'))
  try {
    const file = join(folder, 'matrix.reqif')
    writeFileSync(file, xml)
    // --nonet: the schema and everything it imports are in the repository.
    const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' })
    return result.status === 0 ? null : result.stderr
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

interface Element {
  name: string
  attributes: Record<string, string>
  text: string
  children: Element[]
}

/** The document as a tree, attributes and entities decoded the way a ReqIF tool reads them. */
function parse(xml: string): Element {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, parseTagValue: false, parseAttributeValue: false, trimValues: false, htmlEntities: true })
  const convert = (node: Record<string, unknown>): Element => {
    const name = Object.keys(node).find((key) => key !== ':@')!
    const content = node[name] as Array<Record<string, unknown>>
    const children = content.filter((child) => !('#text' in child)).map(convert)
    const text = content.map((child) => ('#text' in child ? String(child['#text']) : '')).join('')
    return { name, attributes: (node[':@'] ?? {}) as Record<string, string>, text, children }
  }
  const root = (parser.parse(xml) as Array<Record<string, unknown>>).find((node) => 'REQ-IF' in node)!
  return convert(root)
}

function all(element: Element): Element[] {
  return [element, ...element.children.flatMap(all)]
}

/** SPEC-OBJECTs by their `ReqIF.ForeignID` value. */
function objectsByForeignId(root: Element): Map<string, Element> {
  const definitions = new Map(all(root).filter((element) => element.name.startsWith('ATTRIBUTE-DEFINITION-') && element.attributes.IDENTIFIER).map((element) => [element.attributes.IDENTIFIER!, element.attributes['LONG-NAME']]))
  const objects = new Map<string, Element>()
  for (const object of all(root).filter((element) => element.name === 'SPEC-OBJECT')) {
    for (const value of all(object).filter((element) => element.name === 'ATTRIBUTE-VALUE-STRING')) {
      const definition = all(value).find((element) => element.name === 'ATTRIBUTE-DEFINITION-STRING-REF')!.text
      if (definitions.get(definition) === 'ReqIF.ForeignID') objects.set(value.attributes['THE-VALUE']!, object)
    }
  }
  return objects
}

/** A matrix of `size` rules over several chapters, with awkward test IDs, links and threats. */
function bigMatrix(size: number): Matrix {
  const base = sampleMatrix()
  const rules: MatrixRow[] = Array.from({ length: size }, (_, index) => {
    const id = `ch${index % 7}.rule-${index}_x`
    const tests: RowTest[] = Array.from({ length: index % 5 }, (__, n) => ({
      id: [`test/a b.test.ts#${id} ${n}`, `junit:Cls$Inner/${id}::t${n}`, `rust:ch${index % 7}.md:${n}`, `vitest:ü/${n}&amp;`][n % 4]!,
      title: `[${id}] case ${n} <&> "quoted"`,
      file: `test/ch${index % 7}.test.ts`,
      line: n === 2 ? null : n + 1,
      status: (['passed', 'failed', 'skipped'] as const)[n % 3]!,
      via: 'title',
      suspect: n === 1,
    }))
    const threat = index % 10 === 9
    return {
      id, chapter: `part ${index % 3}/chapter ${index % 7}.md`, line: index + 1, owner: index % 5 === 0 ? null : `T-${index % 5}`,
      kind: threat ? 'threat' : 'requirement', fingerprint: index.toString(16).padStart(64, '0'),
      summary: `Rule ${index}: a\tb\nc & d &nbsp; e < f`, tests, verdict: verdicts[index % verdicts.length]!,
      waiver: index % 6 === 0 ? { reason: 'Reviewed.\nTwice.', reviewer: 'R', date: '2026-01-02' } : null,
      mitigatedBy: threat ? [`ch${(index - 1) % 7}.rule-${index - 1}_x`, 'no.such.rule'] : [],
      change: null, href: `../site/${id}.html`,
    }
  })
  return { ...base, rules, tests: [] }
}

/**
 * `rules` rules in 40 chapters with `links` links in all (as many per rule), to tests that each verify
 * a few rules, as in a real matrix; every tenth rule is a threat mitigated by the rule before it.
 */
function linkedMatrix(rules: number, links: number): Matrix {
  const perRule = links / rules
  const tests = Math.round(links / 1.5)
  return {
    ...sampleMatrix(),
    tests: [],
    rules: Array.from({ length: rules }, (_, index): MatrixRow => {
      const id = `part-${index % 4}.chapter-${index % 40}.r${index}`
      const threat = index % 10 === 9
      return {
        id, chapter: `part-${index % 4}/chapter-${index % 40}.md`, line: index + 1, owner: `T-${index % 6}`,
        kind: threat ? 'threat' : 'requirement', fingerprint: index.toString(16).padStart(64, '0'),
        summary: `Rule ${index} accepts \`a < b && c\` and evaluates the operand.`, verdict: verdicts[index % verdicts.length]!,
        waiver: null, mitigatedBy: threat ? [`part-${(index - 1) % 4}.chapter-${(index - 1) % 40}.r${index - 1}`] : [], change: null,
        href: `../site/part-${index % 4}/chapter-${index % 40}.html#r-${id}`,
        tests: Array.from({ length: perRule }, (__, n): RowTest => {
          const test = (index * perRule + n * 7919) % tests
          return {
            id: `test/file-${test % 300}.test.ts#accepts clone representation ${test} [${id}]`, title: `accepts clone representation ${test}`,
            file: `test/file-${test % 300}.test.ts`, line: test + 3, status: (['passed', 'failed', 'skipped'] as const)[test % 3]!, via: 'title', suspect: test % 50 === 0,
          }
        }),
      }
    }),
  }
}

/** Every character but those XML 1.0 cannot hold, in the order of `value`. */
const xmlCharacters = (value: string) => value.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')

/** Text that breaks naive XML writers. */
const hostile = 'a]]>b &amp; &nbsp; &#38; <![CDATA[x]]> <b>"q" \'s\' \t tab\r\ncrlf\rcr\nlf \u0000\u0001\u0008\u000b\u000c\u001f\u007f\u0085 \uD800 \uDFFF \uFFFE\uFFFF 😀 \u{10FFFF} ü'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('matrixToReqif', () => {
  test.skipIf(!xmllintAvailable)('the sample matrix validates against the ReqIF schema (skipped without xmllint)', () => {
    expect(schemaErrors(matrixToReqif(sampleMatrix()))).toBeNull()
  })

  test.skipIf(!xmllintAvailable)('a large matrix with awkward IDs and text validates (skipped without xmllint)', () => {
    expect(schemaErrors(matrixToReqif(bigMatrix(300)))).toBeNull()
  })

  test.skipIf(!xmllintAvailable)('a matrix of 2,000 rules and 10,000 links exports and validates (skipped without xmllint)', () => {
    const matrix = linkedMatrix(2_000, 10_000)
    const xml = matrixToReqif(matrix)
    expect(schemaErrors(xml)).toBeNull()
    const count = (pattern: RegExp) => xml.match(pattern)?.length ?? 0
    const tests = new Set(matrix.rules.flatMap((rule) => rule.tests.map((test) => test.id)))
    expect(count(/<SPEC-RELATION IDENTIFIER="ferrule-verifies-/g)).toBe(10_000)
    expect(count(/<SPEC-RELATION IDENTIFIER="ferrule-mitigates-/g)).toBe(200)
    expect(count(/<SPEC-OBJECT IDENTIFIER="ferrule-rule-/g)).toBe(2_000)
    expect(count(/<SPEC-OBJECT IDENTIFIER="ferrule-test-/g)).toBe(tests.size)
    expect(count(/<SPEC-OBJECT IDENTIFIER="ferrule-chapter-/g)).toBe(40)
  })

  test('hostile text comes back as written, less the characters XML cannot hold, and validates', () => {
    const matrix = sampleMatrix()
    matrix.title = hostile
    const rule = matrix.rules[1]!
    rule.summary = hostile
    rule.waiver = { reason: hostile, reviewer: '"R" <r@example.org>', date: '2026-01-02' }
    rule.tests[0]!.title = hostile
    // Empty values: an empty element, an empty attribute.
    matrix.rules[2]!.summary = ''
    matrix.rules[2]!.tests[0]!.title = ''
    const xml = matrixToReqif(matrix)
    if (xmllintAvailable) expect(schemaErrors(xml)).toBeNull()
    expect(xml).not.toContain('\r')

    const root = parse(xml)
    const expected = xmlCharacters(hostile)
    expect(expected).toContain('😀')
    expect(all(root).find((element) => element.name === 'TITLE')!.text).toBe(expected)
    const objects = objectsByForeignId(root)
    const object = objects.get(rule.id)!
    expect(all(object).find((element) => element.name === 'xhtml:div')!.text).toBe(expected)
    const strings = all(object).filter((element) => element.name === 'ATTRIBUTE-VALUE-STRING').map((element) => element.attributes['THE-VALUE'])
    expect(strings).toContain(expected)
    expect(strings).toContain('"R" <r@example.org>')
    expect(objects.get(rule.tests[0]!.id)?.attributes['LONG-NAME']).toBe(expected)
    expect(all(objects.get(matrix.rules[2]!.id)!).find((element) => element.name === 'xhtml:div')!.text).toBe('')
    expect(objects.get(matrix.rules[2]!.tests[0]!.id)?.attributes['LONG-NAME']).toBe('')
  })

  test.skipIf(!xmllintAvailable)('a carriage return in text survives an XML parser (skipped without xmllint)', () => {
    const matrix = sampleMatrix()
    matrix.rules[0]!.summary = 'a\r\nb\rc'
    const folder = mkdtempSync(join(tmpdir(), 'ferrule-reqif-'))
    try {
      const file = join(folder, 'matrix.reqif')
      writeFileSync(file, matrixToReqif(matrix))
      // xmllint applies XML's end-of-line handling, which turns a literal CR LF or CR into LF.
      const result = spawnSync('xmllint', ['--nonet', '--xpath', "string(//*[local-name()='div'])", file], { encoding: 'utf8' })
      expect(result.stdout.replace(/\n$/, '')).toBe('a\r\nb\rc')
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  test('matrixToReqifChunks is matrixToReqif in pieces', () => {
    const matrix = bigMatrix(1000)
    matrix.rules[0]!.summary = `${hostile} ${'x'.repeat(100_000)}`
    const chunks = [...matrixToReqifChunks(matrix)]
    expect(chunks.length).toBeGreaterThan(1)
    const xml = chunks.join('')
    expect(xml).toBe(matrixToReqif(matrix))
    // The string datatype comes first, yet allows for the longest value, which comes later.
    expect(xml).toContain(`MAX-LENGTH="${matrix.rules[0]!.summary.length}"`)
  })

  test('escapes text and attribute values, and nothing else', () => {
    expect(escapeText('a & b < c > d ]]> "e" \'f\' &amp; \t\n\r')).toBe("a &amp; b &lt; c &gt; d ]]&gt; \"e\" 'f' &amp;amp; \t\n&#13;")
    expect(escapeAttribute('a & b < c > d "e" \'f\' &amp; \t\n\r')).toBe("a &amp; b &lt; c &gt; d &quot;e&quot; 'f' &amp;amp; &#9;&#10;&#13;")
    expect(escapeText('x\u0000\u0001\u001f\uFFFE\uFFFF\uD800y\uDC00z')).toBe('xyz')
    expect(escapeAttribute('😀 \u{10FFFF} \u0085 \u007f ü')).toBe('😀 \u{10FFFF} \u0085 \u007f ü')
    const plain = 'ferrule-rule-lex.ident: a plain value, with (punctuation) #1'
    expect(escapeText(plain)).toBe(plain)
    expect(escapeAttribute(plain)).toBe(plain)
  })

  test('every identifier is unique and every reference points at one', () => {
    for (const matrix of [sampleMatrix(), bigMatrix(120)]) {
      const elements = all(parse(matrixToReqif(matrix)))
      const identifiers = elements.filter((element) => element.name !== 'ALTERNATIVE-ID').map((element) => element.attributes.IDENTIFIER).filter((id) => id !== undefined)
      expect(new Set(identifiers).size).toBe(identifiers.length)
      const references = elements.filter((element) => element.name.endsWith('-REF'))
      expect(references.length).toBeGreaterThan(0)
      const known = new Set(identifiers)
      for (const reference of references) expect(known.has(reference.text), `${reference.name} ${reference.text}`).toBe(true)
      // A reference names an element of the kind it says.
      const kindOf = new Map(elements.filter((element) => element.attributes.IDENTIFIER).map((element) => [element.attributes.IDENTIFIER!, element.name]))
      for (const reference of references) {
        const target = kindOf.get(reference.text)!
        expect(reference.name.replace(/-REF$/, ''), reference.text).toBe(target)
      }
    }
  })

  test('has every rule, every test and their links; the tests linked to no rule are listed apart', () => {
    const matrix = sampleMatrix()
    const root = parse(matrixToReqif(matrix))
    const objects = objectsByForeignId(root)
    for (const rule of matrix.rules) expect(objects.get(rule.id)?.attributes.IDENTIFIER).toBe(ruleIdentifier(rule.id))
    const linked = new Set(matrix.rules.flatMap((rule) => rule.tests.map((test) => test.id)))
    for (const id of linked) expect(objects.has(id), id).toBe(true)
    // Tests are SPEC-OBJECTs by their ID, titled by their title.
    expect(objects.get('test/other.test.ts#x')).toMatchObject({ attributes: { IDENTIFIER: `ferrule-test-${testHash('test/other.test.ts#x')}`, 'LONG-NAME': 'an unlinked test' } })
    expect(objects.size).toBe(matrix.rules.length + matrix.tests.length)
    const unlinked = all(root).find((element) => element.name === 'SPECIFICATION' && element.attributes.IDENTIFIER === 'ferrule-specification-unlinked-tests')!
    expect(unlinked.attributes['LONG-NAME']).toBe('Tests linked to no rule')
    expect(all(unlinked).filter((element) => element.name === 'SPEC-OBJECT-REF').map((element) => element.text)).toEqual([`ferrule-test-${testHash('test/other.test.ts#x')}`])
    const relations = all(root).filter((element) => element.name === 'SPEC-RELATION' && !element.attributes.IDENTIFIER!.startsWith('ferrule-concerns-'))
    const links = matrix.rules.reduce((sum, rule) => sum + rule.tests.length + rule.mitigatedBy.length, 0)
    expect(relations).toHaveLength(links)
    const suspect = relations.filter((relation) => all(relation).some((element) => element.name === 'ATTRIBUTE-VALUE-BOOLEAN' && element.attributes['THE-VALUE'] === 'true'))
    expect(suspect.map((relation) => relation.attributes.IDENTIFIER)).toEqual([`ferrule-verifies-${testHash('test/num.test.ts#m')}_to_lex.number`])
  })

  test('puts each chapter in the specification with its rules', () => {
    const matrix = sampleMatrix()
    const root = parse(matrixToReqif(matrix))
    const specifications = all(root).filter((element) => element.name === 'SPECIFICATION')
    expect(specifications.map((specification) => specification.attributes.IDENTIFIER)).toEqual(['ferrule-specification', 'ferrule-specification-owners', 'ferrule-specification-findings', 'ferrule-specification-unlinked-tests'])
    const chapters = specifications[0]!.children.find((element) => element.name === 'CHILDREN')!.children
    const refs = (hierarchy: Element) => all(hierarchy).filter((element) => element.name === 'SPEC-OBJECT-REF').map((element) => element.text)
    expect(chapters.map((chapter) => refs(chapter))).toEqual([
      ['ferrule-chapter-lexing.md', ...['lex.ident', 'lex.keyword', 'lex.number', 'lex.space', 'lex.unicode'].map(ruleIdentifier)],
      [`ferrule-chapter-security_2f_threats.md`, ruleIdentifier('threat.typosquat')],
    ])
  })

  test('carries the summary, the changes since the baseline, the owner teams and the findings, as the other exports do', () => {
    const matrix = sampleMatrix()
    const root = parse(matrixToReqif(matrix))
    /** An element's attribute values, by the key of their definition (`ferrule-attribute-TYPE-KEY`). */
    const values = (element: Element) =>
      Object.fromEntries(
        all(element.children.find((child) => child.name === 'VALUES') ?? { name: '', attributes: {}, text: '', children: [] })
          .filter((child) => child.name.startsWith('ATTRIBUTE-VALUE-'))
          .map((value) => {
            const definition = all(value).find((child) => child.name.startsWith('ATTRIBUTE-DEFINITION-'))!.text.replace(/^ferrule-attribute-[a-z]+-/, '')
            const text = value.attributes['THE-VALUE'] ?? all(value).find((child) => child.name === 'xhtml:div' || child.name === 'ENUM-VALUE-REF')!.text
            return [definition, text]
          }),
      )
    const byIdentifier = new Map(all(root).filter((element) => element.attributes.IDENTIFIER).map((element) => [element.attributes.IDENTIFIER!, element]))
    const { overall, byChapter, byOwner } = matrix.summary
    const tally = (t: typeof overall) => ({ rules: String(t.rules), coverage: `${t.coverage}%`, ...Object.fromEntries(verdicts.map((verdict) => [`count-${verdict}`, String(t.counts[verdict])])) })
    expect(values(byIdentifier.get('ferrule-specification')!)).toEqual({
      name: matrix.title, ...tally(overall),
      baseline: 'old/rules.json', added: 'lex.space', removed: 'lex.old (lexing.md)', changed: 'lex.keyword, lex.number',
      'suspect-links': '1', 'coverage-before': '50%', 'coverage-after': '33.33%',
    })
    expect(values(byIdentifier.get('ferrule-chapter-lexing.md')!)).toEqual({ name: 'lexing.md', ...tally(byChapter['lexing.md']!) })
    for (const owner of ['T-crates-io', 'T-lang']) expect(values(byIdentifier.get(`ferrule-owner-${owner}`)!)).toEqual({ name: owner, ...tally(byOwner[owner]!) })

    const findings = all(root).filter((element) => element.name === 'SPEC-OBJECT' && element.attributes.IDENTIFIER!.startsWith('ferrule-finding-'))
    expect(findings.map(values)).toEqual(
      matrix.findings.map((finding) => ({ check: finding.rule, message: finding.message, severity: finding.severity, file: finding.file, line: String(finding.line), rule: finding.ruleId, test: finding.testId })),
    )
    // The finding about a rule of the matrix is related to it; the one about an unknown rule is not.
    const concerns = all(root).filter((element) => element.name === 'SPEC-RELATION' && element.attributes.IDENTIFIER!.startsWith('ferrule-concerns-'))
    const refs = (element: Element) => all(element).filter((child) => child.name === 'SPEC-OBJECT-REF').map((child) => child.text)
    expect(concerns.map(refs)).toEqual([[findings[1]!.attributes.IDENTIFIER, ruleIdentifier('lex.keyword')]])
    expect(refs(byIdentifier.get('ferrule-specification-findings')!)).toEqual(findings.map((finding) => finding.attributes.IDENTIFIER))
    expect(refs(byIdentifier.get('ferrule-specification-owners')!)).toEqual(['ferrule-owner-T-crates-io', 'ferrule-owner-T-lang'])
    // A finding's identifier is made of what it says, not of its place: the next export, whose
    // findings come in another order, merges them on re-import.
    const reordered = parse(matrixToReqif({ ...matrix, findings: [...matrix.findings].reverse() }))
    const identifiers = all(reordered).filter((element) => element.name === 'SPEC-OBJECT' && element.attributes.IDENTIFIER!.startsWith('ferrule-finding-')).map((element) => element.attributes.IDENTIFIER)
    expect(identifiers).toEqual(findings.map((finding) => finding.attributes.IDENTIFIER).reverse())
  })

  test('keeps text exactly: markup characters, entity look-alikes, tabs and line breaks', () => {
    const matrix = bigMatrix(1)
    const root = parse(matrixToReqif(matrix))
    const rule = objectsByForeignId(root).get(matrix.rules[0]!.id)!
    const text = all(rule).find((element) => element.name === 'xhtml:div')!.text
    expect(text).toBe('Rule 0: a\tb\nc & d &nbsp; e < f')
    const strings = all(rule).filter((element) => element.name === 'ATTRIBUTE-VALUE-STRING').map((element) => element.attributes['THE-VALUE'])
    expect(strings).toContain('Reviewed.\nTwice.')
    const tests = objectsByForeignId(parse(matrixToReqif(bigMatrix(5))))
    expect(tests.get('vitest:ü/3&amp;')?.attributes['LONG-NAME']).toBe('[ch4.rule-4_x] case 3 <&> "quoted"')
  })

  test('the title and the header are those of the matrix, dated by SOURCE_DATE_EPOCH', () => {
    vi.stubEnv('SOURCE_DATE_EPOCH', '1700000000')
    const header = all(parse(matrixToReqif(sampleMatrix()))).find((element) => element.name === 'REQ-IF-HEADER')!
    const field = (name: string) => header.children.find((element) => element.name === name)?.text
    expect(field('TITLE')).toBe('Sample & <Spec>')
    expect(field('REQ-IF-TOOL-ID')).toBe('Ferrule')
    expect(field('CREATION-TIME')).toBe('2023-11-14T22:13:20Z')
    vi.unstubAllEnvs()
    expect(matrixToReqif(sampleMatrix())).toContain('<CREATION-TIME>1970-01-01T00:00:00Z</CREATION-TIME>')
  })

  test('two exports of the same matrix are identical', () => {
    expect(matrixToReqif(bigMatrix(50))).toBe(matrixToReqif(bigMatrix(50)))
  })

  test('adding a rule leaves the identifiers of everything else as they were', () => {
    const before = sampleMatrix()
    const after = sampleMatrix()
    const extra: MatrixRow = { ...after.rules[3]!, id: 'lex.aaa', line: 1, chapter: 'intro.md', tests: [{ ...after.rules[0]!.tests[0]!, id: 'test/new.test.ts#n' }] }
    after.rules.unshift(extra, { ...after.rules[3]!, id: 'lex.zzz' })
    const identifiers = (matrix: Matrix) =>
      all(parse(matrixToReqif(matrix))).map((element) => element.attributes.IDENTIFIER).filter((id) => id !== undefined)
    const old = identifiers(before)
    const now = new Set(identifiers(after))
    expect(old.filter((id) => !now.has(id))).toEqual([])
    expect(objectsByForeignId(parse(matrixToReqif(after))).get('lex.ident')?.attributes.IDENTIFIER).toBe('ferrule-rule-lex.ident')
  })

  test('identifiers are XML names derived one-to-one from IDs', () => {
    const ids = ['a/b', 'a_2f_b', 'a b', 'a_20_b', '1abc', 'ü', '_', '😀', 'x_to_y']
    const names = ids.map(ncName)
    expect(new Set(names).size).toBe(ids.length)
    for (const name of names) expect(`ferrule-${name}`).toMatch(/^[A-Za-z_][A-Za-z0-9._-]*$/)
  })

  test('names are the ones earlier exports made, so that re-imports keep merging', () => {
    // The definition of the names, a character (code point) at a time.
    const reference = (value: string) => [...value].map((char) => (/^[A-Za-z0-9.-]$/.test(char) ? char : `_${char.codePointAt(0)!.toString(16)}_`)).join('')
    const ids = ['lex.ident', 'test/a b.test.ts#x > y [lex.ident]', 'junit:Cls$Inner/t', 'rust:ch.md:12', '😀x', 'a\uD800b\uDFFF', '1-.', '', 'ü/_', '\u{10FFFF}']
    for (const id of ids) expect(ncName(id), id).toBe(reference(id))
    // Tests by the first 128 bits of the SHA-256 of their ID (UTF-8), whatever its length.
    expect(testIdentifier('test/a b.test.ts#x 😀')).toBe('ferrule-test-81efca215b3f7e23e83dafd62d88a3ba')
    expect(testHash('x'.repeat(10_000))).toMatch(/^[0-9a-f]{32}$/)
    expect(ruleIdentifier('lex.ident')).toBe('ferrule-rule-lex.ident')
  })

  test('a threat that names a mitigation twice gets one relation to it', () => {
    const matrix = sampleMatrix()
    matrix.rules[5]!.mitigatedBy = ['lex.ident', 'lex.ident']
    const identifiers = all(parse(matrixToReqif(matrix))).filter((element) => element.name === 'SPEC-RELATION').map((relation) => relation.attributes.IDENTIFIER!)
    expect(identifiers.filter((id) => id.startsWith('ferrule-mitigates-'))).toEqual(['ferrule-mitigates-lex.ident_to_threat.typosquat'])
    expect(new Set(identifiers).size).toBe(identifiers.length)
  })

  test('a threat mitigated by a rule missing from the matrix gets no dangling relation', () => {
    const matrix = sampleMatrix()
    matrix.rules[5]!.mitigatedBy = ['lex.ident', 'gone.rule']
    const relations = all(parse(matrixToReqif(matrix))).filter((element) => element.name === 'SPEC-RELATION')
    expect(relations.map((relation) => relation.attributes.IDENTIFIER).filter((id) => id!.startsWith('ferrule-mitigates-'))).toEqual([
      'ferrule-mitigates-lex.ident_to_threat.typosquat',
    ])
  })
})
