import { clip, type Heuristic } from '../heuristic.ts'

/**
 * `heur.encoded-literal`: one string literal (or `concat!`) holding a run of base64 or hex at least
 * `minEncodedLength` characters long: an encoded payload. A hex run must hold digits and letters, and
 * a base64 run mix at least three of upper case, lower case, digits and `+/`, so that a long word,
 * number or row of one letter is not one.
 */
export const encodedLiteral: Heuristic = {
  name: 'encoded-literal',
  ruleId: 'heur.encoded-literal',
  severity: 'medium',
  weight: 20,
  detect({ build, runtime, settings }) {
    const minimum = Math.max(settings.minEncodedLength, 1)
    const hex = new RegExp(`[0-9a-fA-F]{${minimum},}`)
    const base64 = new RegExp(`[A-Za-z0-9+/_-]{${minimum},}={0,2}`)
    return [...build.strings, ...runtime.strings].flatMap((source) => {
      if (source.how !== 'literal' && source.how !== 'concat') return []
      // Hex of encoded data has digits and letters; a row of one kind is a number or a word.
      const hexRun = [hex.exec(source.text)?.[0]].find((run) => run !== undefined && /[0-9]/.test(run) && /[a-fA-F]/.test(run))
      const base64Run = hexRun === undefined ? base64.exec(source.text)?.[0] : undefined
      const classes = base64Run === undefined ? 0 : [/[A-Z]/, /[a-z]/, /[0-9]/, /[+/_-]/].filter((pattern) => pattern.test(base64Run)).length
      const run = hexRun ?? (classes >= 3 ? base64Run : undefined)
      if (run === undefined) return []
      return [{ file: source.facts.path, line: source.line, evidence: `holds ${run.length} characters of ${hexRun === undefined ? 'base64' : 'hex'}: "${clip(run.slice(0, 48))}…"` }]
    })
  },
}
