import { fileFormat, isExecutable } from '../binary.ts'
import type { Heuristic } from '../heuristic.ts'

const formatNames = { elf: 'an ELF executable', pe: 'a PE (Windows) executable', 'mach-o': 'a Mach-O executable' } as const

/**
 * `heur.bundled-executable`: a file whose first bytes are those of an ELF, PE or Mach-O
 * executable, whatever its name. Object-file crates ship such test binaries; a build that launches
 * one is the bundled-installer incident.
 */
export const bundledExecutable: Heuristic = {
  name: 'bundled-executable',
  ruleId: 'heur.bundled-executable',
  severity: 'high',
  weight: 40,
  detect({ contents }) {
    return contents.files.flatMap((file) => {
      const format = fileFormat(file.head)
      return isExecutable(format) ? [{ file: file.path, line: null, evidence: `is ${formatNames[format as keyof typeof formatNames]} of ${file.size} bytes` }] : []
    })
  },
}
