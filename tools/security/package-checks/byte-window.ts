/**
 * The decompressed bytes between what the tar reader has consumed and what was written to it,
 * kept so that a header block can be read as it was written. Chunks wholly before `floor` are
 * dropped; since the reader consumes in order and is fed with back-pressure, what is kept is
 * bounded by the streams' buffers, not by the archive.
 */
export class ByteWindow {
  private chunks: { start: number; bytes: Uint8Array }[] = []
  private end = 0

  /** Append the next `bytes` of the stream. */
  push(bytes: Uint8Array): void {
    this.chunks.push({ start: this.end, bytes })
    this.end += bytes.length
  }

  /** The bytes from `offset` to `offset + length`, or undefined when they are not all kept. */
  read(offset: number, length: number): Uint8Array | undefined {
    if (offset + length > this.end) return undefined
    const out = new Uint8Array(length)
    let filled = 0
    for (const { start, bytes } of this.chunks) {
      const from = Math.max(offset + filled, start)
      const to = Math.min(offset + length, start + bytes.length)
      if (from >= to) continue
      if (from !== offset + filled) return undefined
      out.set(bytes.subarray(from - start, to - start), filled)
      filled += to - from
      if (filled === length) return out
    }
    return undefined
  }

  /** Forget the chunks that end at or before `floor`. */
  dropBefore(floor: number): void {
    let keep = 0
    while (keep < this.chunks.length && this.chunks[keep]!.start + this.chunks[keep]!.bytes.length <= floor) keep++
    if (keep > 0) this.chunks = this.chunks.slice(keep)
  }

  /** Bytes held now. */
  get held(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0)
  }
}
