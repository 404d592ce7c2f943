// Run by security.ts in a fresh process (so that its peak RSS is its own):
// - `security-package.ts crate FILE RUNS`: check FILE (a .crate) RUNS times, from memory; JSON line
//   with each run's milliseconds, the file's size and the decompressed bytes.
// - `security-package.ts bomb FILE`: check FILE, a decompression bomb, once, read as a file stream;
//   JSON line with the milliseconds and the report.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { checkPackage } from '../security/package-checks/index.ts'

const [mode, file, runs] = process.argv.slice(2) as [string, string, string | undefined]
if (mode === 'crate') {
  const bytes = await readFile(file)
  const ms: number[] = []
  let report: Awaited<ReturnType<typeof checkPackage>> | undefined
  for (let run = 0; run < Number(runs ?? 3); run++) {
    const started = performance.now()
    report = await checkPackage(bytes)
    ms.push(performance.now() - started)
  }
  console.log(JSON.stringify({ ms, size: bytes.length, bytes: report!.bytes, entries: report!.entries, accepted: report!.accepted }))
} else if (mode === 'bomb') {
  const started = performance.now()
  const report = await checkPackage(createReadStream(file))
  const ms = performance.now() - started
  console.log(JSON.stringify({ ms, size: (await stat(file)).size, findings: report.findings.map((f) => f.check), bytes: report.bytes }))
} else {
  throw new Error(`Unexpected mode \`${mode}\`, expected \`crate\` or \`bomb\``)
}
