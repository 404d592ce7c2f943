import type { Approval, Holder } from './documents.ts'
import { jwkToKey, keyId, verifyMessage } from './keys.ts'

/** How a set of approvals counts against a quorum (`pki.quorum`). */
export interface QuorumCount {
  threshold: number
  /** The holders whose valid approvals count, in the order of the holder list. */
  approvedBy: string[]
  /** Holders that approved more than once (counted once). */
  duplicates: string[]
  /** Key IDs of approvals by keys that are no holder's (ignored). */
  unknown: string[]
  /** Holders whose signature does not verify (ignored). */
  invalid: string[]
  met: boolean
}

/**
 * Count `approvals` of `message` against the holders and threshold of a root: each holder counts
 * once however many times it signed, signatures by other keys and signatures that do not verify
 * count for nothing, and the quorum is met when at least `threshold` holders count
 * (`sec.config.boundary`: a value equal to the threshold reaches it).
 */
export function countApprovals(holders: readonly Holder[], threshold: number, message: string, approvals: readonly Approval[]): QuorumCount {
  const byId = new Map(holders.map((holder) => [keyId(holder.key), holder]))
  const approved = new Set<string>()
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  const unknown: string[] = []
  const invalid = new Set<string>()
  for (const approval of approvals) {
    const holder = byId.get(approval.keyId)
    if (holder === undefined) {
      unknown.push(approval.keyId)
      continue
    }
    if (seen.has(holder.name)) duplicates.add(holder.name)
    seen.add(holder.name)
    if (verifyMessage(jwkToKey(holder.key, 'holder', `holder ${holder.name}`), message, approval.signature)) approved.add(holder.name)
    else invalid.add(holder.name)
  }
  // A holder with one good signature among bad ones is approved; it is not reported as invalid.
  for (const name of approved) invalid.delete(name)
  const inOrder = (names: Set<string>) => holders.map((holder) => holder.name).filter((name) => names.has(name))
  return { threshold, approvedBy: inOrder(approved), duplicates: inOrder(duplicates), unknown, invalid: inOrder(invalid), met: approved.size >= threshold }
}

/** The sentence a report gives for a quorum count. */
export function describeQuorum(count: QuorumCount, whose: string): string {
  const extra = [
    count.duplicates.length > 0 ? `${count.duplicates.join(', ')} approved more than once (counted once)` : '',
    count.unknown.length > 0 ? `${count.unknown.length} approval${count.unknown.length === 1 ? '' : 's'} by keys of no holder (ignored)` : '',
    count.invalid.length > 0 ? `the signature of ${count.invalid.join(', ')} does not verify (ignored)` : '',
  ].filter(Boolean)
  return `${count.approvedBy.length} distinct holder${count.approvedBy.length === 1 ? '' : 's'} of ${whose} approved, ${count.threshold} needed${extra.length > 0 ? `; ${extra.join('; ')}` : ''}`
}
