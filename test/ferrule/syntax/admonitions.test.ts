import { expect, test } from 'vitest'
import { labelOf } from '../../../tools/ferrule/syntax/admonitions.ts'
import { testFixtures } from '../../helpers/fixtures.ts'

testFixtures('syntax/admonitions')

test('labels: known kinds, editions, and any other upper-case kind', () => {
  expect(labelOf('note')).toBe('Note')
  expect(labelOf('edition-2024')).toBe('2024 Edition differences')
  expect(labelOf('security-review')).toBe('Security review')
})
