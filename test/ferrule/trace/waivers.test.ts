import { describe, expect, test } from 'vitest'
import { parseWaivers } from '../../../tools/ferrule/trace/waivers.ts'
import { mark } from '../../helpers/mark.ts'

const ruleIds = new Set(['lex.token.ident', 'lex.token.ident.start', 'lex.keywords', 'mem.alloc', 'mem.alloc.zero', 'sec.supply-chain'])
const file = 'spec/waivers.yaml'

/** An error finding as `parseWaivers` reports it. */
const error = (line: number | undefined, message: string, ruleId: string | null = null, rule = 'ferrule:waiver') => ({
  rule,
  severity: 'error',
  file,
  line,
  message,
  ruleId,
  testId: null,
})

describe('parseWaivers', () => {
  test('a list of waivers, each with the line of its entry, in file order', () => {
    const { text, places } = mark(
      [
        '# Rules verified by review instead of by a test.',
        '',
        '- ‸rule: mem.alloc',
        '  reason: Allocation failure cannot be provoked portably; reviewed against the allocator source.',
        '  reviewer: Ada Lovelace',
        "  date: '2024-05-01'",
        '',
        '- ‸rule: sec.supply-chain',
        '  reason: |',
        '    Checked by the release process,',
        '    not by a test.',
        '  reviewer: Grace Hopper',
        '  date: 2024-04-30',
      ].join('\n'),
    )
    const { waivers, findings } = parseWaivers(text, file, ruleIds)
    expect(findings).toEqual([])
    expect([...waivers]).toEqual([
      [
        'mem.alloc',
        {
          reason: 'Allocation failure cannot be provoked portably; reviewed against the allocator source.',
          reviewer: 'Ada Lovelace',
          date: '2024-05-01',
          line: places[0]!.line,
          file,
        },
      ],
      ['sec.supply-chain', { reason: 'Checked by the release process,\nnot by a test.', reviewer: 'Grace Hopper', date: '2024-04-30', line: places[1]!.line, file }],
    ])
  })

  test('an empty file, or one with only comments, has no waivers and no findings', () => {
    for (const text of ['', '# none yet\n', '[]\n', '~\n']) expect(parseWaivers(text, file, ruleIds)).toEqual({ waivers: new Map(), findings: [] })
  })

  test('every problem of every entry is an error at the line of its entry, and the entry is left out', () => {
    const { text, places } = mark(
      [
        '- ‸rule: lex.token.ident', // 0: no reason
        '  reviewer: Ada',
        '  date: 2024-01-05',
        '- ‸rule: lex.keywords', // 1: empty reason, blank reviewer
        "  reason: ''",
        "  reviewer: '  '",
        '  date: 2024-01-05',
        '- ‸rule: mem.alloc.zer', // 2: unknown rule, close to existing ones
        '  reason: typo',
        '  reviewer: Ada',
        '  date: 2024-01-05',
        '- ‸rule: nothing.like.it', // 3: unknown rule, nothing close
        '  reason: r',
        '  reviewer: Ada',
        '  date: 2024-01-05',
        '- ‸rule: mem.alloc', // 4: no reviewer, bad date format
        '  reason: r',
        '  date: 2024-1-5',
        '- ‸rule: mem.alloc.zero', // 5: a day that does not exist
        '  reason: r',
        '  reviewer: Ada',
        '  date: 2023-02-29',
        '- ‸rule: sec.supply-chain', // 6: a number, not a date
        '  reason: r',
        '  reviewer: Ada',
        '  date: 20240105',
        '- ‸reason: no rule', // 7: no rule, no reviewer, no date
        '- ‸just a string', // 8: not a mapping
        '- ‸[a, list]', // 9: not a mapping
      ].join('\n'),
    )
    const at = places.map((place) => place.line)
    const { waivers, findings } = parseWaivers(text, file, ruleIds)
    expect(waivers.size).toBe(0)
    expect(findings).toEqual([
      error(at[0], 'Waiver for `lex.token.ident` has no `reason`; expected why the rule is verified by review instead of by a test', 'lex.token.ident', 'ferrule:waiver-without-reason'),
      error(at[1], 'Waiver for `lex.keywords` has no `reason`; expected why the rule is verified by review instead of by a test', 'lex.keywords', 'ferrule:waiver-without-reason'),
      error(at[1], 'Waiver for `lex.keywords` has no `reviewer`; expected who reviewed it', 'lex.keywords'),
      error(at[2], 'Waiver for unknown rule `mem.alloc.zer`, expected one of `mem.alloc.zero`, `mem.alloc`', 'mem.alloc.zer', 'ferrule:unknown-rule-in-waiver'),
      error(at[3], 'Waiver for unknown rule `nothing.like.it`, expected the ID of a rule of the spec', 'nothing.like.it', 'ferrule:unknown-rule-in-waiver'),
      error(at[4], 'Waiver for `mem.alloc` has no `reviewer`; expected who reviewed it', 'mem.alloc'),
      error(at[4], 'Waiver for `mem.alloc` has the date `2024-1-5`; expected a day as `YYYY-MM-DD`', 'mem.alloc'),
      error(at[5], 'Waiver for `mem.alloc.zero` has the date `2023-02-29`; expected a day as `YYYY-MM-DD`', 'mem.alloc.zero'),
      error(at[6], 'Waiver for `sec.supply-chain` has the date `20240105`; expected a day as `YYYY-MM-DD`', 'sec.supply-chain'),
      error(at[7], 'Waiver without a `rule`; expected the ID of the rule it waives'),
      error(at[7], 'Waiver has no `reviewer`; expected who reviewed it'),
      error(at[7], 'Waiver has no `date`; expected the day of the review as `YYYY-MM-DD`'),
      error(at[8], 'Expected a waiver, a mapping with `rule`, `reason`, `reviewer` and `date`; found `just a string`'),
      error(at[9], 'Expected a waiver, a mapping with `rule`, `reason`, `reviewer` and `date`; found a list'),
    ])
  })

  test('a second waiver for a rule is an error at the second; the first stands', () => {
    const { text, places } = mark(
      [
        '- ‸rule: mem.alloc',
        '  reason: first',
        '  reviewer: Ada',
        '  date: 2024-01-05',
        '- ‸rule: mem.alloc',
        '  reason: second',
        '  reviewer: Grace',
        '  date: 2024-01-06',
      ].join('\n'),
    )
    const { waivers, findings } = parseWaivers(text, file, ruleIds)
    expect([...waivers.keys()]).toEqual(['mem.alloc'])
    expect(waivers.get('mem.alloc')).toMatchObject({ reason: 'first', line: places[0]!.line })
    expect(findings).toEqual([
      error(places[1]!.line, `Second waiver for rule \`mem.alloc\` (the first is at line ${places[0]!.line}); expected one waiver per rule`, 'mem.alloc'),
    ])
  })

  test('a misspelt key is pointed out', () => {
    const text = ['- rule: mem.alloc', '  reson: typo', '  reviewr: Ada', '  date: 2024-01-05'].join('\n')
    expect(parseWaivers(text, file, ruleIds).findings.map((finding) => finding.message)).toEqual([
      'Waiver for `mem.alloc` has no `reason` (found `reson`: a typo?); expected why the rule is verified by review instead of by a test',
      'Waiver for `mem.alloc` has no `reviewer` (found `reviewr`: a typo?); expected who reviewed it',
    ])
  })

  test('a file that is not a list is one error', () => {
    const { text, places } = mark(['# waivers', '‸mem.alloc:', '  reason: r'].join('\n'))
    expect(parseWaivers(text, file, ruleIds)).toEqual({
      waivers: new Map(),
      findings: [error(places[0]!.line, 'Expected a list of waivers (`- rule: ID` with `reason`, `reviewer` and `date`), found a mapping')],
    })
  })

  test('a YAML syntax error is an error at its line, and no waiver is read', () => {
    const { text, places } = mark(
      ['- rule: mem.alloc', '  reason: fine', '  reviewer: Ada', '  date: 2024-01-05', '- rule: lex.keywords', '  reason: "unterminated', '‸  reviewer: Ada'].join('\n'),
    )
    const { waivers, findings } = parseWaivers(text, file, ruleIds)
    expect(waivers.size).toBe(0)
    // The wording after `Invalid YAML:` is the yaml library's.
    expect(findings).toEqual([error(places[0]!.line, expect.stringMatching(/^Invalid YAML: Missing closing "quote/))])
  })
})
