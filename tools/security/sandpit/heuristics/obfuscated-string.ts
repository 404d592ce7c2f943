import { findMarker, type Heuristic, stringEvidence } from '../heuristic.ts'
import { HIDDEN_HOWS } from '../strings.ts'

/**
 * `heur.obfuscated-string`: an address, a messaging host, a credential, a shell or a downloader
 * that the code builds rather than writes: char by char, from bytes, XOR'd, reversed, decoded from
 * base64 or hex, or split across the pieces of `concat!` or a run of literals so that no one piece
 * holds it.
 */
export const obfuscatedString: Heuristic = {
  name: 'obfuscated-string',
  ruleId: 'heur.obfuscated-string',
  severity: 'medium',
  weight: 25,
  detect({ build, runtime, settings }) {
    return [...build.strings, ...runtime.strings].flatMap((source) => {
      if (source.how === 'literal') return []
      const marker = findMarker(source.text, settings)
      if (marker === undefined) return []
      // Joined pieces hide a marker only when no one piece shows it.
      if (!HIDDEN_HOWS.has(source.how) && source.pieces.some((piece) => findMarker(piece, settings) !== undefined)) return []
      return [{ file: source.facts.path, line: source.line, evidence: stringEvidence(`hides ${marker}`, source) }]
    })
  },
}
