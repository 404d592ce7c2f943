import { parseArgs, type ParseArgsConfig } from 'node:util'
import path from 'node:path'
import type { build as buildBook, check as checkBook } from './build.ts'
import { findConfigFile, loadUserConfig, locateMdBook, resolveConfig, type ResolvedConfig } from './config.ts'
import { rustResultsToSummary } from './examples/rust-results.ts'
import { filesToJson } from './report.ts'
import { gateFailures, makeMatrix, MatrixInputError, matrixFormats, type FailOn, type MatrixFormat } from './matrix.ts'
import { ferruleVersion } from './version.ts'
import { verifyMatrix, VerifyInputError } from './verify.ts'
import { diffRules, readBaseline, rulesDiffToText } from './trace/rules-diff.ts'
import { verdicts } from './trace/types.ts'

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
  build    Check the spec, then write the site and rules.json (nothing is written on errors);
           with --baseline, the rules page lists the rules removed since
  check    Check the spec and print diagnostics; exit 1 on any error
  dev      Serve a live preview on http://127.0.0.1:3000/ that follows every edit
  pdf      Print the whole book to print.pdf in the output folder, with Chromium
  test-rust
           Compile (and run) every \`\`\`rust example with rustc, as rustdoc would;
           write test-results/rust.json; exit 1 when any example fails
  matrix   Trace every rule to the tests that verify it, with their outcomes, into
           matrix/ (json, csv, xlsx, reqif, html) and matrix/evidence.json
  diff OLD NEW
           Rules added, removed and changed between two rules.json (or matrix.json)
  verify [DIR]
           Check a matrix folder (default: matrix/ in the output folder) against its
           evidence.json: every digest, and the signature

Options:
  --root DIR       Folder holding SUMMARY.md and the chapters (default: spec)
  --out DIR        Output folder of build (default: dist)
  --config FILE    Config file (default: ferrule.config.ts in the current folder, if any)
  --strict         Treat warnings as errors
  --format FORMAT  Diagnostics as \`text\` (default) or \`json\` (on stdout)
  --json           test-rust: print the results as JSON on stdout

Options of dev:
  --port N         Port to listen on (default 3000; the next free one if taken)
  --host HOST      Host to listen on (default 127.0.0.1, this machine only)
  --open           Open the preview in a browser

Options of matrix:
  --rules FILE     The rules inventory (default: rules.json in the output folder;
                   without one, the book is compiled)
  --results FILE   vitest JSON, rust.json or JUnit XML (repeatable; default: the
                   results of the last \`npm test\` under test-results/)
  --tests DIR      Folder scanned for \`//@ reference: ID\` tags (repeatable; default: test)
  --waivers FILE   Waivers (default: waivers.yaml beside SUMMARY.md)
  --baseline FILE  rules.json or matrix.json of the last release: impact analysis
  --format LIST    Exports, comma-separated (default: json,csv,xlsx,reqif,html)
  --min-coverage N Exit 1 when fewer than N% of rules are verified, waived or mitigated
  --fail-on LIST   Exit 1 on any rule with these verdicts, or \`suspect\` links
  --sign KEY       Sign evidence.json with this Ed25519 private key (PEM)
  --key KEY        verify: the public key (PEM) the signature must match
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
  rules: { type: 'string' },
  results: { type: 'string', multiple: true },
  tests: { type: 'string', multiple: true },
  waivers: { type: 'string' },
  baseline: { type: 'string' },
  'min-coverage': { type: 'string' },
  'fail-on': { type: 'string' },
  sign: { type: 'string' },
  key: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  open: { type: 'boolean', default: false },
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
    io.stdout(`ferrule ${await ferruleVersion()}\n`)
    return 0
  }
  const [command, ...rest] = positionals
  if (flags.help || command === undefined || command === 'help') {
    io.stdout(usage)
    return 0
  }
  const wanted = command === 'diff' ? 2 : command === 'verify' ? rest.length : 0
  if (rest.length !== wanted || rest.length > 1 && command === 'verify') {
    io.stderr(command === 'diff' ? 'ferrule: diff takes two files: OLD NEW\n' : `ferrule: unexpected argument \`${rest[wanted] ?? rest[0]}\`\n`)
    return 2
  }
  if (command === 'diff') return runDiff(rest[0]!, rest[1]!, flags, io)
  if (command !== 'matrix' && flags.format !== 'text' && flags.format !== 'json') {
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

  const commands: Record<string, typeof runBuild> = {
    build: runBuild,
    check: runCheck,
    dev: runDev,
    pdf: runPdf,
    'test-rust': runTestRust,
    matrix: runMatrix,
    verify: (config, runFlags, runIo) => runVerify(config, runFlags, runIo, rest[0]),
  }
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined
  if (!run) {
    io.stderr(`ferrule: unknown command \`${command}\`\n\n${usage}`)
    return 2
  }
  try {
    return await run(config, flags, io)
  } catch (error) {
    if (error instanceof MatrixInputError) {
      io.stderr(`ferrule: ${error.message}\n`)
      return 2
    }
    // Author mistakes are diagnostics; anything thrown is Ferrule's own fault or the machine's.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    const system = (error as NodeJS.ErrnoException).code !== undefined
    io.stderr(system ? `ferrule: ${(error as Error).message}\n` : `ferrule: internal error, a bug in Ferrule; please report it with this trace:\n${detail}\n`)
    return system ? 1 : 70
  }
}

