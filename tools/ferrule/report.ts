import type { VFile } from 'vfile'
import { source } from './diagnostics.ts'

/** A diagnostic as `--format json` prints it. */
export interface DiagnosticJson {
  file: string
  line: number | null
  column: number | null
  endLine: number | null
  endColumn: number | null
  severity: 'error' | 'warning'
  /** Stable name: `ferrule:duplicate-rule`. */
  rule: string
  reason: string
  hint: string | null
}

export interface Counts {
  errors: number
  warnings: number
}

/** `--strict`: every warning becomes an error. */
export function makeWarningsErrors(files: readonly VFile[]): void {
  for (const file of files) for (const message of file.messages) if (message.fatal === false) message.fatal = true
}

export function countMessages(files: readonly VFile[]): Counts {
  let errors = 0
  let warnings = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal) errors++
      else if (message.fatal === false) warnings++
    }
  }
  return { errors, warnings }
}

/** Diagnostics as JSON: sorted by file, line and column. */
export function filesToJson(files: readonly VFile[]): DiagnosticJson[] {
  const all: DiagnosticJson[] = []
  for (const file of files) {
    for (const message of file.messages) {
      all.push({
        file: message.file || file.path,
        line: message.place ? ('start' in message.place ? message.place.start.line : message.place.line) : null,
        column: message.place ? ('start' in message.place ? message.place.start.column : message.place.column) : null,
        endLine: message.place && 'end' in message.place ? message.place.end.line : null,
        endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
        severity: message.fatal ? 'error' : 'warning',
        rule: `${message.source ?? source}:${message.ruleId ?? 'unknown'}`,
        reason: message.reason,
        hint: message.note ?? null,
      })
    }
  }
  return all.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  )
}
