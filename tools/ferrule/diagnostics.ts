import type { Node, Point, Position } from 'unist'
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'

/** Every diagnostic Ferrule reports carries this source; its stable name is `ferrule:<ruleId>`. */
export const source = 'ferrule'

export type Severity = 'error' | 'warning'

export interface ReportOptions {
  /** Where the problem is; a point or a range. */
  place?: Point | Position | undefined
  /** How to fix it, when known. Shown under the message and as `hint` in JSON. */
  hint?: string | undefined
  /** The other place of a conflict, as a message of its own. */
  cause?: VFileMessage | undefined
  ancestors?: Node[] | undefined
}

/** Report an author's mistake on `file`. Errors stop a build from publishing; warnings do not. */
export function report(
  file: VFile,
  severity: Severity,
  ruleId: string,
  reason: string,
  options: ReportOptions = {},
): VFileMessage {
  const message = file.message(reason, {
    place: options.place,
    ruleId,
    source,
    cause: options.cause,
    ancestors: options.ancestors,
  })
  message.fatal = severity === 'error'
  if (options.hint) message.note = options.hint
  return message
}

/** `file:line:column` of a place, for naming the other side of a conflict in a reason. */
export function where(file: VFile, place: Point | Position | undefined): string {
  const point = place && 'start' in place ? place.start : place
  return point ? `${file.path}:${point.line}:${point.column}` : file.path
}

/** Quote a list of names for a reason: "`a`", "`a` or `b`", "`a`, `b` or `c`". */
export function quoteList(names: readonly string[], joiner = 'or'): string {
  const quoted = names.map((name) => '`' + name + '`')
  if (quoted.length < 2) return quoted.join('')
  return `${quoted.slice(0, -1).join(', ')} ${joiner} ${quoted.at(-1)}`
}
