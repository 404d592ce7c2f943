import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import { describe, expect, test } from 'vitest'
import { matrixToJson } from '../../../../tools/ferrule/trace/exporters/json.ts'
import type { Matrix } from '../../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../../helpers/matrix.ts'

const schema = JSON.parse(readFileSync(new URL('../../../../schemas/matrix.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>
// Under NodeNext the default import is ajv's `module.exports`; its `default` is the class (the same object at run time).
const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(schema)

/** Keys of every object in `value`, in written order, with the path to each object. */
function objectKeys(value: unknown, path = '$'): Array<{ path: string; keys: string[] }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => objectKeys(item, `${path}[${index}]`))
  if (value === null || typeof value !== 'object') return []
  const entries = Object.entries(value)
  return [{ path, keys: entries.map(([key]) => key) }, ...entries.flatMap(([key, item]) => objectKeys(item, `${path}.${key}`))]
}

/** The sample, as a plain JSON value that a test may break. */
function sample(): Record<string, any> {
  return JSON.parse(matrixToJson(sampleMatrix()))
}

describe('matrixToJson', () => {
  test('reads back as the same matrix', () => {
    expect(JSON.parse(matrixToJson(sampleMatrix()))).toEqual(sampleMatrix())
  })

  test('object keys are sorted at every level; arrays keep their order', () => {
    const parsed = JSON.parse(matrixToJson(sampleMatrix()))
    for (const { path, keys } of objectKeys(parsed)) expect(keys, path).toEqual([...keys].sort())
    expect(parsed.rules.map((rule: { id: string }) => rule.id)).toEqual(sampleMatrix().rules.map((rule) => rule.id))
    expect(parsed.rules[2].tests.map((test: { id: string }) => test.id)).toEqual(['test/num.test.ts#n', 'test/num.test.ts#m'])
  })

  test('is indented by two spaces and ends in one newline', () => {
    const text = matrixToJson(sampleMatrix())
    expect(text.startsWith('{\n  "findings": [\n    {\n      "file": ')).toBe(true)
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.endsWith('\n\n')).toBe(false)
  })

  test('the same matrix built in another key order gives the same bytes', () => {
    const matrix = sampleMatrix()
    const reversed = JSON.parse(JSON.stringify(matrix), function (_key, value) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
      return Object.fromEntries(Object.entries(value).reverse())
    }) as Matrix
    expect(matrixToJson(reversed)).toBe(matrixToJson(matrix))
    expect(matrixToJson(matrix)).toBe(matrixToJson(sampleMatrix()))
  })

  test('an owner team named __proto__ stays a key', () => {
    const matrix = sampleMatrix()
    const byOwner = Object.create(null) as Matrix['summary']['byOwner']
    byOwner['__proto__'] = matrix.summary.overall
    matrix.summary.byOwner = byOwner
    expect(Object.keys(JSON.parse(matrixToJson(matrix)).summary.byOwner)).toEqual(['__proto__'])
  })
})

describe('matrix.schema.json', () => {
  test('the sample matrix validates, with and without an impact section', () => {
    expect(validate(sample()), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...sample(), impact: null }), JSON.stringify(validate.errors)).toBe(true)
  })

  test('is a draft 2020-12 schema with the published $id', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema['$id']).toBe('https://ferrule.dev/schemas/matrix.schema.json')
    expect(schema['title']).toEqual(expect.any(String))
  })

  test('every object requires all its properties, allows no others, and describes each', () => {
    const objects: Array<{ path: string; node: Record<string, any> }> = []
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return
      const record = node as Record<string, any>
      if (record['type'] === 'object' && record['properties']) objects.push({ path, node: record })
      for (const [key, child] of Object.entries(record)) walk(child, `${path}/${key}`)
    }
    walk(schema, '#')
    expect(objects.length).toBeGreaterThan(10)
    for (const { path, node } of objects) {
      expect(node['additionalProperties'], path).toBe(false)
      expect([...node['required']].sort(), path).toEqual(Object.keys(node['properties']).sort())
      for (const [name, property] of Object.entries<Record<string, unknown>>(node['properties'])) {
        expect(property['description'], `${path}/${name}`).toEqual(expect.any(String))
      }
    }
  })

  const broken: Array<[string, (matrix: Record<string, any>) => void]> = [
    ['an unknown verdict', (matrix) => (matrix.rules[0].verdict = 'approved')],
    ['a missing field', (matrix) => delete matrix.rules[0].fingerprint],
    ['an extra field', (matrix) => (matrix.rules[0].tests[0].durationMs = 3)],
    ['an extra top-level field', (matrix) => (matrix.generatedAt = '2026-01-01')],
    ['an unknown link kind', (matrix) => (matrix.rules[0].tests[0].via = 'guess')],
    ['an unknown test status', (matrix) => (matrix.tests[0].status = 'flaky')],
    ['an unknown change', (matrix) => (matrix.rules[0].change = 'moved')],
    ['a short fingerprint', (matrix) => (matrix.rules[0].fingerprint = 'abc123')],
    ['an upper-case fingerprint', (matrix) => (matrix.rules[0].fingerprint = 'F'.repeat(64))],
    ['a waiver dated in another format', (matrix) => (matrix.rules[4].waiver.date = '01/10/2026')],
    ['a tally missing a verdict', (matrix) => delete matrix.summary.overall.counts.mitigated],
    ['a tally with an unknown verdict', (matrix) => (matrix.summary.byChapter['lexing.md'].counts.approved = 0)],
    ['another format version', (matrix) => (matrix.formatVersion = 2)],
    ['a malformed rule ID', (matrix) => (matrix.rules[0].id = 'Lex Ident')],
  ]
  test.each(broken)('a matrix with %s does not validate', (_name, breakIt) => {
    const matrix = sample()
    breakIt(matrix)
    expect(validate(matrix)).toBe(false)
  })
})
