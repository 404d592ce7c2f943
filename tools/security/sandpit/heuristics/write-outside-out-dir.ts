import { type Heuristic, lineEvidence } from '../heuristic.ts'

/**
 * `heur.write-outside-out-dir`: a build script or procedural macro that creates or writes a file
 * at a path not built from `OUT_DIR`: a literal path, or one under the home, temporary or package
 * folder. Cargo gives build scripts `OUT_DIR` for their output; writing elsewhere plants files.
 * A path whose origin the file does not show (a function's parameter) is not reported.
 */
export const writeOutsideOutDir: Heuristic = {
  name: 'write-outside-out-dir',
  ruleId: 'heur.write-outside-out-dir',
  severity: 'medium',
  weight: 20,
  detect({ build }) {
    return build.files.flatMap((facts) =>
      facts.writes.filter((write) => write.known && !write.fromOutDir).map((write) => ({ file: facts.path, line: write.line, evidence: lineEvidence(`\`${write.call}\` outside OUT_DIR`, facts, write.line) })),
    )
  },
}
