import { type Heuristic, lineEvidence } from '../heuristic.ts'

/**
 * `heur.build-process`: a build script or procedural macro that starts a program other than the
 * allowed build tools (the compiler it probes, C toolchains, `pkg-config`, `git`): a shell, a
 * downloader, a bundled installer, or one whose name the code hides.
 */
export const buildProcess: Heuristic = {
  name: 'build-process',
  ruleId: 'heur.build-process',
  severity: 'medium',
  weight: 25,
  detect({ build }) {
    return build.spawns.map((spawn) => ({
      file: spawn.facts.path,
      line: spawn.line,
      evidence: lineEvidence(`starts ${spawn.programs.map((program) => `\`${program}\``).join(' or ')}`, spawn.facts, spawn.line),
    }))
  },
}