/**
 * The build and check drivers, loaded when a command needs them: they bring the whole Markdown and
 * highlighting pipeline, which `ferrule matrix`, `diff` and `verify` do without (a second at start).
 */
async function loadBuild(): Promise<{ build: typeof buildBook; check: typeof checkBook }> {
  return import('./build.ts')
}

async function runBuild(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const started = performance.now()
  const log = flags.verbose ? (line: string) => io.stderr(`ferrule: ${line}\n`) : undefined
  const result = await (await loadBuild()).build({ config, strict: flags.strict, log, baseline: flags.baseline })
  await printDiagnostics(result.files, flags, io)
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
  if (result.matrix && 'error' in result.matrix) io.stderr(`ferrule: matrix not written: ${result.matrix.error}\n`)
  else if (result.matrix && !flags.quiet) summary(`ferrule: matrix from the last test run: ${result.matrix.written.length} files in ${path.relative(io.cwd, path.join(config.outDir, 'matrix'))}\n`)
  return 0
}

async function runCheck(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const result = await (await loadBuild()).check({ config, strict: flags.strict })
  await printDiagnostics(result.files, flags, io)
  const { errors, warnings } = result.counts
  if (flags.format === 'text' && !flags.quiet) {
    const line = `ferrule: checked ${plural(result.files.length - 1, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`
    if (errors > 0) io.stderr(line)
    else io.stdout(line)
  }
  return errors > 0 ? 1 : 0
}

async function runDev(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const port = flags.port === undefined ? undefined : Number(flags.port)
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    io.stderr(`ferrule: --port takes a port number from 0 to 65535, not \`${flags.port}\`\n`)
    return 2
  }
  const { startDevServer } = await import('./dev/server.ts')
  const configFile = flags.config ? path.resolve(io.cwd, flags.config) : findConfigFile(io.cwd)
  const server = await startDevServer({
    config,
    configFile,
    reloadConfig: async () => locateMdBook(resolveConfig(io.cwd, await loadUserConfig(io.cwd, configFile, { fresh: true }), { root: flags.root, outDir: flags.out }), true),
    port,
    host: flags.host,
    open: flags.open,
    log: (line) => io.stderr(`ferrule dev: ${line}\n`),
  })
  io.stdout(`ferrule dev: ${server.url}\n`)
  // Until interrupted: Ctrl+C, or the signal a supervisor sends.
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  return 0
}

async function runPdf(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const { NoChromiumError, renderPdf } = await import('./pdf.ts')
  const started = performance.now()
  const out = path.join(config.outDir, 'print.pdf')
  let result
  try {
    result = await renderPdf({ config, out, strict: flags.strict })
  } catch (error) {
    if (!(error instanceof NoChromiumError)) throw error
    io.stderr(`ferrule: ${error.message}\n`)
    return 2
  }
  await printDiagnostics(result.build.files, flags, io)
  if (!result.file) {
    io.stderr('ferrule: the spec has errors (see above); no PDF written\n')
    return 1
  }
  if (!flags.quiet) io.stdout(`ferrule: printed ${result.build.chapters} chapters to ${path.relative(io.cwd, result.file)} in ${((performance.now() - started) / 1000).toFixed(2)} s\n`)
  return 0
}

