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
