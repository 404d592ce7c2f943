import { findSecret, type Heuristic, stringEvidence } from '../heuristic.ts'

/**
 * `heur.ci-gated`: library or binary code that reads a CI variable or a credential file and uses
 * the network or starts a program outside the allowed ones, the shape of the 2022 `rustdecimal`
 * crate, which fetched and ran a payload only when `GITLAB_CI` was set. Credential variables alone
 * are left out here: API clients read tokens such as `GITHUB_TOKEN` for good reasons.
 */
export const ciGated: Heuristic = {
  name: 'ci-gated',
  ruleId: 'heur.ci-gated',
  severity: 'high',
  weight: 40,
  detect({ runtime, settings }) {
    if (runtime.network.length === 0 && runtime.spawns.length === 0) return []
    const reach = runtime.network.length > 0 ? `uses \`${runtime.network[0]!.name}\`` : `starts \`${runtime.spawns[0]!.programs[0]}\``
    return runtime.strings.flatMap((source) => {
      const secret = findSecret(source, settings, settings.ciVariables)
      return secret === undefined ? [] : [{ file: source.facts.path, line: source.line, evidence: stringEvidence(`reads ${secret} and ${reach}`, source) }]
    })
  },
}
