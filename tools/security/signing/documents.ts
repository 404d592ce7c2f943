import { canonicalJson } from './canonical-json.ts'
import { jwkToKey, type KeyRole, type PublicJwk } from './keys.ts'

/** What a delegate may sign: one purpose each (`pki.delegate.purpose`). */
export const PURPOSES = ['releases', 'crates-io', 'commit-signing'] as const
export type Purpose = (typeof PURPOSES)[number]

/** A key holder of the root: a name for reports and an ECDSA P-384 public key. */
export interface Holder {
  name: string
  key: PublicJwk
}

/** The root metadata (`pki.root`): who holds the root, how many of them must approve, until when, and the log's key. */
export interface RootMetadata {
  /** 1 for the root an init makes; one more with every change of the quorum or of the root. */
  version: number
  holders: Holder[]
  threshold: number
  expires: string
  /** The Ed25519 key that signs the transparency log's tree heads. */
  log: PublicJwk
}

/** A delegate key as an operation issues it (`pki.delegate`). */
export interface DelegateSpec {
  name: string
  purpose: Purpose
  key: PublicJwk
  expires: string
}

interface OperationBase {
  /** The number of operations before this one in the log: an approval counts for one place only. */
  sequence: number
  /**
   * The RFC 6962 tree hash (hex) of the log before it: an approval binds the operation to that one
   * history, so that it cannot be replayed in a fork of the log at the same place.
   */
  previous: string
  /** When it was proposed (UTC, to the second): the log's clock, never the machine's. */
  time: string
}

/**
 * An operation of the root (`pki.operation`). Each is valid only with the approvals of a quorum.
 *
 * To add a new operation:
 * 1. Add its type here and to `operationTypes`, and its fields to `parseOperation`.
 * 2. Check and apply it in `replay.ts` (`checkOperation`, `applyOperation`).
 * 3. Give it a form in `cratesec pki propose` (command.ts), a rule in `spec/security/signing.md`
 *    and a test in `test/security/signing.test.ts`.
 */
export type Operation =
  | (OperationBase & { type: 'init'; root: RootMetadata })
  | (OperationBase & { type: 'issue-delegate'; delegate: DelegateSpec })
  | (OperationBase & { type: 'replace-delegate'; delegate: DelegateSpec })
  | (OperationBase & { type: 'revoke-delegate'; name: string; reason: string })
  | (OperationBase & { type: 'change-quorum'; holders: Holder[]; threshold: number })
  | (OperationBase & { type: 'replace-root'; root: RootMetadata })

export const operationTypes = ['init', 'issue-delegate', 'replace-delegate', 'revoke-delegate', 'change-quorum', 'replace-root'] as const

/** A key holder's signature of an operation. */
export interface Approval {
  keyId: string
  signature: string
}

/**
 * An operation with the approvals gathered for it: a proposal while holders sign it, and, once
 * a quorum approved it, an entry of the transparency log.
 */
export interface Request {
  operation: Operation
  approvals: Approval[]
}

/** One entry of the transparency log: an approved operation of the root (`pki.log.entry`). */
export type LogEntry = Request

/** The bytes of an entry that its leaf hashes (`pki.log.leaf`): its canonical JSON in UTF-8. */
export function entryBytes(entry: LogEntry): Buffer {
  return Buffer.from(canonicalJson(entry), 'utf8')
}

/** What a delegate signs about an artifact (`pki.artifact`). */
export interface Statement {
  purpose: Purpose
  /** The artifact's name (a crate file, an index entry) and the SHA-256 of its bytes, in hex. */
  artifact: { name: string; sha256: string }
  /** The delegate's name, and the ID of the key that signs. */
  delegate: string
  keyId: string
  time: string
}

/** A delegate's signature of an artifact: the statement and the Ed25519 signature of it. */
export interface SignatureFile {
  statement: Statement
  signature: string
}

/** A signed tree head (`pki.log.tree-head`): the size and Merkle tree hash of the log, signed by the log's key. */
export interface TreeHead {
  size: number
  /** The RFC 6962 tree hash, in hex. */
  root: string
  /** The time of the last entry (the empty log's is the epoch), so that a head is the same whoever makes it. */
  time: string
  signature: string
}

/** Domain-separated bytes to sign, so that no signature of one kind can pass for another (`pki.canonical`). */
export const messages = {
  operation: (operation: Operation) => `ferrule-pki/1 operation\n${canonicalJson(operation)}`,
  statement: (statement: Statement) => `ferrule-pki/1 statement\n${canonicalJson(statement)}`,
  treeHead: (head: Omit<TreeHead, 'signature'>) => `ferrule-pki/1 tree-head\n${canonicalJson({ size: head.size, root: head.root, time: head.time })}`,
}

/** A document that does not have the shape it must: the message names the source and the field. */
export class DocumentError extends Error {
  override name = 'DocumentError'
}

// ---- Parsing: every document read from a file is checked field by field. ----

