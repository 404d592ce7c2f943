// The transparency log of the root's operations: every approved operation is a leaf of an RFC 6962
// Merkle tree, and after each one the log's key signs a tree head.
import type { KeyObject } from 'node:crypto'
import { entryBytes, type LogEntry, messages, type Request, type RootMetadata, type TreeHead } from './documents.ts'
import { jwkToKey, keyId, signMessage, verifyMessage } from './keys.ts'
import { consistencyProof, type Hash, inclusionProof, leafHash, treeHash, verifyConsistency, verifyInclusion } from './merkle.ts'
import { applyOperation, checkOperation, emptyState, epoch, type OperationCheck, type OperationProblem, type PkiState, replay, type ReplayOptions, trustTracker } from './replay.ts'

/** The log as its files hold it: the entries in order, and the signed head of every size it had. */
export interface PkiLog {
  entries: LogEntry[]
  heads: TreeHead[]
}

export { entryBytes }

/** The leaf hashes of `entries`, in order. */
export function leafHashes(entries: readonly LogEntry[]): Hash[] {
  return entries.map((entry) => leafHash(entryBytes(entry)))
}

/** The unsigned tree head of the first `size` entries: their size, tree hash and the time of the last. */
export function treeHeadOf(entries: readonly LogEntry[], size = entries.length): Omit<TreeHead, 'signature'> {
  const leaves = leafHashes(entries.slice(0, size))
  return { size, root: treeHash(leaves).toString('hex'), time: size === 0 ? epoch : entries[size - 1]!.operation.time }
}

/** A tree head signed by the log's Ed25519 key (deterministic: the same head gives the same bytes). */
export function signTreeHead(head: Omit<TreeHead, 'signature'>, logKey: KeyObject): TreeHead {
  return { size: head.size, root: head.root, time: head.time, signature: signMessage(logKey, messages.treeHead(head)) }
}

/** Whether `head` is signed by the log key of `root`. */
export function verifyTreeHead(head: TreeHead, root: Pick<RootMetadata, 'log'>): boolean {
  return verifyMessage(jwkToKey(root.log, 'log', 'the root metadata'), messages.treeHead(head), head.signature)
}

/** The audit path of entry `index` in the tree of the first `size` entries (RFC 6962, 2.1.1). */
export function proveInclusion(entries: readonly LogEntry[], index: number, size = entries.length): Hash[] {
  return inclusionProof(leafHashes(entries.slice(0, size)), index)
}

/** The proof that the tree of the first `size1` entries is a prefix of the tree of `size2` (RFC 6962, 2.1.2). */
export function proveConsistency(entries: readonly LogEntry[], size1: number, size2 = entries.length): Hash[] {
  return consistencyProof(leafHashes(entries.slice(0, size2)), size1)
}

/** Whether `proof` shows `entry` at `index` under the signed `head` (`pki.log.inclusion`). */
export function verifyEntryInclusion(entry: LogEntry, index: number, head: Pick<TreeHead, 'size' | 'root'>, proof: readonly Uint8Array[]): boolean {
  return verifyInclusion(index, head.size, leafHash(entryBytes(entry)), proof, Buffer.from(head.root, 'hex'))
}

/** Whether `proof` shows the tree under `older` to be a prefix of the tree under `newer` (`pki.log.consistency`). */
export function verifyHeadConsistency(older: Pick<TreeHead, 'size' | 'root'>, newer: Pick<TreeHead, 'size' | 'root'>, proof: readonly Uint8Array[]): boolean {
  return verifyConsistency(older.size, newer.size, Buffer.from(older.root, 'hex'), Buffer.from(newer.root, 'hex'), proof)
}

/** What appending an operation gave: the new log, or why the operation was refused. */
export type AppendResult =
  | { ok: true; log: PkiLog; index: number; head: TreeHead; state: PkiState; quorums: OperationCheck['quorums'] }
  | { ok: false; problem: OperationProblem | { code: 'log-key' | 'log'; message: string }; quorums: OperationCheck['quorums'] }

