import type { KeyObject } from 'node:crypto'
import { type Holder, messages, type Operation, type Request } from './documents.ts'
import { keyId, keyToJwk, signMessage } from './keys.ts'
import { type PkiLog, treeHeadOf } from './log.ts'
import { timeOf } from './verify.ts'

type WithoutPlace<T> = T extends unknown ? Omit<T, 'sequence' | 'previous' | 'time'> : never

/** An operation without its place in the log and its time, which {@link propose} adds. */
export type OperationBody = WithoutPlace<Operation>

/**
 * A proposal of `body` as the next operation of `log` (`pki.operation.proposal`): its sequence
 * number is the log's size, `previous` the log's tree hash, its time `time` (default now), and no
 * holder has approved it yet.
 */
export function propose(log: Pick<PkiLog, 'entries'>, body: OperationBody, time: Date = new Date()): Request {
  return { operation: { ...body, sequence: log.entries.length, previous: treeHeadOf(log.entries).root, time: timeOf(time) } as Operation, approvals: [] }
}

/** A key holder's public half as root metadata lists it. */
export function holderOf(name: string, key: KeyObject): Holder {
  return { name, key: keyToJwk(key) }
}

/**
 * The proposal with one more approval: the signature of its operation by a holder's ECDSA P-384
 * key. ECDSA signatures are not deterministic, so approving twice adds a second, different
 * signature, which still counts once (`pki.quorum`).
 */
export function approve(request: Request, holderKey: KeyObject): Request {
  const approval = { keyId: keyId(holderKey), signature: signMessage(holderKey, messages.operation(request.operation)) }
  return { operation: request.operation, approvals: [...request.approvals, approval] }
}
