import { describe, expect, test } from 'vitest'
import { compileBook, messageList } from '../../helpers/book.ts'
import { filesToJson } from '../../../tools/ferrule/report.ts'

const summary = '# Summary\n\n- [Terms](terms.md)\n- [Uses](uses.md)\n'

describe('terms', () => {
  test('a term defined twice is an error at the second definition, naming the first', async () => {
    const spec = await compileBook({
      'SUMMARY.md': summary,
      'terms.md': '# Terms\n\nr[term.value]\nA *value* is bytes.\n\nr[term.value-again]\nA *Value* is, again, bytes.\n',
      'uses.md': '# Uses\n\nr[uses.one]\nSee [value][term.value] and [value][term.value-again].\n',
    })
    expect(messageList(spec.files)).toEqual(['terms.md:6:1 error ferrule:duplicate-term'])
    const [message] = filesToJson(spec.files)
    expect(message!.reason).toBe('Term *Value* is defined again by `term.value-again`, first by `term.value` at terms.md:3:1')
    expect(message!.hint).toBe('Keep one definition and link to it, or define a different word')
  })

  test('a term no rule link points to is a warning at its definition; a linked one, or one that defines no word, is not', async () => {
    const spec = await compileBook({
      'SUMMARY.md': summary,
      'terms.md': '# Terms\n\nr[term.intro]\nThe terms.\n\nr[term.used]\nA *used* term.\n\nr[term.unused]\nAn *unused* term.\n',
      'uses.md': '# Uses\n\nr[uses.one]\nSee [used][term.used].\n',
    })
    expect(messageList(spec.files)).toEqual(['terms.md:9:1 warning ferrule:unused-term'])
    expect(filesToJson(spec.files)[0]!.hint).toBe('Link a use of it with `[unused][term.unused]`, or drop the definition')
  })

  test('terms are rules of kind term, by their prefix, and know the word they define and their heading', async () => {
    const spec = await compileBook({ 'SUMMARY.md': summary, 'terms.md': '# Terms\n\n## Values\n\nr[term.value]\nA *value* is bytes.\n', 'uses.md': '# Uses\n\nSee [value][term.value].\n' })
    expect(spec.index.rules.get('term.value')).toMatchObject({ kind: 'term', defines: 'value', section: 'Values' })
  })
})
