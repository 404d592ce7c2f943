import { buffer } from 'node:stream/consumers'
import zlib from 'node:zlib'
import tar from 'tar-stream'
import { type CrateEntry, packCrate } from '../../../tools/security/package-checks/index.ts'

/** A minimal packaged manifest. */
export function manifest(name: string, version: string, more = ''): string {
  return `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n${more}`
}

/** A `.crate` of `entries`, whole (see packCrate). */
export async function crateFile(entries: CrateEntry[]): Promise<Buffer> {
  return buffer(packCrate(entries))
}

/** The entries of a well-formed crate `demo-0.1.0`, with `more` after them. */
export function demo(...more: CrateEntry[]): CrateEntry[] {
  return [
    { path: 'demo-0.1.0/Cargo.toml', content: manifest('demo', '0.1.0') },
    { path: 'demo-0.1.0/src/lib.rs', content: 'pub fn demo() {}\n' },
    ...more,
  ]
}

/**
 * A `.crate` holding `demo-0.1.0/Cargo.toml` and an entry whose ustar name is `name`'s raw bytes,
 * which need not be UTF-8. tar-stream's pack writes names as UTF-8 strings, so the entry is packed
 * under a placeholder of the same length, and the placeholder's bytes in the header block are then
 * replaced and the block's checksum (the sum of its bytes, the checksum field counted as spaces,
 * in six octal digits, NUL, space) written again.
 */
export async function crateWithRawName(name: Uint8Array): Promise<Buffer> {
  const placeholder = `demo-0.1.0/${'x'.repeat(name.length - 'demo-0.1.0/'.length)}`
  const pack = tar.pack()
  pack.entry({ name: 'demo-0.1.0/Cargo.toml' }, manifest('demo', '0.1.0'))
  pack.entry({ name: placeholder }, 'content')
  pack.finalize()
  const archive = await buffer(pack as unknown as NodeJS.ReadableStream)
  const at = archive.indexOf(placeholder, 0, 'latin1')
  if (at % 512 !== 0) throw new Error('crateWithRawName: the placeholder is not at the start of a header block')
  const block = archive.subarray(at, at + 512)
  block.set(name, 0)
  block.fill(0x20, 148, 156)
  const sum = block.reduce((total, byte) => total + byte, 0)
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  return zlib.gzipSync(archive)
}
