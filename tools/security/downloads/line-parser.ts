import type { LogRequest } from './request.ts'
import type { Skip } from './skip-reasons.ts'

/** A line that the format consumes without it being a request or a skipped line: a CloudFront directive. */
export interface Directive {
  directive: true
}

/** A line that refuses the whole file: the sentence says why (`dl.refused`). */
export interface Refusal {
  refuse: string
}

/** What a format's parser makes of one line (without its line break). */
export type ParsedLine = LogRequest | Skip | Directive | Refusal

/** A parser of one file's lines, with the state that the lines before set. */
export interface LineParser {
  (line: string): ParsedLine
  /**
   * The format's quicker reading of the commonest line, in the parser's present state, or undefined
   * when it has none: read in place, without the line being cut out of the text around it.
   */
  rows?: DownloadRows | undefined
}

/**
 * A download row, as a pattern: what the parser and `requestToTarget` together make of such a line,
 * in one match, for a line with nothing to decode.
 */
export interface DownloadRows {
  /**
   * Flag `y`: matches, where a line starts, the whole of a line and its `\n` that the parser reads
   * as a request and `requestToTarget` as a download of the captured crate version, whose name is a
   * valid crate name (left to the caller to check) and whose day text `day` accepts. No other line.
   */
  pattern: RegExp
  /** The capture groups of the day text, the crate, and the version (one of two groups, the second form's). */
  groups: { day: number; crate: number; version: number; otherVersion: number }
  /** The UTC day of a row's day text, or undefined when the parser skips the line for it. */
  day(text: string): string | undefined
}

/**
 * A log format: a parser with the state that the lines before set (CloudFront's `#Fields:`).
 *
 * To add a new format:
 * 1. Write `FORMAT.ts` exporting a `LogFormat` (its name, the first byte that selects it, a parser).
 * 2. Add it to `formats` in `count-log.ts`.
 * 3. Specify it in `spec/security/download-counting.md`, with fixtures under
 *    `test/fixtures/security/downloads/` and a case in `test/security/downloads.test.ts`.
 */
export interface LogFormat {
  name: string
  /** The first byte of the decompressed log that selects this format. */
  firstByte: number
  /** A parser for one file, with state of its own. */
  createParser(): LineParser
}

export const directive: Directive = Object.freeze({ directive: true })
