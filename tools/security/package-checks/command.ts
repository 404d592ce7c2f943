import { open, readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { checkPackage } from './check-package.ts'
import { parsePublishMetadata, type PublishMetadata } from './metadata.ts'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES } from './options.ts'

const usage = `Usage: cratesec check-package FILE.crate [--name N --version V] [--metadata FILE] [--max-entries N] [--max-bytes N] [--json]

Checks a .crate file, and the publish metadata cargo sent with it (spec: package-checks.md).

  --name N, --version V   what the package must be (default: what its top folder says)
  --metadata FILE         cargo's publish metadata (JSON), compared with the packaged Cargo.toml
  --max-entries N         the most archive entries (default ${DEFAULT_MAX_ENTRIES})
  --max-bytes N           the most bytes once decompressed (default ${DEFAULT_MAX_BYTES})
  --json                  print {"file", "accepted", "name", "version", "findings": [{"check", "path"|"field", "message"}], ...}

Exit status: 0 accepted, 1 rejected, 2 bad usage or a file that cannot be read at all.
`

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      version: { type: 'string' },
      metadata: { type: 'string' },
      'max-entries': { type: 'string' },
      'max-bytes': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help' as const
  if (positionals.length !== 1) throw new UsageError(`expected one FILE.crate, got ${positionals.length}`)
  if ((values.name === undefined) !== (values.version === undefined)) throw new UsageError('expected both --name and --version, or neither')
  const count = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${flag}: expected a non-negative integer, got \`${text}\``)
    return Number(text)
  }
  return {
        file: positionals[0]!,
    name: values.name,
    version: values.version,
    metadata: values.metadata,
    maxEntries: count('max-entries', values['max-entries']),
    maxBytes: count('max-bytes', values['max-bytes']),
    json: values.json === true,
  }
}

/** `cratesec check-package` (`pkg.cli`). */
export const checkPackageCommand = defineCommand({
  name: 'check-package',
  summary: 'check a .crate file, and its publish metadata against its Cargo.toml',
  usage,
  parse,
  async execute(options, io) {
    const unusable = (message: string) => {
      io.stderr(`cratesec check-package: ${message}\n`)
      return exitCodes.unusable
    }
    let metadata: PublishMetadata | undefined
    if (options.metadata !== undefined) {
      try {
        metadata = parsePublishMetadata(JSON.parse(await readFile(options.metadata, 'utf8')), options.metadata)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        return unusable(code ? `${options.metadata}: cannot read the metadata (${code})` : (error as Error).message.startsWith(options.metadata) ? (error as Error).message : `${options.metadata}: ${(error as Error).message}`)
      }
    }
    // Opened first, so that a file that cannot be read at all is told from one that is not a package.
    let handle: Awaited<ReturnType<typeof open>>
    try {
      handle = await open(options.file)
      if ((await handle.stat()).isDirectory()) {
        await handle.close()
        return unusable(`${options.file}: is a folder, not a .crate file`)
      }
    } catch (error) {
      return unusable(`${options.file}: cannot read the package (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    const report = await checkPackage(handle.createReadStream(), {
      ...(options.name === undefined ? {} : { name: options.name, version: options.version }),
      ...(metadata === undefined ? {} : { metadata }),
      ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    }).finally(() => handle.close().catch(() => undefined))
    if (options.json) {
      io.stdout(`${JSON.stringify({ file: options.file, ...report }, null, 2)}\n`)
    } else {
      const identity = report.name === undefined ? '' : ` ${report.name} ${report.version}`
      if (report.accepted) io.stdout(`${options.file}: accepted${identity} (${report.entries} entries, ${report.bytes} bytes decompressed)\n`)
      else {
        io.stdout(`${options.file}: rejected${identity}, ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}\n`)
        for (const finding of report.findings) io.stdout(`  ${finding.check}${finding.path === undefined ? '' : ` ${finding.path}`}${finding.field === undefined ? '' : ` [${finding.field}]`}: ${finding.message}\n`)
        for (const [check, count] of Object.entries(report.suppressed)) io.stdout(`  ${check}: ${count} more not shown\n`)
      }
    }
    return report.accepted ? exitCodes.ok : exitCodes.found
  },
})
