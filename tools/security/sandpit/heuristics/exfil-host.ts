import { findBuilt, findHost, type Heuristic, stringEvidence } from '../heuristic.ts'

/**
 * `heur.exfil-host`: a messaging, paste or webhook host (`api.telegram.org`, Discord webhooks,
 * pastebin) in a string of any code the crate's users build. Bot and chat client libraries name
 * them too, so alone it stays under the default threshold.
 */
export const exfilHost: Heuristic = {
  name: 'exfil-host',
  ruleId: 'heur.exfil-host',
  severity: 'high',
  weight: 30,
  detect({ build, runtime, settings }) {
    return [...build.strings, ...runtime.strings].flatMap((source) => {
      const host = findBuilt(source, (text) => findHost(text, settings.exfilHosts))
      return host === undefined ? [] : [{ file: source.facts.path, line: source.line, evidence: stringEvidence(`names the host ${host}`, source) }]
    })
  },
}