async function runTestRust(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const started = performance.now()
  const { testRust } = await import('./test-rust.ts')
  const result = await testRust({ config })
  // Example mistakes (an unknown \`rule=\`, say) matter here too; other diagnostics are \`check\`'s.
  await printDiagnostics(result.files, { ...flags, quiet: true, format: 'text' }, io)
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

async function runMatrix(config: ResolvedConfig, flags: Flags, io: Io): Promise<number> {
  const formats = flags.format === 'text' ? [...matrixFormats] : flags.format.split(',').map((name) => name.trim())
  const badFormat = formats.find((name) => !(matrixFormats as readonly string[]).includes(name))
  const failOn = flags['fail-on'] ? flags['fail-on'].split(',').map((name) => name.trim()) : []
  const badFailOn = failOn.find((name) => name !== 'suspect' && !(verdicts as readonly string[]).includes(name))
  // A percentage as written (`80`, `99.5`): `Number` would also take `` as 0 and `0x10` as 16.
  const minCoverageText = flags['min-coverage']
  const minCoverage = minCoverageText === undefined ? undefined : /^\s*\d+(?:\.\d+)?\s*$/.test(minCoverageText) ? Number(minCoverageText) : Number.NaN
  const usageError =
    (badFormat !== undefined && `unexpected format \`${badFormat}\`, expected some of ${matrixFormats.join(', ')}`) ||
    (badFailOn !== undefined && `unexpected --fail-on \`${badFailOn}\`, expected some of ${[...verdicts, 'suspect'].join(', ')}`) ||
    (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 100) && `--min-coverage takes a percentage from 0 to 100, not \`${flags['min-coverage']}\``)
  if (usageError) {
    io.stderr(`ferrule: ${usageError}\n`)
    return 2
  }
  const user = await loadUserConfig(io.cwd, flags.config)
  const result = await makeMatrix({
    config,
    rules: flags.rules,
    results: flags.results,
    tests: flags.tests ?? user.tests,
    waivers: flags.waivers,
    baseline: flags.baseline,
    formats: formats as MatrixFormat[],
    signKey: flags.sign,
    configFile: flags.config ?? findConfigFile(io.cwd),
    version: await ferruleVersion(),
  })
  await printDiagnostics(result.files, { ...flags, format: 'text' }, io)
  if (!result.matrix) {
    io.stderr('ferrule: the spec has errors (see `ferrule check`); no matrix written\n')
    return 1
  }
  const { overall } = result.matrix.summary
  const tally = verdicts.filter((verdict) => overall.counts[verdict] > 0).map((verdict) => `${overall.counts[verdict]} ${verdict}`).join(', ')
  const impact = result.matrix.impact
  const delta = impact ? `; since ${impact.baseline}: ${impact.added.length} added, ${impact.removed.length} removed, ${impact.changed.length} changed, ${impact.suspectLinks} suspect links, coverage ${impact.coverageBefore}% -> ${impact.coverageAfter}%` : ''
  if (!flags.quiet) io.stdout(`ferrule: matrix of ${plural(overall.rules, 'rule')} (${tally}), coverage ${overall.coverage}%${delta}; wrote ${result.written.length} files into ${path.relative(io.cwd, path.join(config.outDir, 'matrix')) || '.'}\n`)
  const failures = gateFailures(result.matrix, minCoverage, failOn as FailOn[])
  for (const failure of failures) io.stderr(`ferrule: gate: ${failure}\n`)
  return failures.length > 0 || result.counts.errors > 0 ? 1 : 0
}

async function runDiff(oldFile: string, newFile: string, flags: Flags, io: Io): Promise<number> {
  const { readFile } = await import('node:fs/promises')
  const load = async (file: string) => {
    try {
      return readBaseline(await readFile(path.resolve(io.cwd, file), 'utf8'), file)
    } catch (error) {
      throw new MatrixInputError((error as Error).message)
    }
  }
  try {
    const diff = diffRules((await load(oldFile)).rules, (await load(newFile)).rules)
    io.stdout(flags.format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : rulesDiffToText(diff))
    return 0
  } catch (error) {
    io.stderr(`ferrule: ${(error as Error).message}\n`)
    return 2
  }
}

async function runVerify(config: ResolvedConfig, flags: Flags, io: Io, folder: string | undefined): Promise<number> {
  let verified: Awaited<ReturnType<typeof verifyMatrix>>
  try {
    verified = await verifyMatrix(path.resolve(io.cwd, folder ?? path.join(config.outDir, 'matrix')), io.cwd, flags.key)
  } catch (error) {
    if (!(error instanceof VerifyInputError)) throw error
    io.stderr(`ferrule: verify: ${error.message}\n`)
    return 2
  }
  const { problems } = verified
  for (const problem of problems) io.stderr(`ferrule: verify: ${problem}\n`)
  // Without --key, a manifest whose signature was taken off still matches its digests: say it is unsigned.
  const signature = flags.key
    ? ', and the signature matches the key'
    : verified.signed
      ? '; it is signed, and the signature matches the key it names (pass --key to check the signer)'
      : '; it is not signed (pass --key to require a signature)'
  if (problems.length === 0 && !flags.quiet) io.stdout(`ferrule: verify: every input and export matches evidence.json${signature}\n`)
  return problems.length > 0 ? 1 : 0
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

async function printDiagnostics(files: Parameters<typeof filesToJson>[0], flags: Flags, io: Io): Promise<void> {
  if (flags.format === 'json') {
    io.stdout(JSON.stringify(filesToJson(files), null, 2) + '\n')
    return
  }
  // Nothing to print (no messages; with --quiet, no errors): vfile-reporter is not loaded.
  if (!files.some((file) => file.messages.some((message) => message.fatal === true || !flags.quiet))) return
  const { filesToReport } = await import('./report-text.ts')
  const text = filesToReport(files, { quiet: flags.quiet, color: io.color ?? false })
  if (text) io.stderr(text + '\n')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