/**
 * Append an approved operation to the log (`pki.operation`, `pki.log.append`): the operation is
 * checked against the state the log leads to, appended, and a new tree head signed with `logKey`,
 * which must be the log key of the root in force after the operation. `log` is not changed; the
 * result holds the new one.
 */
export function appendOperation(log: PkiLog, request: Request, logKey: KeyObject, options: ReplayOptions = {}): AppendResult {
  // A log whose entries and signed heads disagree (an entry removed, say) would have a new head
  // signed over what was done to it: it is refused as it stands.
  const verified = verifyLog(log, options)
  if (!verified.ok) return { ok: false, problem: { code: 'log', message: `the log does not verify: ${verified.problems[0]!.message}` }, quorums: [] }
  const replayed = replay(log.entries, options)
  if (replayed.problem) return { ok: false, problem: { code: 'log', message: `the log is not valid at entry ${replayed.problem.index}: ${replayed.problem.problem.message}` }, quorums: [] }
  const { state } = replayed
  const check = checkOperation(state, request.operation, request.approvals)
  if (check.problem) return { ok: false, problem: check.problem, quorums: check.quorums }
  const index = log.entries.length
  const entry = { operation: request.operation, approvals: request.approvals }
  applyOperation(state, entry, index)
  if (keyId(logKey) !== keyId(state.root!.log)) {
    return { ok: false, problem: { code: 'log-key', message: `the key ${keyId(logKey)} is not the log key ${keyId(state.root!.log)} of the root` }, quorums: check.quorums }
  }
  const entries = [...log.entries, entry]
  const head = signTreeHead(treeHeadOf(entries), logKey)
  return { ok: true, log: { entries, heads: [...log.heads, head] }, index, head, state, quorums: check.quorums }
}

/** One thing wrong with a log. `code` is stable, for tests and reports. */
export interface LogProblem {
  code: 'entry' | 'untrusted-root' | 'head-size' | 'head-signature' | 'head-time' | 'inconsistent' | 'missing-head'
  message: string
  /** The entry concerned, when one is. */
  index?: number
  /** The size of the tree head concerned, when one is. */
  size?: number
}

/** What {@link verifyLog} found. */
export interface LogReport {
  ok: boolean
  /** The number of entries, and the newest tree head that verified. */
  size: number
  head: TreeHead | undefined
  /** The PKI as the valid prefix of the log leaves it. */
  state: PkiState
  problems: LogProblem[]
}

/** Options of {@link verifyLog}. */
export interface VerifyLogOptions extends ReplayOptions {
  /** Tree heads that the verifier kept from before (its own, or gossiped): the log must extend each. */
  since?: readonly TreeHead[]
}

/**
 * Verify a log (`pki.log.verify`):
 * 1. replay the operations from the first, each checked as when it was appended, and see that one
 *    of them makes the trusted root, when one is given;
 * 2. check every tree head: signed by the log key of the root in force at its size, its time that
 *    of its last entry, and consistent (by an RFC 6962 consistency proof from the entries) with
 *    the head before it, so that the first head that fails tells which entry was removed, altered
 *    or reordered;
 * 3. check that the newest head covers every entry;
 * 4. check that the log extends each head kept from before (`since`), by a consistency proof.
 */
