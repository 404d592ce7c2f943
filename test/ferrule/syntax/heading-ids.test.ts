import { expect, test } from 'vitest'
import { headingTextToId } from '../../../tools/ferrule/syntax/heading-ids.ts'
import { testFixtures } from '../../helpers/fixtures.ts'

testFixtures('syntax/heading-ids')

test.each([
  ['Integer literals', 'integer-literals'],
  ['The `impl Trait` type', 'the-impl-trait-type'],
  ['C++ & Rust: FFI!', 'c--rust-ffi'],
  ['snake_case and kebab-case', 'snake_case-and-kebab-case'],
  ['Ünïcödé 日本語', 'Ünïcödé-日本語'],
])('mdBook anchor of %j is %j', (text, id) => {
  expect(headingTextToId(text)).toBe(id)
})
