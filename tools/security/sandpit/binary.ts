/** What the first bytes of a file say it is, where that matters to the heuristics. */
export type FileFormat = 'elf' | 'pe' | 'mach-o' | 'image' | 'font' | undefined

/** How many leading bytes of each file are kept for {@link fileFormat}. */
export const HEAD_BYTES = 4096

/**
 * The format that a file's leading bytes announce: an executable (ELF, a PE file with its `MZ` stub
 * and `PE\0\0` signature, a thin or fat Mach-O), or an image or font, which are opaque without
 * being suspicious. `CA FE BA BE` opens both fat Mach-O files and Java class files; a fat Mach-O
 * has a small architecture count where a class file has its version (45 or more) (see
 * `mach-o/fat.h`).
 */
export function fileFormat(head: Uint8Array): FileFormat {
  const at = (offset: number) => head[offset] ?? -1
  const u32be = (offset: number) => ((at(offset) << 24) | (at(offset + 1) << 16) | (at(offset + 2) << 8) | at(offset + 3)) >>> 0
  const u32le = (offset: number) => ((at(offset + 3) << 24) | (at(offset + 2) << 16) | (at(offset + 1) << 8) | at(offset)) >>> 0
  if (at(0) === 0x7f && at(1) === 0x45 && at(2) === 0x4c && at(3) === 0x46) return 'elf'
  if (at(0) === 0x4d && at(1) === 0x5a && head.length >= 0x40) {
    const peOffset = u32le(0x3c)
    // A PE header past the bytes kept cannot be checked; in a file longer than those bytes, the stub counts.
    if (peOffset + 4 > head.length ? head.length === HEAD_BYTES : u32be(peOffset) === 0x50450000) return 'pe'
  }
  const magic = u32be(0)
  if (magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe) return 'mach-o'
  if (magic === 0xcafebabe && u32be(4) > 0 && u32be(4) < 30) return 'mach-o'
  if (magic === 0x89504e47 || (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) || magic === 0x47494638) return 'image'
  if (magic === 0x52494646 && u32be(8) === 0x57454250) return 'image'
  if (magic === 0x774f4646 || magic === 0x774f4632 || magic === 0x00010000 || magic === 0x4f54544f) return 'font'
  return undefined
}

/** Whether a format is an executable that a build could launch. */
export function isExecutable(format: FileFormat): boolean {
  return format === 'elf' || format === 'pe' || format === 'mach-o'
}

/** Byte counts, for the entropy of a file read in chunks. */
export class ByteHistogram {
  readonly counts = new Float64Array(256)
  total = 0

  add(chunk: Uint8Array): void {
    for (const byte of chunk) this.counts[byte]!++
    this.total += chunk.length
  }

  /**
   * Shannon entropy in millibits per byte, rounded to an integer so that every platform agrees on
   * comparisons with a threshold (`sec.determinism.numbers`): 8000 for uniformly random bytes,
   * about 4500 for English text, 0 for one repeated byte.
   */
  entropy(): number {
    if (this.total === 0) return 0
    let bits = 0
    for (const count of this.counts) {
      if (count === 0) continue
      const p = count / this.total
      bits -= p * Math.log2(p)
    }
    return Math.round(bits * 1000)
  }
}