export function verifyLog(log: PkiLog, options: VerifyLogOptions = {}): LogReport {
  const problems: LogProblem[] = []
  // 1. Replay, keeping the log key of the root after each entry.
  const logKeys: (RootMetadata['log'] | undefined)[] = []
  const state = emptyState()
  const trust = trustTracker(options)
  let replayed = true
  for (const [index, entry] of log.entries.entries()) {
    const { problem } = checkOperation(state, entry.operation, entry.approvals)
    if (problem) {
      problems.push({ code: 'entry', index, message: `entry ${index} (${entry.operation.type}): ${problem.message}` })
      replayed = false
      break
    }
    applyOperation(state, entry, index)
    logKeys.push(state.root?.log)
    trust.saw(state)
  }
  const untrusted = replayed ? trust.problem() : undefined
  if (untrusted) problems.push({ code: 'untrusted-root', message: untrusted.message })
  // 2. The heads, in the order kept, each against the one before. Past an entry that failed, a head
  //    is still checked with the last log key known, so that it tells where the entries changed.
  //    A log whose first entry failed has no key to check heads with.
  let previous: TreeHead | undefined
  let headFailed = logKeys.length === 0 && log.heads.length > 0
  // Heads of entries that are gone: every entry was removed.
  if (log.entries.length === 0 && log.heads.length > 0) {
    const newest = log.heads.at(-1)!
    problems.push({ code: 'inconsistent', size: newest.size, message: `the log has no entries, but ${log.heads.length} signed tree head${log.heads.length === 1 ? '' : 's'}, the newest of size ${newest.size}: its entries were removed` })
  }
  for (const head of headFailed ? [] : log.heads) {
    const problem = checkHead(log.entries, logKeys, head, previous)
    if (problem) {
      problems.push(problem)
      headFailed = true
      break
    }
    previous = head
  }
  const newest = previous
  // 3. The newest head covers every entry. (Each entry's inclusion under it needs no proof here: step 2
  //    recomputed the tree from all the entries. Inclusion proofs serve whoever holds one entry only.)
  if (!headFailed && (newest?.size ?? 0) !== log.entries.length) {
    problems.push({ code: 'missing-head', ...(newest ? { size: newest.size } : {}), message: `the newest signed tree head covers ${newest?.size ?? 0} entries, the log has ${log.entries.length}` })
  }
  // 4. Heads kept from before.
  for (const kept of options.since ?? []) {
    const key = kept.size === 0 ? undefined : logKeys[Math.min(kept.size, logKeys.length) - 1]
    if (kept.size > log.entries.length) {
      problems.push({ code: 'inconsistent', size: kept.size, message: `the log has ${log.entries.length} entries, fewer than the kept tree head of size ${kept.size}: it was cut short` })
    } else if (key === undefined || !verifyTreeHead(kept, { log: key })) {
      problems.push({ code: 'head-signature', size: kept.size, message: `the kept tree head of size ${kept.size} is not signed by the log key of the root at that size` })
    } else if (!verifyHeadConsistency(kept, treeHeadOf(log.entries), proveConsistency(log.entries, kept.size))) {
      problems.push({ code: 'inconsistent', size: kept.size, message: `the log does not extend the kept tree head of size ${kept.size}: an entry before ${kept.size} was removed, altered or reordered` })
    }
  }
  return { ok: problems.length === 0, size: log.entries.length, head: newest, state, problems }
}

function checkHead(entries: readonly LogEntry[], logKeys: readonly (RootMetadata['log'] | undefined)[], head: TreeHead, previous: TreeHead | undefined): LogProblem | undefined {
  const size = head.size
  if (size > entries.length) {
    return { code: 'head-size', size, message: `a tree head of size ${size}, but the log has ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: entries were removed` }
  }
  if (size === 0 || (previous !== undefined && size <= previous.size)) {
    const expected = previous === undefined ? `1 to ${entries.length}` : `${previous.size + 1} to ${entries.length}`
    return { code: 'head-size', size, message: `a tree head of size ${size}, expected a size of ${expected}` }
  }
  const key = logKeys[Math.min(size, logKeys.length) - 1]
  if (key === undefined || !verifyTreeHead(head, { log: key })) {
    return { code: 'head-signature', size, message: `the tree head of size ${size} is not signed by the log key of the root at that size` }
  }
  // The signed root against the entries, by proof: from the previous head (or from nothing) to this one.
  const computed = treeHeadOf(entries, size)
  const older = previous ?? { size: 0, root: treeHeadOf([], 0).root }
  const consistent = computed.root === head.root && verifyHeadConsistency(older, head, proveConsistency(entries, older.size, size))
  if (!consistent) {
    const from = older.size
    const which = size - from === 1 ? `entry ${from}` : `an entry from ${from} to ${size - 1}`
    return { code: 'inconsistent', size, index: from, message: `the first ${size} entries do not make the signed tree head of size ${size}: ${which} was removed, altered or reordered` }
  }
  if (computed.time !== head.time) return { code: 'head-time', size, message: `the tree head of size ${size} has the time ${head.time}, its last entry ${computed.time}` }
  return undefined
}
