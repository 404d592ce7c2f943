import { findBuilt, findAddress, type Heuristic, stringEvidence } from '../heuristic.ts'

/**
 * `heur.build-url`: a URL or an IPv4 address in a string of a build script or procedural macro.
 * Weaker than using the network (build scripts print documentation links in their errors), so it
 * weighs less; with a network API it is the address called.
 */
export const buildUrl: Heuristic = {
  name: 'build-url',
  ruleId: 'heur.build-url',
  severity: 'low',
  weight: 15,
  detect({ build }) {
    return build.strings.flatMap((source) => {
      const address = findBuilt(source, findAddress)
      return address === undefined ? [] : [{ file: source.facts.path, line: source.line, evidence: stringEvidence(`names ${address}`, source) }]
    })
  },
}
