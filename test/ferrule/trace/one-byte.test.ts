import v8 from 'node:v8'
import { expect, test } from 'vitest'
import { matrixToCsv } from '../../../tools/ferrule/trace/exporters/csv.ts'
import { matrixToHtml } from '../../../tools/ferrule/trace/exporters/html.ts'
import { matrixToReqifChunks } from '../../../tools/ferrule/trace/exporters/reqif.ts'
import { buildMatrix, internalized, type TraceRule } from '../../../tools/ferrule/trace/matrix.ts'
import type { Matrix, TestResult } from '../../../tools/ferrule/trace/types.ts'

// V8's serializer tags a string held one byte a character `"` (0x22), one held in two `c`.
const oneByte = (text: string) => v8.serialize(text)[2] === 0x22

// Held in two bytes a character, a large matrix's CSV, ReqIF and HTML text took twice the memory
// and the slow way to UTF-8: V8 joins a "thin" string (one that was looked up as a property key)
// into a two-byte string, whatever its characters.
test('the CSV, ReqIF and HTML of an ASCII matrix are held one byte a character', () => {
  // Strings fresh from JSON.parse, as `ferrule matrix` reads them, longer than the ones it shares.
  const { rules, tests } = JSON.parse(
    JSON.stringify({
      rules: Array.from({ length: 20 }, (_, index): TraceRule => ({
        id: `chapter-one.rule-number-${index}`, chapter: `part-one/chapter-${index % 3}.md`, line: index + 1, kind: 'requirement',
        fingerprint: 'f'.repeat(64), owner: `T-team-number-${index % 2}`, text: `Rule ${index}. More.`, mitigatedBy: [], href: `../site/x.html#r-${index}`,
      })),
      tests: Array.from({ length: 20 }, (_, index): TestResult => ({
        id: `test/some-file.test.ts#a test of rule ${index}`, title: `a test of rule ${index}`, name: `a test of rule ${index}`,
        file: 'test/some-file.test.ts', line: index + 3, status: 'passed', durationMs: 1, source: 'vitest',
        rules: [`chapter-one.rule-number-${index}`], ruleFingerprints: { [`chapter-one.rule-number-${index}`]: 'f'.repeat(64) },
      })),
    }),
  ) as { rules: TraceRule[]; tests: TestResult[] }
  const matrix = buildMatrix({ title: 'Title of the spec', rules, tests, references: [], waivers: new Map(), baseline: null, findings: [] })
  expect(oneByte(matrixToCsv(matrix))).toBe(true)
  expect([...matrixToReqifChunks(matrix)].every(oneByte)).toBe(true)
  expect(oneByte(matrixToHtml(matrix))).toBe(true)
  // Also of a matrix not built here (read back from its JSON, say), whose strings were never internalized.
  expect(oneByte(matrixToHtml(JSON.parse(JSON.stringify(matrix)) as Matrix))).toBe(true)
})

test('internalized gives an equal string', () => {
  for (const text of ['', 'a', 'chapter-one.rule-number-1', '191', '01', '__proto__', 'ünïcödé 😀']) expect(internalized(text)).toBe(text)
})
