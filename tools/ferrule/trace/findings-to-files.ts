import { VFile } from 'vfile'
import { report } from '../diagnostics.ts'
import type { Finding } from './types.ts'

/** Findings as messages on files, for vfile-reporter; warnings and errors as their severity says. */
export function findingsToFiles(findings: readonly Finding[], cwd: string): VFile[] {
  const files = new Map<string, VFile>()
  for (const finding of findings) {
    let file = files.get(finding.file)
    if (!file) {
      file = new VFile({ path: finding.file, cwd })
      files.set(finding.file, file)
    }
    report(file, finding.severity, finding.rule.replace(/^ferrule:/, ''), finding.message, { place: finding.line ? { line: finding.line, column: 1 } : undefined })
  }
  return [...files.values()]
}
