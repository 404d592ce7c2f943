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
  rows?: InPlaceRows | undefined
}

/**
 * The rows of a log in the format's usual layout, as one pattern: what the parser, and for a
 * download `requestToTarget` too, make of such a line, read in one match where it stands.
 */
export interface InPlaceRows {
  /**
   * Flag `y`: matches, where a line starts, the whole of a line and its `\n` that the parser reads
   * as a request, and no other line. Either a download row, which `requestToTarget` reads as a
   * download of the captured crate version (group `groups.crate` set, a well-formed crate name,
   * whether reserved left to the caller, its day text to `day`), or any other request row (that group unset), for `request`.
   */
  pattern: RegExp
  /** The capture groups of a download row's day text, crate, and version (one of two groups, the second form's). */
  groups: { day: number; crate: number; version: number; otherVersion: number }
  /** The UTC day of a download row's day text, or undefined when the parser skips the line for it. */
  day(text: string): string | undefined
  /** What the parser makes of a matched row that is not a download row: its request, or why it is skipped. */
  request(match: RegExpExecArray): LogRequest | Skip
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
