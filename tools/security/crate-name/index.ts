// Crate names as crates.io accepts and compares them, shared by every security tool.
//
// The rules follow crates.io, which is stricter than Cargo: Cargo accepts Unicode identifier
// characters in package names, but a name that crates.io would refuse can never denote a crate
// in the registry, so a record that carries one is malformed (spec `sec.crate-name.invalid`).

/** The greatest number of characters in a crate name (`sec.crate-name.length`). */
export const MAX_CRATE_NAME_LENGTH = 64

/**
 * The default list of reserved crate names (`sec.crate-name.reserved`): the names crates.io
 * reserves for parts of the Rust distribution and for Windows device names. A tool takes its list
 * from configuration, with this list as the documented default.
 */
export const DEFAULT_RESERVED_CRATE_NAMES: readonly string[] = Object.freeze([
  // Parts of the Rust distribution.
  'alloc', 'arena', 'ast', 'builtins', 'collections', 'compiler-builtins', 'compiler-rt',
  'compiletest', 'core', 'coretest', 'debug', 'driver', 'flate', 'fmt_macros', 'grammar',
  'graphviz', 'macro', 'macros', 'proc_macro', 'rbml', 'rust-installer', 'rustbook', 'rustc',
  'rustc_back', 'rustc_borrowck', 'rustc_driver', 'rustc_llvm', 'rustc_resolve', 'rustc_trans',
  'rustc_typeck', 'rustdoc', 'rustllvm', 'rustuv', 'serialize', 'std', 'syntax', 'test', 'unicode',
  // Windows device names: a file or folder with such a name cannot be created on Windows.
  'aux', 'con', 'nul', 'prn',
  'com0', 'com1', 'com2', 'com3', 'com4', 'com5', 'com6', 'com7', 'com8', 'com9',
  'lpt0', 'lpt1', 'lpt2', 'lpt3', 'lpt4', 'lpt5', 'lpt6', 'lpt7', 'lpt8', 'lpt9',
])

/**
 * Why a string is not a valid crate name. Stable, so that a report can count malformed records
 * per reason (`sec.malformed.report`) without parsing the sentence.
 */
export type CrateNameProblem = 'empty' | 'too-long' | 'leading-character' | 'character' | 'reserved'

/** The result of {@link validateCrateName}. */
export type CrateNameValidation =
  | { ok: true }
  | {
      ok: false
      /** Which rule the name breaks. */
      problem: CrateNameProblem
      /** A sentence for a report, naming the offending character and its position where there is one. */
      reason: string
      /** 1-based position, in characters (code points), of the offending character, if there is one. */
      position?: number
    }

/** Options of {@link validateCrateName}. */
export interface ValidateCrateNameOptions {
  /**
   * Reserved names, in any spelling: a name is reserved when its canonical form equals the
   * canonical form of one of them. Default: {@link DEFAULT_RESERVED_CRATE_NAMES}.
   */
  reserved?: Iterable<string>
}

const defaultReserved = new Set(DEFAULT_RESERVED_CRATE_NAMES.map(canonicalCrateName))
// Tools validate one name per input record; canonicalize each configured list once, not per call.
const reservedCache = new WeakMap<object, ReadonlySet<string>>()

/**
 * Check that `name` is a crate name that crates.io could host (`sec.crate-name.syntax`,
 * `sec.crate-name.length`, `sec.crate-name.reserved`). Never throws. When a name breaks several
 * rules, the first failing check in this order is reported: empty, too long, leading character,
 * other characters, reserved.
 */
export function validateCrateName(name: string, options?: ValidateCrateNameOptions): CrateNameValidation {
  const characters = Array.from(name)
  if (characters.length === 0) {
    return { ok: false, problem: 'empty', reason: 'A crate name must not be empty.' }
  }
  if (characters.length > MAX_CRATE_NAME_LENGTH) {
    return {
      ok: false,
      problem: 'too-long',
      reason: `A crate name must have at most ${MAX_CRATE_NAME_LENGTH} characters, but this one has ${characters.length}.`,
    }
  }
  const first = characters[0] as string
  if (!isAsciiLetter(first)) {
    const what = isAsciiDigit(first) ? 'the digit' : 'the character'
    return {
      ok: false,
      problem: 'leading-character',
      reason: `A crate name must start with an ASCII letter, but position 1 holds ${what} ${describe(first)}.`,
      position: 1,
    }
  }
  for (let index = 1; index < characters.length; index++) {
    const character = characters[index] as string
    if (!isAsciiLetter(character) && !isAsciiDigit(character) && character !== '-' && character !== '_') {
      return {
        ok: false,
        problem: 'character',
        reason:
          `Unexpected character ${describe(character)} at position ${index + 1}; ` +
          'a crate name may contain only ASCII letters, digits, `-` and `_`.',
        position: index + 1,
      }
    }
  }
  const canonical = canonicalCrateName(name)
  if (reservedSet(options?.reserved).has(canonical)) {
    return { ok: false, problem: 'reserved', reason: `The crate name \`${name}\` is reserved (as \`${canonical}\`).` }
  }
  return { ok: true }
}

