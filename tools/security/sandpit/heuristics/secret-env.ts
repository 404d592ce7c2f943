import { findSecret, type Heuristic, stringEvidence } from '../heuristic.ts'

/**
 * `heur.secret-env`: a build script or procedural macro that reads a CI or credential variable
 * (`GITLAB_CI`, `CARGO_REGISTRY_TOKEN`) or a credential file (`~/.cargo/credentials`, SSH keys)
 * and also uses the network or starts a program outside the allowed ones: what it read can leave,
 * or it can act otherwise on CI.
 */
export const secretEnv: Heuristic = {
  name: 'secret-env',
  ruleId: 'heur.secret-env',
  severity: 'critical',
  weight: 50,
  detect({ build, settings }) {
    if (build.network.length === 0 && build.spawns.length === 0) return []
    const variables = [...settings.ciVariables, ...settings.credentialVariables]
    const reach = build.network.length > 0 ? `uses \`${build.network[0]!.name}\`` : `starts \`${build.spawns[0]!.programs[0]}\``
    return build.strings.flatMap((source) => {
      const secret = findSecret(source, settings, variables)
      return secret === undefined ? [] : [{ file: source.facts.path, line: source.line, evidence: stringEvidence(`reads ${secret} and ${reach}`, source) }]
    })
  },
}
