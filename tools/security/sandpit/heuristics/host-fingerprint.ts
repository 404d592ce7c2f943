import { type Heuristic, lineEvidence, type RawFinding, stringEvidence } from '../heuristic.ts'
import { isPunct } from '../lexer/code.ts'

/**
 * `heur.host-fingerprint`: a build script or procedural macro that reads who and where it runs
 * (`USER`, `HOSTNAME`, `/etc/passwd`, the `whoami` or `hostname` crates) and uses the network: the
 * 2023 typosquats sent exactly that to a Telegram bot.
 */
export const hostFingerprint: Heuristic = {
  name: 'host-fingerprint',
  ruleId: 'heur.host-fingerprint',
  severity: 'medium',
  weight: 20,
  detect({ build, settings }) {
    if (build.network.length === 0) return []
    const findings: RawFinding[] = []
    for (const source of build.strings) {
      const read = settings.hostVariables.find((name) => (name.startsWith('/') ? source.text.includes(name) : source.how !== 'joined' && source.text === name))
      if (read !== undefined) findings.push({ file: source.facts.path, line: source.line, evidence: stringEvidence(`reads ${read}`, source) })
    }
    for (const facts of build.files) {
      const { code } = facts.rust
      code.forEach((token, index) => {
        // A crate path (`whoami::username`) or a call (`gethostname()`), not a variable of that name.
        if (token.kind === 'ident' && settings.hostIdentifiers.includes(token.value) && (isPunct(code[index + 1], '::') || isPunct(code[index + 1], '('))) {
          findings.push({ file: facts.path, line: token.line, evidence: lineEvidence(`uses \`${token.value}\``, facts, token.line) })
        }
      })
    }
    return findings
  },
}
