import { fileFormat } from '../binary.ts'
import type { Heuristic } from '../heuristic.ts'

/**
 * `heur.opaque-blob`: a large file of near-random bytes (compressed or encrypted) that announces no
 * format (not an executable, which `heur.bundled-executable` reports, nor an image or a font): nothing a reviewer can read, and what an encrypted payload looks like.
 */
export const opaqueBlob: Heuristic = {
  name: 'opaque-blob',
  ruleId: 'heur.opaque-blob',
  severity: 'low',
  weight: 10,
  detect({ contents, settings }) {
    return contents.files.flatMap((file) => {
      const format = fileFormat(file.head)
      if (file.size < settings.minBlobBytes || file.entropy < settings.minBlobEntropy || format !== undefined) return []
      return [{ file: file.path, line: null, evidence: `is ${file.size} bytes of opaque data at ${(file.entropy / 1000).toFixed(3)} bits per byte` }]
    })
  },
}
