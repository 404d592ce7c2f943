import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { indexToRulesJson, rulesJsonToString } from '../../../tools/ferrule/compile/rules-json.ts'
import { compileBook } from '../../helpers/book.ts'

test('rules.json lists every rule sorted by ID with chapter, line, parent, kind, owner, rule links, text and fingerprint', async () => {
  const spec = await compileBook({
    'SUMMARY.md': '- [B](b.md)\n- [A](a.md)\n',
    'b.md': '# B\n\nr[b.rule]\nThe   text of\n*rule*   B [a.rule].\n',
    'a.md': '---\nowner: T-lang\n---\n# A\n\nr[a.rule]\n- one\n- two\n\nr[a.rule.child]\n| x | y |\n|---|---|\n| 1 | 2 |\n',
  })
  const json = indexToRulesJson(spec.index)
  const sha = (text: string) => createHash('sha256').update(text).digest('hex')
  expect(json.rules).toEqual([
    { chapter: 'a.md', fingerprint: sha('one two'), id: 'a.rule', kind: 'requirement', line: 6, links: [], owner: 'T-lang', parent: null, text: 'one two' },
    { chapter: 'a.md', fingerprint: sha('x y 1 2'), id: 'a.rule.child', kind: 'requirement', line: 10, links: [], owner: 'T-lang', parent: 'a.rule', text: 'x y 1 2' },
    { chapter: 'b.md', fingerprint: sha('The text of rule B a.rule.'), id: 'b.rule', kind: 'requirement', line: 3, links: ['a.rule'], owner: null, parent: null, text: 'The text of rule B a.rule.' },
  ])
  const written = rulesJsonToString(json)
  expect(written.endsWith('}\n')).toBe(true)
  expect(Object.keys(JSON.parse(written).rules[0])).toEqual(['chapter', 'fingerprint', 'id', 'kind', 'line', 'links', 'owner', 'parent', 'text'])
})

test('a fingerprint changes with the words of a rule but not with its line breaks', async () => {
  const fingerprint = async (text: string) => {
    const spec = await compileBook({ 'SUMMARY.md': '- [A](a.md)\n', 'a.md': `# A\n\nr[a.rule]\n${text}\n` })
    return spec.index.rules.get('a.rule')!.fingerprint
  }
  const original = await fingerprint('A value is dropped at the end of its scope.')
  expect(await fingerprint('A value is dropped\nat the end   of its scope.')).toBe(original)
  expect(await fingerprint('A value is dropped at the end of its block.')).not.toBe(original)
})
