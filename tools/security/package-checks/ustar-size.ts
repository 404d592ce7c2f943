/**
 * The size field of a ustar header block (bytes 124 to 135): octal digits ended by NUL or space,
 * or, for sizes of 8 GiB and more, GNU's base-256 form (first byte 0x80, then big-endian bytes).
 * tar-stream replaces the size by a pax header's `size` before a caller sees the entry, so the
 * pax-size check (`pkg.pax-size`) reads the header's own field here. Returns undefined when the
 * field holds neither form.
 */
export function ustarSize(block: Uint8Array): number | undefined {
  const field = block.subarray(124, 136)
  if (field[0] === 0x80) {
    let size = 0
    for (let index = 1; index < field.length; index++) size = size * 256 + field[index]!
    return Number.isSafeInteger(size) ? size : undefined
  }
  const text = Buffer.from(field).toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '')
  if (text === '') return 0
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined
}
