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

/** What a subcommand is made of, for `defineCommand`. */
export interface CommandSpec<Options> {
  name: string
  summary: string
  usage: string
  /** The options in `args`, or `'help'` for `--help`; throws on bad usage (a `UsageError`, or any error). */
  parse(args: readonly string[]): Options | 'help'
  /** Do the work; resolves to an exit status from `exitCodes`. */
  execute(options: Options, io: CommandIo): Promise<number>
}

/**
 * A subcommand from the parser of its arguments and what it does with them: `--help` and bad usage
 * are answered here, alike for every subcommand (the usage on stdout; the error and the usage on
 * stderr, exit status 2).
 */
export function defineCommand<Options>(spec: CommandSpec<Options>): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args, io) {
      let options: Options | 'help'
      try {
        options = spec.parse(args)
      } catch (error) {
        io.stderr(`cratesec ${spec.name}: ${(error as Error).message}\n\n${spec.usage}`)
        return exitCodes.unusable
      }
      if (options === 'help') {
        io.stdout(spec.usage)
        return exitCodes.ok
      }
      return spec.execute(options, io)
    },
  }
}
