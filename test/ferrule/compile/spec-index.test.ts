import { describe, expect, test } from 'vitest'
import { compileBook, messageList } from '../../helpers/book.ts'
import { mark } from '../../helpers/mark.ts'

describe('the index', () => {
  test('a duplicate rule ID is an error at both places, each naming the other', async () => {
    const a = mark('# A\n\n‸r[dup.id]\nFirst.\n')
    const b = mark('# B\n\nText.\n\n‸r[dup.id]\nSecond.\n')
    const spec = await compileBook({ 'SUMMARY.md': '- [A](a.md)\n- [B](b.md)\n', 'a.md': a.text, 'b.md': b.text })
    expect(messageList(spec.files)).toEqual([
      `a.md:${a.places[0]!.line}:${a.places[0]!.column} error ferrule:duplicate-rule`,
      `b.md:${b.places[0]!.line}:${b.places[0]!.column} error ferrule:duplicate-rule`,
    ])
    const [first, second] = spec.files.flatMap((file) => file.messages)
    expect(first!.reason).toBe('Rule ID `dup.id` is defined again at b.md:5:1')
    expect(second!.reason).toBe('Duplicate rule ID `dup.id`, first defined at a.md:3:1')
    expect((second!.cause as { file: string }).file).toBe('a.md')
    // The first definition is the one the index keeps.
    expect(spec.index.rules.get('dup.id')?.chapter).toBe('a.md')
  })

  test('parents are the longest existing prefix; kinds come from configured prefixes', async () => {
    const spec = await compileBook(
      {
        'SUMMARY.md': '- [A](a.md)\n',
        'a.md': ['# A', '', 'r[a]', 'A.', '', 'r[a.b.c]', 'C.', '', 'r[threat.token-theft]', 'T.', '', 'r[threat]', 'Threats.', ''].join('\n'),
      },
      { kinds: { 'threat.': 'threat' } },
    )
    const rules = spec.index.rules
    expect(rules.get('a.b.c')?.parent).toBe('a')
    expect(rules.get('a')?.parent).toBeUndefined()
    expect(rules.get('threat.token-theft')).toMatchObject({ parent: 'threat', kind: 'threat' })
    expect(rules.get('threat')?.kind).toBe('threat')
    expect(rules.get('a')?.kind).toBe('requirement')
    expect(spec.index.ids).toEqual(['a', 'a.b.c', 'threat', 'threat.token-theft'])
  })
})
