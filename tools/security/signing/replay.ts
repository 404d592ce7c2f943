import { canonicalJson } from './canonical-json.ts'
import { type Approval, entryBytes, type Holder, type LogEntry, messages, type Operation, type Purpose, type RootMetadata } from './documents.ts'
import { keyId, type PublicJwk } from './keys.ts'
import { appendToFrontier, type Frontier, frontierHash, leafHash } from './merkle.ts'
import { countApprovals, describeQuorum, type QuorumCount } from './quorum.ts'

/** A delegate key, from its issue to its end. */
export interface DelegateRecord {
  name: string
  purpose: Purpose
  key: PublicJwk
  keyId: string
  expires: string
  /** The log entry that issued it. */
  issuedAt: number
  /** The log entry that replaced it by a new key, if one did: it signs nothing after. */
  replacedAt?: number
  /** The log entry that revoked it, if one did: nothing it signed is accepted. */
  revokedAt?: number
  revocationReason?: string
}

/** The PKI as a prefix of the log leaves it. */
export interface PkiState {
  /** The current root, once an init was valid. */
  root: RootMetadata | undefined
  /** The entry that made the current root. */
  rootSince: number
  /** Every delegate key ever issued, in order. */
  delegates: DelegateRecord[]
  /** Entries so far: the next operation's sequence number. */
  operations: number
  /** The time of the last entry (the epoch before any). */
  lastTime: string
  /** The tree of the entries so far, for the tree hash the next operation names. */
  frontier: Frontier
}

/** Why an operation is not valid. `code` is stable, for tests and reports. */
export interface OperationProblem {
  code: 'sequence' | 'previous' | 'time' | 'invalid-quorum' | 'no-root' | 'root-expired' | 'quorum' | 'conflict' | 'expired' | 'unknown-delegate' | 'revoked' | 'wrong-purpose' | 'version' | 'untrusted-root'
  message: string
  /** How the approvals counted, when the problem is a quorum's. */
  quorum?: QuorumCount
}

/** What checking an operation found: the problem, if any, and every quorum that was counted. */
export interface OperationCheck {
  problem: OperationProblem | undefined
  /** The quorums it needed, in order (the current root's, then the new holders' for a new quorum or root). */
  quorums: { whose: string; count: QuorumCount }[]
}

export const epoch = '1970-01-01T00:00:00Z'

export function emptyState(): PkiState {
  return { root: undefined, rootSince: -1, delegates: [], operations: 0, lastTime: epoch, frontier: [] }
}

/** The delegate record that holds `name` now: the last one of that name, unless it was replaced. */
export function currentDelegate(state: PkiState, name: string): DelegateRecord | undefined {
  return state.delegates.findLast((record) => record.name === name && record.replacedAt === undefined)
}

/**
 * Whether `operation`, with `approvals`, may come next in a log in `state` (`pki.operation`).
 * The same check serves appending and replaying, so that a log that was tampered with fails where
 * an honest appender would have refused.
 */
export function checkOperation(state: PkiState, operation: Operation, approvals: readonly Approval[]): OperationCheck {
  const quorums: OperationCheck['quorums'] = []
  const done = (problem?: OperationProblem): OperationCheck => ({ problem, quorums })
  if (operation.sequence !== state.operations) {
    return done({ code: 'sequence', message: `its sequence number is ${operation.sequence}, expected ${state.operations}: an approved operation counts in one place of the log only` })
  }
  const previous = frontierHash(state.frontier).toString('hex')
  if (operation.previous !== previous) {
    return done({ code: 'previous', message: `it names the log before it as ${operation.previous}, but that log's tree hash is ${previous}: it was approved for another history` })
  }
  if (operation.time < state.lastTime) return done({ code: 'time', message: `its time ${operation.time} is before the time of the entry before it, ${state.lastTime}` })
  const proposed = operation.type === 'change-quorum' ? operation : operation.type === 'init' || operation.type === 'replace-root' ? operation.root : undefined
  const shape = proposed && quorumShape(proposed.holders, proposed.threshold)
  if (shape) return done({ code: 'invalid-quorum', message: shape })
  const message = messages.operation(operation)
  const quorum = (root: Pick<RootMetadata, 'holders' | 'threshold'>, whose: string): OperationProblem | undefined => {
    const count = countApprovals(root.holders, root.threshold, message, approvals)
    quorums.push({ whose, count })
    return count.met ? undefined : { code: 'quorum', message: describeQuorum(count, whose), quorum: count }
  }
  if (operation.type === 'init') {
    if (state.root !== undefined || state.operations !== 0) return done({ code: 'conflict', message: 'an init must be the first entry of the log' })
    if (operation.root.version !== 1) return done({ code: 'version', message: `the first root has version 1, not ${operation.root.version}` })
    if (operation.root.expires <= operation.time) return done({ code: 'expired', message: `the root would expire at ${operation.root.expires}, before it is made (${operation.time})` })
    return done(quorum(operation.root, 'the new root'))
  }
  const root = state.root
  if (root === undefined) return done({ code: 'no-root', message: 'it comes before any valid init, so no root can approve it' })
  if (operation.time >= root.expires) return done({ code: 'root-expired', message: `the root expired at ${root.expires}, before this operation (${operation.time})` })
  const byRoot = quorum(root, 'the root')
  if (byRoot) return done(byRoot)
  switch (operation.type) {
    case 'issue-delegate':
    case 'replace-delegate': {
      const { delegate } = operation
      const current = currentDelegate(state, delegate.name)
      if (operation.type === 'issue-delegate' && state.delegates.some((record) => record.name === delegate.name)) {
        return done({ code: 'conflict', message: `a delegate named \`${delegate.name}\` was issued before; a new key for it is a replace-delegate` })
      }
      if (operation.type === 'replace-delegate') {
        if (current === undefined) return done({ code: 'unknown-delegate', message: `no delegate named \`${delegate.name}\` to replace` })
        if (current.revokedAt !== undefined) return done({ code: 'revoked', message: `the delegate \`${delegate.name}\` was revoked (entry ${current.revokedAt}); issue another` })
        if (current.purpose !== delegate.purpose) return done({ code: 'wrong-purpose', message: `the delegate \`${delegate.name}\` is for ${current.purpose}, not ${delegate.purpose}` })
      }
      const id = keyId(delegate.key)
      if (state.delegates.some((record) => record.keyId === id)) return done({ code: 'conflict', message: `the key ${id} was a delegate's key before; every delegate key is new` })
      if (delegate.expires <= operation.time) return done({ code: 'expired', message: `the delegate would expire at ${delegate.expires}, before it is issued (${operation.time})` })
      return done()
    }
    case 'revoke-delegate': {
      const current = currentDelegate(state, operation.name)
      if (current === undefined) return done({ code: 'unknown-delegate', message: `no delegate named \`${operation.name}\` to revoke` })
      if (current.revokedAt !== undefined) return done({ code: 'revoked', message: `the delegate \`${operation.name}\` was revoked already (entry ${current.revokedAt})` })
      return done()
    }
    case 'change-quorum':
      // The new holders show that they hold their keys, and that the new quorum can act at all.
      return done(quorum(operation, 'the new quorum'))
    case 'replace-root':
      if (operation.root.version !== root.version + 1) return done({ code: 'version', message: `the new root has version ${operation.root.version}, expected ${root.version + 1}` })
      if (operation.root.expires <= operation.time) return done({ code: 'expired', message: `the new root would expire at ${operation.root.expires}, before it is made (${operation.time})` })
      return done(quorum(operation.root, 'the new root'))
  }
}

