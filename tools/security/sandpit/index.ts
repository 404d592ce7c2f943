// Malicious-crate heuristics (spec: security/heuristics.md): does a crate's content behave like
// the malicious crates seen on crates.io (build scripts that call home, code that runs only on CI,
// bundled executables, hidden strings)? Also the Rust tokenizer the unsafe statistics share.
export { ByteHistogram, type FileFormat, fileFormat, HEAD_BYTES, isExecutable } from './binary.ts'
export { type CodeFacts, codeFacts } from './code-facts.ts'
export {
  type CrateContents,
  type CrateFile,
  CrateReadError,
  crateFromFiles,
  DEFAULT_MAX_SOURCE_BYTES,
  type MemoryFile,
  type ReadCrateOptions,
  readCrateArchive,
  readSourceFolder,
} from './crate-files.ts'
export type { CodeUnit, Heuristic, RawFinding, ScanContext, Severity } from './heuristic.ts'
export { DEFAULT_WEIGHTS, HEURISTICS } from './heuristics/index.ts'
export { type CrateLayout, crateLayout } from './layout.ts'
export { argumentsAt, isIdent, isPath, isPunct, matching, type RustCode, rustCode } from './lexer/code.ts'
export { COMMENT_KINDS, STRING_KINDS, type Token, type TokenKind } from './lexer/token.ts'
export { tokenize } from './lexer/tokenize.ts'
export * from './lists.ts'
export {
  DEFAULT_MAX_FINDINGS_PER_HEURISTIC,
  DEFAULT_MIN_BLOB_BYTES,
  DEFAULT_MIN_BLOB_ENTROPY,
  DEFAULT_MIN_ENCODED_LENGTH,
  DEFAULT_THRESHOLD,
  resolveScanOptions,
  type ScanOptions,
  type ScanSettings,
} from './options.ts'
export { readCrate } from './read-crate.ts'
export { type Finding, type ScanReport, scanCrate, type Signal } from './scan.ts'
export { HIDDEN_HOWS, type StringHow, type StringSource, stringSources } from './strings.ts'
