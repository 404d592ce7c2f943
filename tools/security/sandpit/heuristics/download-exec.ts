import { type Heuristic, lineEvidence } from '../heuristic.ts'
import type { CodeUnit } from '../heuristic.ts'

/**
 * `heur.download-exec`: code that uses the network, writes a file and starts a program outside
 * the allowed ones, all at the same time (build or run time): the fetch, save and run of a second
 * stage.
 */
export const downloadExec: Heuristic = {
  name: 'download-exec',
  ruleId: 'heur.download-exec',
  severity: 'high',
  weight: 40,
  detect({ build, runtime }) {
    return [build, runtime].flatMap((unit: CodeUnit) => {
      const writes = unit.files.some((facts) => facts.writes.length > 0)
      if (unit.network.length === 0 || !writes) return []
      return unit.spawns.map((spawn) => ({
        file: spawn.facts.path,
        line: spawn.line,
        evidence: lineEvidence(`uses \`${unit.network[0]!.name}\`, writes a file and starts \`${spawn.programs[0]}\``, spawn.facts, spawn.line),
      }))
    })
  },
}
