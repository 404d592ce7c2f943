import { isIdent, isPunct, matching, type RustCode } from './lexer/code.ts'
import { STRING_KINDS, type Token } from './lexer/token.ts'

/**
 * How a string came to be in the code:
 * - `literal`: one string literal, as written (escapes decoded);
 * - `concat`: the arguments of `concat!`, joined as rustc joins them;
 * - `joined`: string and char literals a few tokens apart (`"tele".to_owned() + "gram"`, a run of
 *   `push_str` calls), joined;
 * - `chars`: char literals a few tokens apart, joined (`['h', 't', 't', 'p']`, a run of `push`);
 * - `bytes`: an array of integers that are all printable ASCII, as text (`[104, 116, 116, 112]`);
 * - `xor`: such an array XOR'd with an integer the file XORs with (`b ^ 0x5a`);
 * - `reversed`: a literal read backwards by `.chars().rev()`;
 * - `base64`, `hex`: a literal that decodes to printable text.
 */
export type StringHow = 'literal' | 'concat' | 'joined' | 'chars' | 'bytes' | 'xor' | 'reversed' | 'base64' | 'hex'

/** A string that the code holds or builds, with where. */
export interface StringSource {
  text: string
  line: number
  how: StringHow
  /** The pieces it was built from (one for a literal). */
  pieces: string[]
}

/** Ways of building a string that hide it from a reader of the literals. */
export const HIDDEN_HOWS: ReadonlySet<StringHow> = new Set(['chars', 'bytes', 'xor', 'reversed', 'base64', 'hex'])

const runBreakers = new Set(['let', 'fn', 'const', 'static', 'struct', 'enum', 'impl', 'mod', 'use'])

/** The most tokens between two literals that are still one run (`) ; s . push (` is six). */
const RUN_GAP = 8

/**
 * Every string that `code` holds or builds (see {@link StringHow}), in the order of the code.
 * Documentation (`#[doc = "..."]`) is left out; comments are not code at all.
 */
export function stringSources(rust: RustCode): StringSource[] {
  const { code, docStrings } = rust
  const sources: StringSource[] = []
  const xorKeys = new Set<number>()
  for (let index = 0; index + 1 < code.length; index++) {
    if (isPunct(code[index], '^') || isPunct(code[index], '^=')) {
      const key = integerValue(code[index + 1]!)
      if (key !== undefined && key > 0 && key < 256) xorKeys.add(key)
    }
  }
  let run: Token[] = []
  let gap = 0
  const endRun = () => {
    if (run.length >= 2) {
      const allChars = run.every((token) => token.kind === 'char' || token.kind === 'byte')
      if (!allChars || run.length >= 4) sources.push({ text: run.map((t) => t.value).join(''), line: run[0]!.line, how: allChars ? 'chars' : 'joined', pieces: run.map((t) => t.value) })
    }
    run = []
  }
  for (let index = 0; index < code.length; index++) {
    const token = code[index]!
    const isString = STRING_KINDS.has(token.kind) && !docStrings.has(index)
    if (isString) {
      sources.push({ text: token.value, line: token.line, how: 'literal', pieces: [token.value] })
      const reversed = reversedAt(code, index)
      if (reversed) sources.push(reversed)
      sources.push(...decodings(token.value, token.line))
    }
    if (isString || token.kind === 'char' || token.kind === 'byte') {
      if (run.length > 0 && gap > RUN_GAP) endRun()
      run.push(token)
      gap = 0
      continue
    }
    gap++
    // A block, or a new binding or item, starts another string; a run of `push` calls has neither.
    if (isPunct(token, '{') || isPunct(token, '}') || runBreakers.has(token.kind === 'ident' ? token.value : '')) {
      endRun()
      gap = 0
    }
    if (isIdent(token, 'concat') && isPunct(code[index + 1], '!') && isPunct(code[index + 2], '(')) {
      const concat = concatAt(code, index + 2)
      if (concat) {
        sources.push(concat)
        sources.push(...decodings(concat.text, concat.line))
      }
    }
    if (isPunct(token, '[')) sources.push(...byteArrayAt(code, index, xorKeys))
  }
  endRun()
  return sources
}

