/**
 * The characters of crate names (`sec.crate-name.syntax`), in the order the omitted-character and
 * bit-flip checks try them.
 */
export const CRATE_NAME_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const inAlphabet = new Uint8Array(128)
for (const character of CRATE_NAME_ALPHABET) inAlphabet[character.charCodeAt(0)] = 1

/** Whether the UTF-16 code unit `code` is a character of {@link CRATE_NAME_ALPHABET}. */
export function isAlphabetCode(code: number): boolean {
  return code < 128 && inAlphabet[code] === 1
}
