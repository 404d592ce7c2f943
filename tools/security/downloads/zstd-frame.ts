/** The largest block the zstd format allows (RFC 8878, 3.1.1.2.4: Block_Maximum_Size). */
const maxBlock = 128 * 1024

/**
 * `bytes` as one zstd frame of raw (stored, uncompressed) blocks (RFC 8878, 3.1.1): a valid zstd
 * stream that any decoder reads, made without a compressor, for examples and tests of `.zst` logs.
 */
export function zstdStoredFrame(bytes: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(bytes.length / maxBlock))
  const out = new Uint8Array(6 + blocks * 3 + bytes.length)
  // Magic number 0xFD2FB528, little-endian.
  out.set([0x28, 0xb5, 0x2f, 0xfd])
  // Frame header descriptor: no content size, not single-segment, no checksum, no dictionary.
  out[4] = 0x00
  // Window descriptor: exponent 7, mantissa 0, a window of 2^(10 + 7) = 128 KiB.
  out[5] = 7 << 3
  let at = 6
  for (let block = 0; block < blocks; block++) {
    const start = block * maxBlock
    const size = Math.min(maxBlock, bytes.length - start)
    // Block header, 3 bytes little-endian: Last_Block (bit 0), Block_Type 0 = raw (bits 1-2), Block_Size (bits 3-23).
    const header = (block === blocks - 1 ? 1 : 0) | (size << 3)
    out[at] = header & 0xff
    out[at + 1] = (header >> 8) & 0xff
    out[at + 2] = (header >> 16) & 0xff
    out.set(bytes.subarray(start, start + size), at + 3)
    at += 3 + size
  }
  return out
}

/** A piece of a zstd stream, and when it ends a frame, the frame's content checksum (`null` when the frame has none). */
export interface ZstdCut {
  piece: Uint8Array
  frameEnd?: { checksum: number | null }
}

/**
 * Where each frame of a zstd stream ends, read from its frame and block headers alone (RFC 8878,
 * 3.1), the blocks passed over: so that the content of a frame can be hashed and checked against
 * the checksum at its end, which fzstd skips. Data it cannot follow (a bad magic number, a reserved
 * bit or block type) it passes on uncut, for the decoder to refuse.
 */
export class ZstdFrameEnds {
  private state: 'magic' | 'descriptor' | 'block' | 'checksum' | 'skippable-size' | 'end' | 'lost' = 'magic'
  /** The bytes of the field being read, and how many it needs. */
  private field: number[] = []
  private need = 4
  /** Bytes to pass over (a block's content, the rest of a frame header) before the next field. */
  private skip = 0
  private checksummed = false

  /** A field of the state at hand read as `value`; true when it was the checksum that ends a frame. */
  private read(value: number): boolean {
    switch (this.state) {
      case 'magic':
        if (value === 0xfd2fb528) this.expect('descriptor', 1)
        else if (value >>> 4 === 0x184d2a5) this.expect('skippable-size', 4)
        else this.state = 'lost'
        return false
      case 'skippable-size':
        this.skip = value
        this.expect('magic', 4)
        return false
      case 'descriptor': {
        // Frame_Header_Descriptor: content size flag (bits 7-6), single segment (5), reserved (3), checksum (2), dictionary ID flag (1-0).
        if (value & 0x08) {
          this.state = 'lost'
          return false
        }
        const singleSegment = (value >> 5) & 1
        this.checksummed = ((value >> 2) & 1) === 1
        const window = singleSegment ? 0 : 1
        const dictionary = [0, 1, 2, 4][value & 3]!
        const contentSize = [singleSegment, 2, 4, 8][value >> 6]!
        this.skip = window + dictionary + contentSize
        this.expect('block', 3)
        return false
      }
      case 'block': {
        // Block_Header: last block (bit 0), type (bits 1-2: raw, RLE, compressed, reserved), size (bits 3-23).
        const type = (value >> 1) & 3
        if (type === 3) {
          this.state = 'lost'
          return false
        }
        this.skip = type === 1 ? 1 : value >>> 3
        if ((value & 1) === 0) this.expect('block', 3)
        else if (this.checksummed) this.expect('checksum', 4)
        else this.state = 'end'
        return false
      }
      case 'checksum':
        this.expect('magic', 4)
        return true
      default:
        return false
    }
  }

  private expect(state: 'magic' | 'descriptor' | 'block' | 'checksum' | 'skippable-size', bytes: number): void {
    this.state = state
    this.need = bytes
  }

  /** `chunk`, cut after the last byte of each frame it ends. */
  *cut(chunk: Uint8Array): Iterable<ZstdCut> {
    let start = 0
    let at = 0
    while (at < chunk.length && this.state !== 'lost') {
      if (this.skip > 0) {
        const passed = Math.min(this.skip, chunk.length - at)
        at += passed
        this.skip -= passed
        if (this.skip > 0) break
      }
      if (this.state === 'end') {
        yield { piece: chunk.subarray(start, at), frameEnd: { checksum: null } }
        start = at
        this.expect('magic', 4)
        continue
      }
      if (at === chunk.length) break
      this.field.push(chunk[at++]!)
      if (this.field.length < this.need) continue
      // Little-endian, as every field of the format.
      const value = this.field.reduceRight((sum, byte) => sum * 256 + byte, 0)
      this.field = []
      if (this.read(value)) {
        yield { piece: chunk.subarray(start, at), frameEnd: { checksum: value } }
        start = at
      }
    }
    // A last block of no content, without a checksum, may end the chunk.
    if (this.state === 'end' && this.skip === 0) {
      yield { piece: chunk.subarray(start), frameEnd: { checksum: null } }
      this.expect('magic', 4)
    } else if (start < chunk.length) yield { piece: chunk.subarray(start) }
  }
}