/**
 * Whether `name` is a valid crate name: {@link validateCrateName} without the reason, and without
 * its work when the reserved names are the default ones (the download counter asks it per line).
 */
export function isValidCrateName(name: string, options?: ValidateCrateNameOptions): boolean {
  if (options?.reserved !== undefined) return validateCrateName(name, options).ok
  return wellFormed.test(name) && !isReservedCrateName(name)
}

// A well-formed name whose canonical form is a default reserved one: the same letters in any case,
// `-` and `_` either way. Tested only on a well-formed name, which is ASCII, so `i` folds only ASCII.
const reservedSpelling = new RegExp(`^(?:${DEFAULT_RESERVED_CRATE_NAMES.map((name) => name.replace(/[-_]/g, '[-_]')).join('|')})$`, 'i')

/**
 * The well-formed names (`sec.crate-name.syntax`, `sec.crate-name.length`) as a pattern to embed in
 * another without flags: it matches such a name only when no character that a name may hold
 * follows it. A valid name is one of these that {@link isReservedCrateName} does not reserve. (So
 * a pattern can read a crate name where it stands, without cutting it out to ask.)
 */
export const wellFormedCrateNamePattern = `[A-Za-z][A-Za-z0-9_-]{0,${MAX_CRATE_NAME_LENGTH - 1}}(?![A-Za-z0-9_-])`

// The syntax and the length, of a whole string.
const wellFormed = new RegExp(`^${wellFormedCrateNamePattern}$`)

/** Whether a well-formed name is one of the default reserved names in some spelling (`sec.crate-name.reserved`). */
export function isReservedCrateName(name: string): boolean {
  return reservedSpelling.test(name)
}

/**
 * The canonical form of a crate name (`sec.crate-name.canonical`): ASCII letters lower-cased and
 * every `-` replaced by `_`. Total and idempotent; other characters are left as they are.
 */
export function canonicalCrateName(name: string): string {
  return name.replace(/[A-Z-]/g, (character) => (character === '-' ? '_' : character.toLowerCase()))
}

/** Whether two crate names denote the same crate: their canonical forms are equal (`sec.crate-name.same`). */
export function sameCrate(a: string, b: string): boolean {
  return canonicalCrateName(a) === canonicalCrateName(b)
}

/**
 * The order in which outputs list crate names (`sec.crate-name.order`): by canonical form, then,
 * between spellings of the same crate, by the names themselves; both compared by UTF-16 code unit,
 * which for valid names is ASCII order. A total order, independent of the locale; use it with
 * `Array.prototype.sort`.
 */
export function compareCrateNames(a: string, b: string): number {
  return compareCodeUnits(canonicalCrateName(a), canonicalCrateName(b)) || compareCodeUnits(a, b)
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function reservedSet(reserved: Iterable<string> | undefined): ReadonlySet<string> {
  if (reserved === undefined) return defaultReserved
  let set = reservedCache.get(reserved)
  if (set === undefined) {
    set = new Set(Array.from(reserved, canonicalCrateName))
    reservedCache.set(reserved, set)
  }
  return set
}

function isAsciiLetter(character: string): boolean {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z')
}

function isAsciiDigit(character: string): boolean {
  return character >= '0' && character <= '9'
}

/**
 * A character as a report shows it: printable ASCII in backticks with its code point, anything
 * else by its code point alone, so that a look-alike (Cyrillic U+0430 for Latin `a`) is told apart
 * and no control or bidirectional character reaches the report raw.
 */
function describe(character: string): string {
  const codePoint = character.codePointAt(0) as number
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
  const printable = codePoint > 0x20 && codePoint < 0x7f && character !== '`'
  return printable ? `\`${character}\` (${hex})` : hex
}