/** Apply an entry whose operation {@link checkOperation} accepted, as entry `index` of the log. */
export function applyOperation(state: PkiState, entry: LogEntry, index: number): void {
  const { operation } = entry
  state.frontier = appendToFrontier(state.frontier, leafHash(entryBytes(entry)))
  state.operations++
  state.lastTime = operation.time
  switch (operation.type) {
    case 'init':
    case 'replace-root':
      state.root = operation.root
      state.rootSince = index
      return
    case 'change-quorum':
      state.root = { ...state.root!, version: state.root!.version + 1, holders: operation.holders, threshold: operation.threshold }
      state.rootSince = index
      return
    case 'issue-delegate':
    case 'replace-delegate': {
      const previous = currentDelegate(state, operation.delegate.name)
      if (operation.type === 'replace-delegate' && previous) previous.replacedAt = index
      state.delegates.push({ ...operation.delegate, keyId: keyId(operation.delegate.key), issuedAt: index })
      return
    }
    case 'revoke-delegate': {
      const record = currentDelegate(state, operation.name)!
      record.revokedAt = index
      record.revocationReason = operation.reason
      return
    }
  }
}

/** Options of {@link replay}. */
export interface ReplayOptions {
  /**
   * The root metadata that the verifier trusts from elsewhere (default: none, and the log's own init
   * is taken on trust). Some entry of the log must make exactly this root (`untrusted-root`
   * otherwise): since every approval binds its operation to the history before it, the holders of
   * the trusted root vouched for that history.
   */
  trustedRoot?: RootMetadata
}

/**
 * Replay a log from its first entry (`pki.log.replay`): the state it leads to and the problem of the
 * first entry that is not valid. Replay stops there: every later operation was approved against a
 * state that this log does not reach, so nothing after it is trusted.
 */
export function replay(entries: readonly LogEntry[], options: ReplayOptions = {}): { state: PkiState; problem?: { index: number; problem: OperationProblem } } {
  const state = emptyState()
  const trust = trustTracker(options)
  for (const [index, entry] of entries.entries()) {
    const { problem } = checkOperation(state, entry.operation, entry.approvals)
    if (problem) return { state, problem: { index, problem } }
    applyOperation(state, entry, index)
    trust.saw(state)
  }
  const untrusted = trust.problem()
  return untrusted ? { state, problem: { index: entries.length, problem: untrusted } } : { state }
}

/** Whether a replay reached the trusted root: `saw` after each entry, then `problem`. */
export function trustTracker(options: ReplayOptions): { saw(state: PkiState): void; problem(): OperationProblem | undefined } {
  const trusted = options.trustedRoot === undefined ? undefined : canonicalJson(options.trustedRoot)
  let found = trusted === undefined
  return {
    saw(state) {
      if (!found && state.root !== undefined && canonicalJson(state.root) === trusted) found = true
    },
    problem() {
      return found ? undefined : { code: 'untrusted-root', message: `no entry of the log makes the trusted root (version ${options.trustedRoot!.version})` }
    },
  }
}

/**
 * Why holders and a threshold make no quorum, if they do not: a threshold below 1 would approve
 * anything, one above the number of holders nothing, and a key or name listed twice would count twice.
 */
function quorumShape(holders: readonly Holder[], threshold: number): string | undefined {
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > holders.length) return `the threshold ${threshold} is not between 1 and the ${holders.length} holders`
  if (new Set(holders.map((holder) => holder.name)).size !== holders.length) return 'a holder name is listed twice'
  if (new Set(holders.map((holder) => keyId(holder.key))).size !== holders.length) return 'a holder key is listed twice'
  return undefined
}
