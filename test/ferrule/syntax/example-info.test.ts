import { describe, expect, test } from 'vitest'
import { exampleBadges, exampleInfo } from '../../../tools/ferrule/syntax/example-info.ts'

describe('example info strings', () => {
  test('only ts, typescript and rust blocks are executable', () => {
    expect(exampleInfo('sh', null)).toBeUndefined()
    expect(exampleInfo(null, null)).toBeUndefined()
    expect(exampleInfo('typescript', null)?.runner).toBe('ts')
  })

  test('ts words: should-throw, rule=ID, and ignore with everything after it as the reason', () => {
    expect(exampleInfo('ts', 'rule=a.b should-throw')).toMatchObject({ rule: 'a.b', shouldThrow: true, ignore: undefined, unknownWords: [] })
    expect(exampleInfo('ts', 'ignore needs network access, for now')).toMatchObject({ ignore: 'needs network access, for now' })
    expect(exampleInfo('ts', 'ignore')).toMatchObject({ ignore: '' })
    expect(exampleInfo('ts', 'should_panic')?.unknownWords).toEqual(['should_panic'])
  })

  test('rust words follow rustdoc: modes, editions, error codes; compile_fail wins over no_run and should_panic', () => {
    expect(exampleInfo('rust', 'compile_fail E0382 edition2018')).toMatchObject({ mode: 'compile_fail', errorCodes: ['E0382'], edition: '2018' })
    expect(exampleInfo('rust', 'should_panic no_run')?.mode).toBe('no_run')
    expect(exampleInfo('rust', 'no_run compile_fail')?.mode).toBe('compile_fail')
    expect(exampleInfo('rust', 'should-throw')?.unknownWords).toEqual(['should-throw'])
  })

  test('badges show the words that change how an example is checked', () => {
    expect(exampleBadges(exampleInfo('rust', 'compile_fail E0382 edition2021')!)).toEqual(['compile_fail', 'edition2021', 'E0382'])
    expect(exampleBadges(exampleInfo('rust', null)!)).toEqual([])
    expect(exampleBadges(exampleInfo('ts', 'should-throw ignore later')!)).toEqual(['ignore', 'should-throw'])
  })
})
