import type { Matrix, MatrixTest } from './types.ts'

/** `unlinkedTests` of each matrix asked about: three exporters ask about the same one. */
const found = new WeakMap<Matrix, MatrixTest[]>()

/**
 * The tests of the matrix linked to no rule, in the matrix's order (by ID). Every export lists them:
 * a reviewer should tag them or ask why they exist. Found once per matrix (which exporters only
 * read): at 50,000 tests, looking the links up took some 30 ms each time.
 */
export function unlinkedTests(matrix: Matrix): MatrixTest[] {
  let tests = found.get(matrix)
  if (tests === undefined) {
    const linked = new Set<string>()
    for (const row of matrix.rules) for (const test of row.tests) linked.add(test.id)
    found.set(matrix, (tests = matrix.tests.filter((test) => !linked.has(test.id))))
  }
  return tests
}