type Reader = { source: string; path: string }
const at = (reader: Reader, field: string | number): Reader => ({ source: reader.source, path: typeof field === 'number' ? `${reader.path}[${field}]` : reader.path ? `${reader.path}.${field}` : field })
const fail = (reader: Reader, message: string): never => {
  throw new DocumentError(`${reader.source}: ${reader.path || 'the document'}: ${message}`)
}

function object(reader: Reader, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(reader, `expected an object, found ${describe(value)}`)
  const unknown = Object.keys(value).find((key) => !keys.includes(key))
  if (unknown !== undefined) fail(reader, `unexpected field \`${unknown}\`, expected ${keys.map((key) => `\`${key}\``).join(', ')}`)
  return value as Record<string, unknown>
}

function string(reader: Reader, value: unknown, pattern?: RegExp, what?: string): string {
  if (typeof value !== 'string') return fail(reader, `expected a string, found ${describe(value)}`)
  if (pattern && !pattern.test(value)) fail(reader, `expected ${what}, found ${JSON.stringify(value)}`)
  return value
}

function integer(reader: Reader, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) return fail(reader, `expected an integer of at least ${min}, found ${describe(value)}`)
  return value
}

function array<T>(reader: Reader, value: unknown, item: (reader: Reader, value: unknown) => T): T[] {
  if (!Array.isArray(value)) return fail(reader, `expected an array, found ${describe(value)}`)
  return value.map((entry, index) => item(at(reader, index), entry))
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`
}

/** Times are UTC to the second, so that comparing their text compares the times (`sec.determinism.time`). */
export const timePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/
const time = (reader: Reader, value: unknown) => string(reader, value, timePattern, 'a UTC time such as `2025-01-31T12:00:00Z`')
const name = (reader: Reader, value: unknown) => string(reader, value, /^[a-z0-9][a-z0-9._-]{0,63}$/, 'a name of lower-case letters, digits, `.`, `_` and `-`')
const base64url = (reader: Reader, value: unknown) => string(reader, value, /^[A-Za-z0-9_-]+$/, 'base64url')
const hex32 = (reader: Reader, value: unknown) => string(reader, value, /^[0-9a-f]{64}$/, '64 lower-case hex digits')

function jwk(reader: Reader, value: unknown, role: KeyRole): PublicJwk {
  const fields = object(reader, value, role === 'holder' ? ['kty', 'crv', 'x', 'y'] : ['kty', 'crv', 'x'])
  try {
    jwkToKey(fields, role, `${reader.source}: ${reader.path}`)
  } catch (error) {
    throw new DocumentError((error as Error).message)
  }
  return role === 'holder'
    ? { kty: 'EC', crv: 'P-384', x: fields.x as string, y: fields.y as string }
    : { kty: 'OKP', crv: 'Ed25519', x: fields.x as string }
}

function holder(reader: Reader, value: unknown): Holder {
  const fields = object(reader, value, ['name', 'key'])
  return { name: name(at(reader, 'name'), fields.name), key: jwk(at(reader, 'key'), fields.key, 'holder') }
}

function holders(reader: Reader, value: unknown, threshold: number, thresholdReader: Reader): Holder[] {
  const list = array(reader, value, holder)
  if (list.length === 0) fail(reader, 'expected at least one key holder')
  const names = new Set<string>()
  const keys = new Set<string>()
  list.forEach((entry, index) => {
    if (names.has(entry.name)) fail(at(reader, index), `the holder name \`${entry.name}\` is given twice`)
    const key = `${entry.key.x}.${(entry.key as { y?: string }).y}`
    if (keys.has(key)) fail(at(reader, index), `the key of \`${entry.name}\` is another holder's too`)
    names.add(entry.name)
    keys.add(key)
  })
  if (threshold > list.length) fail(thresholdReader, `the threshold ${threshold} is more than the ${list.length} key holders`)
  return list
}

function root(reader: Reader, value: unknown): RootMetadata {
  const fields = object(reader, value, ['version', 'holders', 'threshold', 'expires', 'log'])
  const version = integer(at(reader, 'version'), fields.version, 1)
  const threshold = integer(at(reader, 'threshold'), fields.threshold, 1)
  return { version, holders: holders(at(reader, 'holders'), fields.holders, threshold, at(reader, 'threshold')), threshold, expires: time(at(reader, 'expires'), fields.expires), log: jwk(at(reader, 'log'), fields.log, 'log') }
}

function delegate(reader: Reader, value: unknown): DelegateSpec {
  const fields = object(reader, value, ['name', 'purpose', 'key', 'expires'])
  return {
    name: name(at(reader, 'name'), fields.name),
    purpose: purpose(at(reader, 'purpose'), fields.purpose),
    key: jwk(at(reader, 'key'), fields.key, 'delegate'),
    expires: time(at(reader, 'expires'), fields.expires),
  }
}

