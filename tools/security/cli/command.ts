/** Where a command writes: injected, so that tests and spec examples can run commands in-process. */
export interface CommandIo {
  stdout(text: string): void
  stderr(text: string): void
}

/** One `cratesec` subcommand. */
export interface Command {
  name: string
  /** One line for `cratesec --help`. */
  summary: string
  /** The usage text for `cratesec NAME --help` and for usage errors. */
  usage: string
  /** Run with the arguments after the subcommand's name; resolves to the exit status. */
  run(args: readonly string[], io: CommandIo): Promise<number>
}

/** Exit statuses shared by every subcommand. */
export const exitCodes = {
  /** Nothing found. */
  ok: 0,
  /** Something found: a possible squat, a rejected package. */
  found: 1,
  /** Bad usage, or an input that cannot be read at all. */
  unusable: 2,
} as const

/** A usage error: the command prints it with its usage and exits with {@link exitCodes.unusable}. */
export class UsageError extends Error {
  override name = 'UsageError'
}
