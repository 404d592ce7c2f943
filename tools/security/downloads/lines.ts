import { StringDecoder } from 'node:string_decoder'

/** What a {@link LineSplitter} hands over. */
export interface LineSink {
  /** A line without its line break (`\n`, or `\r\n`), numbered from 1. */
  line(text: string, number: number): void
  /** A line longer than the limit, numbered from 1; its text was not kept. */
  tooLong(number: number): void
  /**
   * A quicker reading of the commonest line, when the sink has one at this point of the input: a
   * pattern with flag `y` that matches, where a line starts, the whole line and its `\n`.
   */
  rows?(): RegExp | undefined
  /**
   * A line that `rows()` matched, numbered from 1: true when taken, false when it is to be handed
   * to `line` after all.
   */
  row?(match: RegExpExecArray, number: number): boolean
}

/**
 * Splits UTF-8 bytes into lines as they arrive, holding at most one line of at most `maxLength`
 * characters besides the chunk at hand (`dl.input.stream`): a longer line is dropped as it comes
 * and reported by its number. Bytes that are not UTF-8 become U+FFFD.
 */
export class LineSplitter {
  /** The most bytes decoded into one string (see `push`). */
  static readonly pieceBytes = 64 * 1024
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private overlong = false
  private number = 0

  constructor(
    private readonly sink: LineSink,
    private readonly maxLength: number,
  ) {}

  /**
   * Feed the next chunk of bytes. It is decoded in pieces of at most `pieceBytes`, each ending at a
   * line break where one is near: a string of more than V8's 128 KiB for ordinary objects is put
   * in fresh memory of its own, which took five times as long as decoding the same bytes in pieces.
   */
  push(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) {
      let end = at + LineSplitter.pieceBytes
      if (end < chunk.length) {
        // A line cut between two pieces is read from `pending`, not in place.
        const newline = chunk.lastIndexOf(0x0a, end - 1)
        if (newline >= at) end = newline + 1
      }
      this.text(this.decoder.write(chunk.subarray(at, end) as Buffer))
      at = end
    }
  }

  /** The input has ended: the last line, if it did not end with a line break, is handed over. */
  end(): void {
    this.text(this.decoder.end())
    if (this.pending.length > 0 || this.overlong) this.emit(this.pending)
    this.pending = ''
  }

  /** Lines handed over so far. */
  get lines(): number {
    return this.number
  }

  private text(text: string): void {
    let start = 0
    // Not for the rest of a line begun in an earlier chunk.
    let rows = this.pending.length === 0 && !this.overlong ? this.sink.rows?.() : undefined
    for (;;) {
      if (rows !== undefined) {
        // Matched in place, without the line being cut out of the chunk.
        rows.lastIndex = start
        const match = rows.exec(text)
        if (match !== null && rows.lastIndex - start - 1 <= this.maxLength && this.sink.row!(match, this.number + 1)) {
          this.number++
          start = rows.lastIndex
          continue
        }
      }
      const newline = text.indexOf('\n', start)
      if (newline < 0) break
      const line = this.pending.length === 0 ? text.slice(start, newline) : this.pending + text.slice(start, newline)
      this.pending = ''
      this.emit(line)
      start = newline + 1
      // The line may have changed what the rows look like (CloudFront's `#Fields:`).
      rows = this.sink.rows?.()
    }
    if (start < text.length && !this.overlong) {
      this.pending += text.slice(start)
      // One more than the limit: the line may end in the `\r` of a `\r\n` that the next chunk ends.
      if (this.pending.length > this.maxLength + 1) {
        this.pending = ''
        this.overlong = true
      }
    }
  }

  private emit(line: string): void {
    this.number++
    const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line
    if (this.overlong || text.length > this.maxLength) {
      this.overlong = false
      this.sink.tooLong(this.number)
    } else {
      this.sink.line(text, this.number)
    }
  }
}
