import type { Matrix, MatrixTest } from './types.ts'

/**
 * The tests of the matrix linked to no rule, in the matrix's order (by ID). Every export lists them:
 * a reviewer should tag them or ask why they exist.
 */
export function unlinkedTests(matrix: Matrix): MatrixTest[] {
  const linked = new Set<string>()
  for (const row of matrix.rules) for (const test of row.tests) linked.add(test.id)
  return matrix.tests.filter((test) => !linked.has(test.id))
}