function purpose(reader: Reader, value: unknown): Purpose {
  return string(reader, value, new RegExp(`^(${PURPOSES.join('|')})$`), `one of ${PURPOSES.map((p) => `\`${p}\``).join(', ')}`) as Purpose
}

/** An operation from JSON, checked field by field. */
export function parseOperation(value: unknown, source: string, path = 'operation'): Operation {
  const reader = { source, path }
  const type = (value as { type?: unknown } | null)?.type
  if (!operationTypes.includes(type as Operation['type'])) {
    object(reader, value, ['type'])
    fail(at(reader, 'type'), `expected one of ${operationTypes.map((t) => `\`${t}\``).join(', ')}, found ${describe(type)}`)
  }
  const keys: Record<Operation['type'], string[]> = {
    init: ['root'],
    'issue-delegate': ['delegate'],
    'replace-delegate': ['delegate'],
    'revoke-delegate': ['name', 'reason'],
    'change-quorum': ['holders', 'threshold'],
    'replace-root': ['root'],
  }
  const fields = object(reader, value, ['type', 'sequence', 'previous', 'time', ...keys[type as Operation['type']]])
  const base = { sequence: integer(at(reader, 'sequence'), fields.sequence, 0), previous: hex32(at(reader, 'previous'), fields.previous), time: time(at(reader, 'time'), fields.time) }
  switch (type as Operation['type']) {
    case 'init':
      return { type: 'init', ...base, root: root(at(reader, 'root'), fields.root) }
    case 'replace-root':
      return { type: 'replace-root', ...base, root: root(at(reader, 'root'), fields.root) }
    case 'issue-delegate':
      return { type: 'issue-delegate', ...base, delegate: delegate(at(reader, 'delegate'), fields.delegate) }
    case 'replace-delegate':
      return { type: 'replace-delegate', ...base, delegate: delegate(at(reader, 'delegate'), fields.delegate) }
    case 'revoke-delegate':
      return { type: 'revoke-delegate', ...base, name: name(at(reader, 'name'), fields.name), reason: string(at(reader, 'reason'), fields.reason) }
    case 'change-quorum': {
      const threshold = integer(at(reader, 'threshold'), fields.threshold, 1)
      return { type: 'change-quorum', ...base, holders: holders(at(reader, 'holders'), fields.holders, threshold, at(reader, 'threshold')), threshold }
    }
  }
}

function approval(reader: Reader, value: unknown): Approval {
  const fields = object(reader, value, ['keyId', 'signature'])
  return { keyId: base64url(at(reader, 'keyId'), fields.keyId), signature: base64url(at(reader, 'signature'), fields.signature) }
}

/** A request file: an operation and the approvals gathered so far. */
export function parseRequest(value: unknown, source: string): Request {
  const reader = { source, path: '' }
  const fields = object(reader, value, ['operation', 'approvals'])
  return { operation: parseOperation(fields.operation, source), approvals: array(at(reader, 'approvals'), fields.approvals, approval) }
}

function statement(reader: Reader, value: unknown): Statement {
  const fields = object(reader, value, ['purpose', 'artifact', 'delegate', 'keyId', 'time'])
  const artifact = object(at(reader, 'artifact'), fields.artifact, ['name', 'sha256'])
  return {
    purpose: purpose(at(reader, 'purpose'), fields.purpose),
    artifact: { name: string(at(at(reader, 'artifact'), 'name'), artifact.name, /^[^\u0000-\u001f]{1,256}$/, 'a name of 1 to 256 characters, no control characters'), sha256: hex32(at(at(reader, 'artifact'), 'sha256'), artifact.sha256) },
    delegate: name(at(reader, 'delegate'), fields.delegate),
    keyId: base64url(at(reader, 'keyId'), fields.keyId),
    time: time(at(reader, 'time'), fields.time),
  }
}

/** One log entry from JSON, checked field by field. */
export function parseEntry(value: unknown, source: string): LogEntry {
  return parseRequest(value, source)
}

/** A signed tree head from JSON. */
export function parseTreeHead(value: unknown, source: string): TreeHead {
  const reader = { source, path: '' }
  const fields = object(reader, value, ['size', 'root', 'time', 'signature'])
  return { size: integer(at(reader, 'size'), fields.size, 0), root: hex32(at(reader, 'root'), fields.root), time: time(at(reader, 'time'), fields.time), signature: base64url(at(reader, 'signature'), fields.signature) }
}

/** A signature file from JSON. */
export function parseSignatureFile(value: unknown, source: string): SignatureFile {
  const reader = { source, path: '' }
  const fields = object(reader, value, ['statement', 'signature'])
  return { statement: statement(at(reader, 'statement'), fields.statement), signature: base64url(at(reader, 'signature'), fields.signature) }
}

/** Root metadata from JSON (a `root.json`, or a root pinned by a verifier). */
export function parseRoot(value: unknown, source: string): RootMetadata {
  return root({ source, path: '' }, value)
}
