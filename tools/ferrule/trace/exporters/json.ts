import { canonicalJsonPieces } from '../canonical-json.ts'
import type { Matrix } from '../types.ts'

/**
 * `matrix.json`: the whole matrix, described by `schemas/matrix.schema.json`. Object keys are
 * sorted at every level, indented by two spaces, ending in a newline, so that two runs on the same
 * inputs give the same bytes and a diff between releases shows only what changed.
 */
export function matrixToJson(matrix: Matrix): string {
  return [...matrixToJsonChunks(matrix)].join('')
}

/** `matrixToJson` in chunks (see `canonicalJsonPieces`), so that a large matrix is written as it is made. */
export function* matrixToJsonChunks(matrix: Matrix): Generator<string> {
  yield* canonicalJsonPieces(matrix, 2)
  yield '\n'
}
