/**
 * The text of a ```` ```rust ```` example, as rustdoc treats a doctest: which lines readers see, and
 * the program rustc compiles. Pure functions; running the program is `rust-runner.ts`'s job.
 *
 * Hidden lines follow `map_line` in rustdoc's `html/markdown.rs`; the wrapping follows `make_test`
 * in rustdoc's `doctest/make.rs`, except that `fn main` is found by text, not by parsing (see
 * `hasMainFn`).
 */

import type { RustMode } from '../syntax/types.ts'

export type { RustMode }

/** The words of a ```` ```rust ```` block's info string that change how it is checked. */
export interface RustAttributes {
  mode: RustMode
  /** `2015` | `2018` | `2021` | `2024`, or undefined for the runner's default edition. */
  edition: string | undefined
  /** Error codes that a `compile_fail` block must produce, e.g. ['E0382'] (rustdoc's `compile_fail,E0382`). */
  errorCodes: string[]
}

/** The program rustc compiles for an example, and where each of its lines came from. */
export interface RustProgram {
  program: string
  /** `lineMap[i]`: the 0-based line of the example that line `i` of `program` came from; `undefined` for generated lines. */
  lineMap: Array<number | undefined>
  /**
   * `columnShift[i]`: what to add to a 1-based column on line `i` of `program` to get the column in
   * the example's line, since hidden lines lose their indentation and `# `, and `##` loses a `#`.
   */
  columnShift: number[]
}

/** One line on its way into the program: its compiled text, its example line, its column shift. */
interface ProgramLine {
  text: string
  source: number | undefined
  shift: number
}

/** The wrapper's own lines. */
const allowUnused = '#![allow(unused)]'
const mainOpen = 'fn main() {'
const mainClose = '}'
// rustdoc's wrapper for examples ending in `Ok::<(), E>(())`, so that `?` works in them.
const resultMainOpen = 'fn main() { fn _inner() -> core::result::Result<(), impl core::fmt::Debug> {'
const resultMainClose = '} _inner().unwrap() }'

/** The program rustc compiles: hidden-line markers removed, wrapped in `fn main` as rustdoc does. */
export function rustToProgram(code: string): RustProgram {
  const lines = sourceLines(code).map((line, index): ProgramLine => {
    const mapped = mapLine(line)
    return { text: mapped.code, source: index, shift: mapped.shift }
  })
  const parts = partitionSource(lines)
  // rustdoc passes code it cannot split (an unfinished `#![...]`) through untouched: rustc says what is wrong.
  if (!parts) return toProgram(lines)

  const top = [...parts.crateAttrs, ...parts.crates]
  const body = trimBlankLines(parts.everythingElse)
  const generated = (text: string): ProgramLine => ({ text, source: undefined, shift: 0 })
  const out: ProgramLine[] = [generated(allowUnused), ...top]
  // A `#![no_std]` crate has no `std` to run `fn main` with; rustdoc leaves such examples alone too.
  if (hasMainFn([...top, ...body]) || top.some((line) => line.text.includes('![no_std]'))) {
    out.push(...body)
  } else if (body.at(-1)?.text.endsWith('(())')) {
    out.push(generated(resultMainOpen), ...body, generated(resultMainClose))
  } else {
    out.push(generated(mainOpen), ...body, generated(mainClose))
  }
  return toProgram(out)
}

/** What readers see: hidden lines dropped, `##` escapes turned into `#`. */
export function rustToDisplay(code: string): string {
  return sourceLines(code)
    .map(mapLine)
    .filter((line) => !line.hidden)
    .map((line) => line.code)
    .join('\n')
}

/** Lines as Rust's `str::lines` splits them: `\n` or `\r\n`, no empty last line after a final newline. */
function sourceLines(code: string): string[] {
  const lines = code.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}

/**
 * rustdoc's rule: after trimming, `##...` is shown with one `#` fewer; `# text` and a lone `#` are
 * hidden and compiled without the marker (and without the indentation). Anything else, `#[derive]`
 * and `#![allow]` included, is ordinary code: `#` followed by anything but a space may be an attribute.
 */
function mapLine(line: string): { hidden: boolean; code: string; shift: number } {
  const trimmed = line.trim()
  if (trimmed.startsWith('##')) return { hidden: false, code: line.replace('##', '#'), shift: 1 }
  if (trimmed.startsWith('# ')) {
    const indent = line.length - line.trimStart().length
    return { hidden: true, code: trimmed.slice(2), shift: indent + 2 }
  }
  if (trimmed === '#') return { hidden: true, code: '', shift: 0 }
  return { hidden: false, code: line, shift: 0 }
}

