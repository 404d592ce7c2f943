// `cratesec`, the command-line front of the security tools (bin/cratesec.js).
//
// To add a new subcommand:
// 1. Write `tools/security/<tool>/command.ts` exporting `defineCommand({...})` (cli/command.ts): its
//    name, a one-line summary, its usage, `parse(args)`, which reads its flags with node:util's
//    parseArgs and throws a `UsageError` on bad usage, and `execute(options, io)`, which does no I/O
//    but reading its inputs and writing through `io`, and resolves to an exit status from
//    `exitCodes` (0 nothing found, 1 found, 2 unusable).
// 2. Add it to `commands` below (the order is that of `cratesec --help`).
// 3. Give it a section in the README's `cratesec` table and rules in its chapter, with a test
//    that runs it through `main` and names those rules.
import { downloadsCommand } from '../downloads/command.ts'
import { notifyCommand } from '../notify/command.ts'
import { checkPackageCommand } from '../package-checks/command.ts'
import { replayCommand } from '../replay/command.ts'
import { scanCommand } from '../sandpit/command.ts'
import { pkiCommand } from '../signing/command.ts'
import { typosquatCommand } from '../typosquat/command.ts'
import { unsafeStatsCommand } from '../unsafe-stats/command.ts'
import { type Command, type CommandIo, exitCodes } from './command.ts'

export { type Command, type CommandIo, defineCommand, exitCodes, UsageError } from './command.ts'

/** Every subcommand, by name. */
export const commands: readonly Command[] = [typosquatCommand, checkPackageCommand, downloadsCommand, scanCommand, unsafeStatsCommand, replayCommand, notifyCommand, pkiCommand]

const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length))
  return [
    'Usage: cratesec <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `cratesec <command> --help` for its options.',
    '',
  ].join('\n')
}

/** Run `cratesec` with `argv` (the arguments after the program's name); resolves to the exit status. */
export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(name === undefined ? io.stderr : io.stdout)(help())
    return name === undefined ? exitCodes.unusable : exitCodes.ok
  }
  const command = commands.find((candidate) => candidate.name === name)
  if (command === undefined) {
    io.stderr(`cratesec: unknown command \`${name}\`, expected one of ${commands.map((c) => `\`${c.name}\``).join(', ')}\n\n${help()}`)
    return exitCodes.unusable
  }
  return command.run(args, io)
}
