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
  createParser(): (line: string) => ParsedLine
}

export const directive: Directive = Object.freeze({ directive: true })
