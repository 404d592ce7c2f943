import { createHash, type KeyObject } from 'node:crypto'
import { messages, type Purpose, type RootMetadata, type SignatureFile, type Statement } from './documents.ts'
import { jwkToKey, keyId, signMessage, verifyMessage } from './keys.ts'
import { type LogProblem, type PkiLog, verifyLog, type VerifyLogOptions } from './log.ts'
import type { DelegateRecord } from './replay.ts'

/** A time as the PKI's documents write it: UTC to the second. */
export function timeOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The SHA-256 of an artifact's bytes, in hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** What a delegate signs: an artifact by name with its bytes or their SHA-256. */
export interface Artifact {
  name: string
  bytes?: Uint8Array
  sha256?: string
}

/**
 * A delegate's signature of an artifact (`pki.artifact`): Ed25519 over the statement's canonical
 * JSON, so the same statement signed by the same key gives the same signature. `time` defaults to now.
 */
export function signArtifact(artifact: Artifact, options: { purpose: Purpose; delegate: string; key: KeyObject; time?: Date }): SignatureFile {
  const sha256 = artifact.sha256 ?? (artifact.bytes ? sha256Hex(artifact.bytes) : undefined)
  if (sha256 === undefined) throw new TypeError('signArtifact: an artifact needs its bytes or its sha256')
  const statement: Statement = { purpose: options.purpose, artifact: { name: artifact.name, sha256 }, delegate: options.delegate, keyId: keyId(options.key), time: timeOf(options.time ?? new Date()) }
  return { statement, signature: signMessage(options.key, messages.statement(statement)) }
}

/** The steps of the walk from an artifact to the root, in order (`pki.verify`). */
export const verifySteps = ['artifact', 'delegate', 'root'] as const
export type VerifyStep = (typeof verifySteps)[number]

/** Why a step failed. `code` is stable, for tests and reports. */
export type VerifyCode =
  | 'digest-mismatch'
  | 'wrong-name'
  | 'wrong-purpose'
  | 'unknown-delegate'
  | 'replaced'
  | 'revoked'
  | 'expired'
  | 'bad-signature'
  | 'log-invalid'
  | 'no-root'
  | 'root-expired'

/** What verifying an artifact found: which delegate and root vouch for it, or the step that failed and why. */
export type Verification =
  | { ok: true; delegate: DelegateRecord; root: RootMetadata; statement: Statement }
  | { ok: false; step: VerifyStep; code: VerifyCode; message: string; logProblems?: LogProblem[] }

/** Options of {@link verifyArtifact}. */
export interface VerifyOptions extends VerifyLogOptions {
  /** The purpose the verifier needs the artifact signed for (a crate: `crates-io`). */
  purpose: Purpose
  /**
   * The time at which expiry is judged. Given, never read from the clock (`sec.determinism.time`):
   * the same artifact, signature and log give the same verdict whenever it is asked.
   */
  now: Date
}

/**
 * Verify an artifact (`pki.verify`), walking artifact -> delegate -> root:
 * 1. artifact: the statement names it and its SHA-256, for the purpose needed;
 * 2. root: the log verifies (`pki.log.verify`): every operation with its quorum, every tree head;
 *    without that, no delegate is known, so a bad log fails here, before the delegate step;
 * 3. delegate: the statement's key is a delegate's that the log issued, not replaced, not revoked,
 *    of the purpose needed, not expired at `now`, and its signature of the statement verifies;
 * 4. root: the root in force has not expired at `now`.
 */
export function verifyArtifact(artifact: Artifact, signature: SignatureFile, log: PkiLog, options: VerifyOptions): Verification {
  const now = timeOf(options.now)
  const { statement } = signature
  const fail = (step: VerifyStep, code: VerifyCode, message: string): Verification => ({ ok: false, step, code, message })
  // 1. The artifact.
  if (statement.artifact.name !== artifact.name) return fail('artifact', 'wrong-name', `the signature is of \`${statement.artifact.name}\`, not of \`${artifact.name}\``)
  const digest = artifact.sha256 ?? (artifact.bytes ? sha256Hex(artifact.bytes) : undefined)
  if (digest !== statement.artifact.sha256) {
    return fail('artifact', 'digest-mismatch', `the artifact's SHA-256 is ${digest ?? 'not given'}, the signature is of ${statement.artifact.sha256}`)
  }
  if (statement.purpose !== options.purpose) return fail('artifact', 'wrong-purpose', `the artifact is signed for ${statement.purpose}, needed for ${options.purpose}`)
  // 2. The log, without which no delegate is known.
  const report = verifyLog(log, options)
  if (!report.ok) return { ...(fail('root', 'log-invalid', `the log does not verify: ${report.problems.map((p) => p.message).join('; ')}`) as Verification & { ok: false }), logProblems: report.problems }
  const root = report.state.root
  if (root === undefined) return fail('root', 'no-root', 'the log holds no root')
  // 3. The delegate.
  const record = report.state.delegates.findLast((candidate) => candidate.keyId === statement.keyId)
  if (record === undefined || record.name !== statement.delegate) return fail('delegate', 'unknown-delegate', `no delegate \`${statement.delegate}\` with the key ${statement.keyId} was issued`)
  if (record.revokedAt !== undefined) return fail('delegate', 'revoked', `the delegate \`${record.name}\` was revoked (entry ${record.revokedAt}: ${record.revocationReason})`)
  if (record.replacedAt !== undefined) return fail('delegate', 'replaced', `the key ${record.keyId} of \`${record.name}\` was replaced (entry ${record.replacedAt})`)
  if (record.purpose !== options.purpose) return fail('delegate', 'wrong-purpose', `the delegate \`${record.name}\` signs for ${record.purpose}, not ${options.purpose}`)
  if (now >= record.expires) return fail('delegate', 'expired', `the delegate \`${record.name}\` expired at ${record.expires} (now ${now})`)
  if (!verifyMessage(jwkToKey(record.key, 'delegate', `delegate ${record.name}`), messages.statement(statement), signature.signature)) {
    return fail('delegate', 'bad-signature', `the signature does not verify with the key of \`${record.name}\``)
  }
  // 4. The root.
  if (now >= root.expires) return fail('root', 'root-expired', `the root (version ${root.version}) expired at ${root.expires} (now ${now})`)
  return { ok: true, delegate: record, root, statement }
}