interface SourceParts {
  /** `#![...]` attributes at the top, with the blank and comment lines among them. */
  crateAttrs: ProgramLine[]
  /** `extern crate` lines right after the attributes. */
  crates: ProgramLine[]
  everythingElse: ProgramLine[]
}

/**
 * Split the top of the example from its body, as rustdoc's `partition_source` does: crate-level
 * attributes and `extern crate` items must stay at the crate root, outside the generated `fn main`.
 * Returns `undefined` when a `#![` attribute never closes.
 */
function partitionSource(lines: readonly ProgramLine[]): SourceParts | undefined {
  const parts: SourceParts = { crateAttrs: [], crates: [], everythingElse: [] }
  let state: 'attrs' | 'crates' | 'other' = 'attrs'
  let pending: ProgramLine[] = []
  for (const line of lines) {
    const trimmed = line.text.trim()
    if (state === 'attrs') {
      // An attribute may span lines (`#![cfg_attr(\n  x,\n  y\n)]`): collect until its brackets close.
      if (pending.length > 0 || trimmed.startsWith('#![')) {
        pending.push(line)
        if (attributeIsComplete(pending.map((part) => part.text).join('\n'))) {
          parts.crateAttrs.push(...pending)
          pending = []
        }
        continue
      }
      if (isBlankOrComment(trimmed)) {
        parts.crateAttrs.push(line)
        continue
      }
      state = isExternCrate(trimmed) ? 'crates' : 'other'
    } else if (state === 'crates' && !isExternCrate(trimmed) && !isBlankOrComment(trimmed)) {
      state = 'other'
    }
    if (state === 'crates') parts.crates.push(line)
    else parts.everythingElse.push(line)
  }
  return pending.length > 0 ? undefined : parts
}

/** Blank lines and `//` comments stay with the item above; `///` documents the item below. */
function isBlankOrComment(trimmed: string): boolean {
  return trimmed === '' || (trimmed.startsWith('//') && !trimmed.startsWith('///'))
}

function isExternCrate(trimmed: string): boolean {
  return trimmed.startsWith('extern crate') || trimmed.startsWith('#[macro_use] extern crate')
}

/**
 * Whether `text`, starting with `#![`, holds the whole attribute: its brackets balance. rustdoc asks
 * rustc's parser; counting brackets outside string literals gives the same answer for any attribute
 * rustc would accept.
 */
function attributeIsComplete(text: string): boolean {
  let depth = 0
  for (let index = text.indexOf('['); index < text.length; index++) {
    const char = text[index]
    if (char === '"') {
      index++
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1
    } else if (char === '[' || char === '(' || char === '{') {
      depth++
    } else if (char === ']' || char === ')' || char === '}') {
      depth--
      if (depth === 0) return true
    }
  }
  return false
}

/** Drop blank lines around the body, and trailing spaces of its last line, as rustdoc's `trim()` does. */
function trimBlankLines(lines: readonly ProgramLine[]): ProgramLine[] {
  let start = 0
  let end = lines.length
  while (start < end && lines[start]!.text.trim() === '') start++
  while (end > start && lines[end - 1]!.text.trim() === '') end--
  const body = lines.slice(start, end)
  const last = body.at(-1)
  // Leading indentation of the first line is kept (rustdoc drops it) so that rustc's columns stay true.
  if (last) body[body.length - 1] = { ...last, text: last.text.trimEnd() }
  return body
}

/**
 * Whether the example defines `fn main` itself. rustdoc parses the code for a top-level `fn main`;
 * this looks for `fn main(` outside `//` comments, as rustdoc did before it parsed, which errs only
 * for a `main` nested in another item or quoted in a string.
 */
function hasMainFn(lines: readonly ProgramLine[]): boolean {
  return lines.some((line) => {
    const comment = line.text.indexOf('//')
    const code = comment === -1 ? line.text : line.text.slice(0, comment)
    return /\bfn\s+main\s*\(/.test(code)
  })
}

function toProgram(lines: readonly ProgramLine[]): RustProgram {
  return {
    program: lines.map((line) => line.text).join('\n'),
    lineMap: lines.map((line) => line.source),
    columnShift: lines.map((line) => line.shift),
  }
}
