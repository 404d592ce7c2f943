import { fileFormat, isExecutable } from '../binary.ts'
import { type Heuristic, lineEvidence, type RawFinding } from '../heuristic.ts'

/**
 * `heur.include-binary`: `include_bytes!` of an executable or an opaque blob of the package, or of
 * a file the package lacks whose name is an executable's (`.exe`, `.dll`, `.so`, `.dylib`): a
 * payload compiled into the crate, to be written out and run.
 */
export const includeBinary: Heuristic = {
  name: 'include-binary',
  ruleId: 'heur.include-binary',
  severity: 'high',
  weight: 40,
  detect({ build, runtime, files, settings }) {
    const findings: RawFinding[] = []
    for (const facts of [...build.files, ...runtime.files]) {
      for (const include of facts.includes) {
        const file = files.get(include.target)
        let what: string | undefined
        if (file === undefined) what = /\.(?:exe|dll|so|dylib|elf|scr|msi)$/i.test(include.target) ? `includes \`${include.target}\`, an executable's name, not in the package` : undefined
        else if (isExecutable(fileFormat(file.head))) what = `includes \`${include.target}\`, an executable`
        else if (file.size >= settings.minBlobBytes && file.entropy >= settings.minBlobEntropy && fileFormat(file.head) === undefined) what = `includes \`${include.target}\`, an opaque blob`
        if (what !== undefined) findings.push({ file: facts.path, line: include.line, evidence: lineEvidence(what, facts, include.line) })
      }
    }
    return findings
  },
}
