import { parseArgs, type ParseArgsConfig } from 'node:util'
import path from 'node:path'
import { build, check } from './build.ts'
import { loadUserConfig, locateMdBook, resolveConfig, type ResolvedConfig } from './config.ts'
import { rustResultsToSummary } from './examples/rust-results.ts'
import { filesToJson, filesToReport } from './report.ts'
import { testRust } from './test-rust.ts'

/** Where a command writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
  /** Colour diagnostics (default: when stderr is a terminal). */
  color?: boolean
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  color: process.stderr.isTTY === true,
}

const usage = `Usage: ferrule <command> [options]

Commands:
  build    Check the spec, then write the site and rules.json (nothing is written on errors)
  check    Check the spec and print diagnostics; exit 1 on any error
  test-rust
           Compile (and run) every \`\`\`rust example with rustc, as rustdoc would;
           write test-results/rust.json; exit 1 when any example fails

Options:
  --root DIR       Folder holding SUMMARY.md and the chapters (default: spec)
  --out DIR        Output folder of build (default: dist)
  --config FILE    Config file (default: ferrule.config.ts in the current folder, if any)
  --strict         Treat warnings as errors
  --format FORMAT  Diagnostics as \`text\` (default) or \`json\` (on stdout)
  --json           test-rust: print the results as JSON on stdout
  --quiet          Print errors only, and no summary
  --verbose        Print the time of each phase
  -h, --help       Show this help
  -v, --version    Show the version
`

const options = {
  root: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string' },
  strict: { type: 'boolean', default: false },
  format: { type: 'string', default: 'text' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const satisfies ParseArgsConfig['options']

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values']

/** Run the `ferrule` command; resolves to the exit status. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true })
  } catch (error) {
    io.stderr(`ferrule: ${(error as Error).message}\n\n${usage}`)
    return 2
  }
  const { values: flags, positionals } = parsed
  if (flags.version) {
    io.stdout(`ferrule ${await version()}\n`)
    return 0
  }
  const [command, ...rest] = positionals
  if (flags.help || command === undefined || command === 'help') {
    io.stdout(usage)
    return 0
  }
  if (rest.length > 0) {
    io.stderr(`ferrule: unexpected argument \`${rest[0]}\`\n`)
    return 2
  }
  if (flags.format !== 'text' && flags.format !== 'json') {
    io.stderr(`ferrule: unexpected format \`${flags.format}\`, expected \`text\` or \`json\`\n`)
    return 2
  }

  let config: ResolvedConfig
  try {
    const user = await loadUserConfig(io.cwd, flags.config)
    config = await locateMdBook(resolveConfig(io.cwd, user, { root: flags.root, outDir: flags.out }), user.title !== undefined)
  } catch (error) {
    io.stderr(`ferrule: ${(error as Error).message}\n`)
    return 2
  }

  const commands: Record<string, typeof runBuild> = { build: runBuild, check: runCheck, 'test-rust': runTestRust }
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined
  if (!run) {
    io.stderr(`ferrule: unknown command \`${command}\`\n\n${usage}`)
    return 2
  }
  try {
    return await run(config, flags, io)
  } catch (error) {
    // Author mistakes are diagnostics; anything thrown is Ferrule's own fault or the machine's.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    const system = (error as NodeJS.ErrnoException).code !== undefined
    io.stderr(system ? `ferrule: ${(error as Error).message}\n` : `ferrule: internal error, a bug in Ferrule; please report it with this trace:\n${detail}\n`)
    return system ? 1 : 70
  }
}

async function runBuild(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const started = performance.now()
  const log = flags.verbose ? (line: string) => io.stderr(`ferrule: ${line}\n`) : undefined
  const result = await build({ config, strict: flags.strict, log })
  printDiagnostics(result.files, flags, io)
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  const { errors, warnings } = result.counts
  const tally = `${plural(result.chapters, 'chapter')}, ${plural(result.rules, 'rule')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
  if (!result.written) {
    io.stderr(`ferrule: build failed: ${tally}; nothing written (${seconds} s)\n`)
    return 1
  }
  // With `--format json`, stdout holds only the JSON.
  const summary = flags.format === 'json' ? io.stderr : io.stdout
  if (!flags.quiet) summary(`ferrule: built ${tally} into ${path.relative(io.cwd, config.outDir) || '.'} in ${seconds} s\n`)
  return 0
}

async function runCheck(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const result = await check({ config, strict: flags.strict })
  printDiagnostics(result.files, flags, io)
  const { errors, warnings } = result.counts
  if (flags.format === 'text' && !flags.quiet) {
    const line = `ferrule: checked ${plural(result.files.length - 1, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`
    if (errors > 0) io.stderr(line)
    else io.stdout(line)
  }
  return errors > 0 ? 1 : 0
}

async function runTestRust(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const started = performance.now()
  const result = await testRust({ config })
  // Example mistakes (an unknown \`rule=\`, say) matter here too; other diagnostics are \`check\`'s.
  printDiagnostics(result.files, { ...flags, quiet: true, format: 'text' }, io)
  const tally = { passed: 0, failed: 0, skipped: 0 }
  for (const example of result.examples) tally[example.status]++
  if (flags.json) {
    io.stdout(JSON.stringify(rustResultsToSummary(result), null, 2) + '\n')
  } else {
    for (const example of result.examples.filter((candidate) => candidate.status === 'failed')) {
      io.stderr(`FAIL ${example.title}\n${indent(example.reason ?? '')}\n`)
    }
    const skipReasons = new Map<string, number>()
    for (const example of result.examples) {
      if (example.status === 'skipped') skipReasons.set(example.reason ?? '', (skipReasons.get(example.reason ?? '') ?? 0) + 1)
    }
    for (const [reason, count] of skipReasons) io.stderr(`skipped ${plural(count, 'example')}: ${reason}\n`)
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  const cached = result.examples.filter((example) => example.cached).length
  const line = `ferrule: rust examples: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped (${cached} from cache, ${result.rustc ? `rustc ${result.rustc}` : 'no rustc'}) in ${seconds} s; results in ${path.relative(io.cwd, result.resultsFile)}\n`
  if (!flags.quiet) (flags.json || tally.failed > 0 ? io.stderr : io.stdout)(line)
  return tally.failed > 0 || result.counts.errors > 0 ? 1 : 0
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

function printDiagnostics(files: Parameters<typeof filesToReport>[0], flags: Flags, io: Io): void {
  if (flags.format === 'json') {
    io.stdout(JSON.stringify(filesToJson(files), null, 2) + '\n')
    return
  }
  const text = filesToReport(files, { quiet: flags.quiet, color: io.color ?? false })
  if (text) io.stderr(text + '\n')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises')
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return manifest.version
}