/** `concat!(...)` at the `(` `open`: literals joined; undefined when it holds anything else (a nested macro). */
function concatAt(code: readonly Token[], open: number): StringSource | undefined {
  const close = matching(code, open)
  const pieces: string[] = []
  for (let index = open + 1; index < close; index++) {
    const token = code[index]!
    if (isPunct(token, ',')) continue
    if (STRING_KINDS.has(token.kind) || token.kind === 'char') pieces.push(token.value)
    else if (token.kind === 'number' || isIdent(token, 'true') || isIdent(token, 'false')) pieces.push(token.text)
    else if (isPunct(token, '-') && code[index + 1]?.kind === 'number') pieces.push(`-${code[++index]!.text}`)
    else return undefined
  }
  return pieces.length === 0 ? undefined : { text: pieces.join(''), line: code[open]!.line, how: 'concat', pieces }
}

/** `"...".chars().rev()` (or `.bytes().rev()`) at the literal `index`. */
function reversedAt(code: readonly Token[], index: number): StringSource | undefined {
  const [dot, method, open, close, dot2, rev] = code.slice(index + 1, index + 7)
  if (!isPunct(dot, '.') || !(isIdent(method, 'chars') || isIdent(method, 'bytes')) || !isPunct(open, '(') || !isPunct(close, ')') || !isPunct(dot2, '.') || !isIdent(rev, 'rev')) return undefined
  const token = code[index]!
  return { text: [...token.value].reverse().join(''), line: token.line, how: 'reversed', pieces: [token.value] }
}

/** An array of at least four integers 0 to 255 at the `[` `open`: as text when printable, and XOR'd with each key when that is. */
function byteArrayAt(code: readonly Token[], open: number, xorKeys: ReadonlySet<number>): StringSource[] {
  const bytes: number[] = []
  let index = open + 1
  for (; index < code.length; index += 2) {
    const value = integerValue(code[index]!)
    if (value === undefined || value > 255) break
    bytes.push(value)
    if (!isPunct(code[index + 1], ',')) {
      index++
      break
    }
  }
  if (bytes.length < 4 || !isPunct(code[index], ']')) return []
  const line = code[open]!.line
  const found: StringSource[] = []
  if (printable(bytes)) found.push({ text: String.fromCharCode(...bytes), line, how: 'bytes', pieces: bytes.map(String) })
  for (const key of [...xorKeys].sort((a, b) => a - b)) {
    const decoded = bytes.map((byte) => byte ^ key)
    if (printable(decoded)) found.push({ text: String.fromCharCode(...decoded), line, how: 'xor', pieces: bytes.map(String) })
  }
  return found
}

/** Decodings of a literal that is wholly base64 or hex and decodes to printable text. */
function decodings(text: string, line: number): StringSource[] {
  if (text.length < 16) return []
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) {
    const bytes = [...Buffer.from(text, 'hex')]
    return printable(bytes) ? [{ text: String.fromCharCode(...bytes), line, how: 'hex', pieces: [text] }] : []
  }
  const standard = /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0
  const urlSafe = /^[A-Za-z0-9_-]+={0,2}$/.test(text)
  if (!standard && !urlSafe) return []
  const bytes = [...Buffer.from(text, standard ? 'base64' : 'base64url')]
  return printable(bytes) ? [{ text: String.fromCharCode(...bytes), line, how: 'base64', pieces: [text] }] : []
}

/** Whether every byte is printable ASCII, a tab or a line break (and there are at least four). */
function printable(bytes: readonly number[]): boolean {
  return bytes.length >= 4 && bytes.every((byte) => (byte >= 0x20 && byte < 0x7f) || byte === 9 || byte === 10 || byte === 13)
}

/** The value of an integer literal (`0x7f`, `1_000u32`, `0b1010`), or undefined for anything else. */
export function integerValue(token: Token): number | undefined {
  if (token.kind !== 'number') return undefined
  const match = /^(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)(?:[iu](?:8|16|32|64|128|size))?$/.exec(token.text)
  if (!match) return undefined
  const digits = match[1]!.replaceAll('_', '')
  const value = digits.startsWith('0x') ? Number.parseInt(digits.slice(2), 16) : digits.startsWith('0o') ? Number.parseInt(digits.slice(2), 8) : digits.startsWith('0b') ? Number.parseInt(digits.slice(2), 2) : Number(digits)
  return Number.isSafeInteger(value) ? value : undefined
}
