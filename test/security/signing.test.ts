import type { KeyObject } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import * as signing from '../../tools/security/signing/index.ts'
import {
  appendOperation,
  approve,
  canonicalJson,
  countApprovals,
  generateKey,
  holderOf,
  keyId,
  keyToJwk,
  messages,
  type OperationBody,
  parseRequest,
  type PkiLog,
  propose,
  type Request,
  replay,
  signArtifact,
  signMessage,
  verifyArtifact,
  verifyLog,
} from '../../tools/security/signing/index.ts'

const holderKeys = Array.from({ length: 9 }, () => generateKey('holder').privateKey)
const holders = holderKeys.map((key, index) => holderOf(`holder-${index + 1}`, key))
const logKey = generateKey('log').privateKey
const t = (day: number) => new Date(Date.UTC(2026, 0, day))
const rootBody = (threshold = 5, expires = '2027-01-01T00:00:00Z'): OperationBody => ({ type: 'init', root: { version: 1, holders, threshold, expires, log: keyToJwk(logKey) } })

function approvedBy(request: Request, keys: readonly KeyObject[]): Request {
  return keys.reduce(approve, request)
}

function append(log: PkiLog, body: OperationBody, keys: readonly KeyObject[], day: number): PkiLog {
  const result = appendOperation(log, approvedBy(propose(log, body, t(day)), keys), logKey)
  if (!result.ok) throw new Error(`test setup: ${result.problem.message}`)
  return result.log
}

const empty: PkiLog = { entries: [], heads: [] }
const five = holderKeys.slice(0, 5)
const releaseKey = generateKey('delegate').privateKey
const cratesKey = generateKey('delegate').privateKey

function pkiWithDelegates(): PkiLog {
  let log = append(empty, rootBody(), five, 1)
  log = append(log, { type: 'issue-delegate', delegate: { name: 'releases-2026', purpose: 'releases', key: keyToJwk(releaseKey), expires: '2026-07-01T00:00:00Z' } }, five, 2)
  log = append(log, { type: 'issue-delegate', delegate: { name: 'crates-io-2026', purpose: 'crates-io', key: keyToJwk(cratesKey), expires: '2026-12-01T00:00:00Z' } }, five, 3)
  return log
}

describe('the quorum', () => {
  test('[pki.quorum] 4 of 9 distinct holders are refused, 5 of 9 accepted', () => {
    const request = propose(empty, rootBody(), t(1))
    const four = appendOperation(empty, approvedBy(request, holderKeys.slice(0, 4)), logKey)
    expect(four.ok).toBe(false)
    if (four.ok) return
    expect(four.problem.code).toBe('quorum')
    expect(four.problem.message).toBe('4 distinct holders of the new root approved, 5 needed')
    const accepted = appendOperation(empty, approvedBy(request, holderKeys.slice(4, 9)), logKey)
    expect(accepted.ok).toBe(true)
    if (!accepted.ok) return
    expect(accepted.quorums[0]!.count.approvedBy).toEqual(['holder-5', 'holder-6', 'holder-7', 'holder-8', 'holder-9'])
    expect(accepted.log.entries).toHaveLength(1)
    expect(accepted.state.root?.threshold).toBe(5)
  })

  test('[pki.quorum] a holder signing twice counts once; unknown signers are ignored, and the result says so', () => {
    const stranger = generateKey('holder').privateKey
    const request = approvedBy(propose(empty, rootBody(), t(1)), [...holderKeys.slice(0, 4), holderKeys[0]!, holderKeys[3]!, stranger])
    const count = countApprovals(holders, 5, messages.operation(request.operation), request.approvals)
    expect(count).toEqual({ threshold: 5, approvedBy: ['holder-1', 'holder-2', 'holder-3', 'holder-4'], duplicates: ['holder-1', 'holder-4'], unknown: [keyId(stranger)], invalid: [], met: false })
    const result = appendOperation(empty, request, logKey)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.problem.message).toBe('4 distinct holders of the new root approved, 5 needed; holder-1, holder-4 approved more than once (counted once); 1 approval by keys of no holder (ignored)')
    // The fifth distinct holder reaches the quorum.
    expect(appendOperation(empty, approve(request, holderKeys[8]!), logKey).ok).toBe(true)
  })

  test('[pki.quorum] a signature of another operation, or a forged one, does not count', () => {
    const request = propose(empty, rootBody(), t(1))
    const other = approvedBy(propose(empty, rootBody(6), t(1)), five)
    const borrowed = { operation: request.operation, approvals: other.approvals }
    const result = appendOperation(empty, borrowed, logKey)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.quorums[0]!.count.invalid).toEqual(['holder-1', 'holder-2', 'holder-3', 'holder-4', 'holder-5'])
  })

  test('[pki.operation] every operation after the init needs the quorum of the root in force', () => {
    const log = append(empty, rootBody(), five, 1)
    const body: OperationBody = { type: 'issue-delegate', delegate: { name: 'releases', purpose: 'releases', key: keyToJwk(releaseKey), expires: '2026-07-01T00:00:00Z' } }
    const refused = appendOperation(log, approvedBy(propose(log, body, t(2)), holderKeys.slice(5, 9)), logKey)
    expect(refused.ok === false && refused.problem.message).toBe('4 distinct holders of the root approved, 5 needed')
    expect(appendOperation(log, approvedBy(propose(log, body, t(2)), holderKeys.slice(4, 9)), logKey).ok).toBe(true)
  })

  test('[pki.operation.change-quorum] a new quorum needs the old one and its own, and then alone decides', () => {
    let log = append(empty, rootBody(), five, 1)
    const newcomers = [generateKey('holder').privateKey, generateKey('holder').privateKey]
    const newHolders = [...holders.slice(0, 3), holderOf('newcomer-1', newcomers[0]!), holderOf('newcomer-2', newcomers[1]!)]
    const body: OperationBody = { type: 'change-quorum', holders: newHolders, threshold: 3 }
    // Holders 4 to 8 are the old quorum but none of the new one.
    const oldOnly = appendOperation(log, approvedBy(propose(log, body, t(2)), holderKeys.slice(3, 8)), logKey)
    expect(oldOnly.ok === false && oldOnly.problem.message).toBe('0 distinct holders of the new quorum approved, 3 needed; 5 approvals by keys of no holder (ignored)')
    const newOnly = appendOperation(log, approvedBy(propose(log, body, t(2)), [...holderKeys.slice(3, 5), ...newcomers]), logKey)
    expect(newOnly.ok === false && newOnly.problem.message).toBe('2 distinct holders of the root approved, 5 needed; 2 approvals by keys of no holder (ignored)')
    log = append(log, body, [...five, ...newcomers], 2)
    const state = replay(log.entries).state
    expect([state.root?.version, state.root?.threshold, state.root?.holders.map((h) => h.name)]).toEqual([2, 3, ['holder-1', 'holder-2', 'holder-3', 'newcomer-1', 'newcomer-2']])
    // Holder 9 is no holder any more: its approval is unknown.
    const revoke = approvedBy(propose(log, { type: 'issue-delegate', delegate: { name: 'r', purpose: 'releases', key: keyToJwk(releaseKey), expires: '2026-07-01T00:00:00Z' } }, t(3)), [holderKeys[8]!, ...newcomers])
    const result = appendOperation(log, revoke, logKey)
    expect(result.ok === false && result.problem.message).toBe('2 distinct holders of the root approved, 3 needed; 1 approval by keys of no holder (ignored)')
  })

  test('[pki.operation.replace-root] a new root needs the next version and both quorums', () => {
    const log = append(empty, rootBody(), five, 1)
    const nextKeys = Array.from({ length: 3 }, () => generateKey('holder').privateKey)
    const nextRoot = { version: 2, holders: nextKeys.map((key, i) => holderOf(`next-${i}`, key)), threshold: 2, expires: '2028-01-01T00:00:00Z', log: keyToJwk(logKey) }
    const skipped = appendOperation(log, approvedBy(propose(log, { type: 'replace-root', root: { ...nextRoot, version: 3 } }, t(2)), [...five, ...nextKeys]), logKey)
    expect(skipped.ok === false && skipped.problem.code).toBe('version')
    const oldOnly = appendOperation(log, approvedBy(propose(log, { type: 'replace-root', root: nextRoot }, t(2)), five), logKey)
    expect(oldOnly.ok === false && oldOnly.problem.message).toBe('0 distinct holders of the new root approved, 2 needed; 5 approvals by keys of no holder (ignored)')
    const done = appendOperation(log, approvedBy(propose(log, { type: 'replace-root', root: nextRoot }, t(2)), [...five, ...nextKeys.slice(0, 2)]), logKey)
    expect(done.ok && done.state.root?.holders.map((h) => h.name)).toEqual(['next-0', 'next-1', 'next-2'])
  })

  test('[pki.delegate] a delegate name is issued once, with a new key, expiring after its issue', () => {
    const log = pkiWithDelegates()
    const again = (delegate: { name: string; key: KeyObject; expires: string }) =>
      appendOperation(log, approvedBy(propose(log, { type: 'issue-delegate', delegate: { ...delegate, purpose: 'releases', key: keyToJwk(delegate.key) } }, t(4)), five), logKey)
    const codes = [
      again({ name: 'releases-2026', key: generateKey('delegate').privateKey, expires: '2026-07-01T00:00:00Z' }),
      again({ name: 'other', key: releaseKey, expires: '2026-07-01T00:00:00Z' }),
      again({ name: 'other', key: generateKey('delegate').privateKey, expires: '2026-01-04T00:00:00Z' }),
    ].map((result) => (result.ok ? 'accepted' : result.problem.code))
    expect(codes).toEqual(['conflict', 'conflict', 'expired'])
    expect(again({ name: 'other', key: generateKey('delegate').privateKey, expires: '2026-07-01T00:00:00Z' }).ok).toBe(true)
  })

  test('[pki.root] a threshold of 0, above the holders, or a holder listed twice makes no root', () => {
    const codes = [0, 10].map((threshold) => appendOperation(empty, approvedBy(propose(empty, rootBody(threshold), t(1)), five), logKey))
    expect(codes.map((result) => result.ok || result.problem.message)).toEqual(['the threshold 0 is not between 1 and the 9 holders', 'the threshold 10 is not between 1 and the 9 holders'])
    const twice: OperationBody = { type: 'init', root: { version: 1, holders: [...holders, { ...holders[0]!, name: 'again' }], threshold: 5, expires: '2027-01-01T00:00:00Z', log: keyToJwk(logKey) } }
    const result = appendOperation(empty, approvedBy(propose(empty, twice, t(1)), five), logKey)
    expect(result.ok || result.problem.message).toBe('a holder key is listed twice')
  })

  test('[pki.operation] an approved operation counts in its one place of the log only', () => {
    const log = append(empty, rootBody(), five, 1)
    const stale = approvedBy(propose(empty, rootBody(), t(1)), five)
    const result = appendOperation(log, stale, logKey)
    expect(result.ok === false && result.problem.code).toBe('sequence')
  })

  test('[pki.operation] approvals bind the operation to the history before it: a fork cannot replay them', () => {
    const log = append(empty, rootBody(), five, 1)
    const body: OperationBody = { type: 'revoke-delegate', name: 'x', reason: 'test' }
    const fork = append(empty, rootBody(), holderKeys.slice(4, 9), 1)
    const approvedHere = approvedBy(propose(log, body, t(2)), five)
    expect(approvedHere.operation.previous).not.toBe(propose(fork, body, t(2)).operation.previous)
    const result = appendOperation(fork, approvedHere, logKey)
    expect(result.ok === false && result.problem.code).toBe('previous')
  })

  test('[pki.operation] an operation after the root expired is refused', () => {
    const log = append(empty, rootBody(5, '2026-01-05T00:00:00Z'), five, 1)
    const body: OperationBody = { type: 'revoke-delegate', name: 'x', reason: 'test' }
    const result = appendOperation(log, approvedBy(propose(log, body, t(6)), five), logKey)
    expect(result.ok === false && result.problem.code).toBe('root-expired')
  })

  test('[pki.log.append] the log key must be the root’s', () => {
    const other = generateKey('log').privateKey
    const result = appendOperation(empty, approvedBy(propose(empty, rootBody(), t(1)), five), other)
    expect(result.ok === false && result.problem.code).toBe('log-key')
  })
})

describe('verifying an artifact', () => {
  const crate = Buffer.from('the bytes of serde-1.0.0.crate')
  const log = pkiWithDelegates()
  const signed = signArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, { purpose: 'crates-io', delegate: 'crates-io-2026', key: cratesKey, time: t(10) })
  const at = (day: number) => ({ purpose: 'crates-io' as const, now: t(day) })

  test('[pki.verify] [pki.artifact] a good signature walks artifact -> delegate -> root', () => {
    const result = verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, signed, log, at(10))
    expect(result.ok).toBe(true)
    if (result.ok) expect([result.delegate.name, result.root.version]).toEqual(['crates-io-2026', 1])
    // Ed25519 is deterministic: the same statement signed again gives the same bytes.
    expect(signArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, { purpose: 'crates-io', delegate: 'crates-io-2026', key: cratesKey, time: t(10) })).toEqual(signed)
  })

  test('[pki.verify] other bytes fail at the artifact step', () => {
    const result = verifyArtifact({ name: 'serde-1.0.0.crate', bytes: Buffer.from('other bytes') }, signed, log, at(10))
    expect(result).toMatchObject({ ok: false, step: 'artifact', code: 'digest-mismatch' })
  })

  test('[pki.delegate.purpose] a delegate used outside its purpose is refused', () => {
    const asRelease = signArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, { purpose: 'crates-io', delegate: 'releases-2026', key: releaseKey, time: t(10) })
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, asRelease, log, at(10))).toMatchObject({ ok: false, step: 'delegate', code: 'wrong-purpose' })
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, signed, log, { purpose: 'releases', now: t(10) })).toMatchObject({ ok: false, step: 'artifact', code: 'wrong-purpose' })
  })

  test('[pki.delegate.expiry] a delegate is refused from its expiry on, by the injected clock', () => {
    const release = signArtifact({ name: 'ferrule-0.2.0.tar.gz', bytes: crate }, { purpose: 'releases', delegate: 'releases-2026', key: releaseKey, time: t(10) })
    const check = (now: Date) => verifyArtifact({ name: 'ferrule-0.2.0.tar.gz', bytes: crate }, release, log, { purpose: 'releases', now })
    expect(check(new Date('2026-06-30T23:59:59Z')).ok).toBe(true)
    expect(check(new Date('2026-07-01T00:00:00Z'))).toMatchObject({ ok: false, step: 'delegate', code: 'expired' })
  })

  test('[pki.root.expiry] an artifact is refused once the root has expired, by the injected clock', () => {
    const early = append(append(empty, rootBody(5, '2026-03-01T00:00:00Z'), five, 1), { type: 'issue-delegate', delegate: { name: 'c', purpose: 'crates-io', key: keyToJwk(cratesKey), expires: '2026-12-01T00:00:00Z' } }, five, 2)
    const sig = signArtifact({ name: 'a', sha256: 'a'.repeat(64) }, { purpose: 'crates-io', delegate: 'c', key: cratesKey, time: t(3) })
    expect(verifyArtifact({ name: 'a', sha256: 'a'.repeat(64) }, sig, early, { purpose: 'crates-io', now: new Date('2026-02-28T00:00:00Z') }).ok).toBe(true)
    expect(verifyArtifact({ name: 'a', sha256: 'a'.repeat(64) }, sig, early, { purpose: 'crates-io', now: new Date('2026-03-01T00:00:00Z') })).toMatchObject({ ok: false, step: 'root', code: 'root-expired' })
  })

  test('[pki.delegate.revocation] a revoked delegate is refused, for what it signed before too', () => {
    const revoked = append(log, { type: 'revoke-delegate', name: 'crates-io-2026', reason: 'key leaked' }, five, 11)
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, signed, revoked, at(12))).toEqual({ ok: false, step: 'delegate', code: 'revoked', message: 'the delegate `crates-io-2026` was revoked (entry 3: key leaked)' })
    // Revocation needs the quorum like any operation.
    const r = appendOperation(log, approvedBy(propose(log, { type: 'revoke-delegate', name: 'crates-io-2026', reason: 'x' }, t(11)), holderKeys.slice(0, 4)), logKey)
    expect(r.ok).toBe(false)
  })

  test('[pki.operation.replace-delegate] a replaced key signs nothing more; the new key does', () => {
    const newKey = generateKey('delegate').privateKey
    const replaced = append(log, { type: 'replace-delegate', delegate: { name: 'crates-io-2026', purpose: 'crates-io', key: keyToJwk(newKey), expires: '2026-12-01T00:00:00Z' } }, five, 11)
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, signed, replaced, at(12))).toMatchObject({ ok: false, step: 'delegate', code: 'replaced' })
    const again = signArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, { purpose: 'crates-io', delegate: 'crates-io-2026', key: newKey, time: t(12) })
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, again, replaced, at(12)).ok).toBe(true)
  })

  test('[pki.verify] an unknown key, or a forged signature, fails at the delegate step', () => {
    const stranger = generateKey('delegate').privateKey
    const forged = signArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, { purpose: 'crates-io', delegate: 'crates-io-2026', key: stranger, time: t(10) })
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, forged, log, at(10))).toMatchObject({ ok: false, step: 'delegate', code: 'unknown-delegate' })
    const swapped = { statement: { ...forged.statement, keyId: keyId(cratesKey) }, signature: forged.signature }
    expect(verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, swapped, log, at(10))).toMatchObject({ ok: false, step: 'delegate', code: 'bad-signature' })
  })

  test('[pki.verify] a log tampered with fails at the root step', () => {
    const entries = [...log.entries]
    entries[2] = { ...entries[2]!, operation: { ...entries[2]!.operation, time: '2026-01-03T00:00:01Z' } }
    const result = verifyArtifact({ name: 'serde-1.0.0.crate', bytes: crate }, signed, { entries, heads: log.heads }, at(10))
    expect(result).toMatchObject({ ok: false, step: 'root', code: 'log-invalid' })
  })
})

describe('the log', () => {
  const log = pkiWithDelegates()

  test('[pki.log] [pki.log.verify] [pki.log.tree-head] an honest log of every root operation verifies, with a head per size', () => {
    const report = verifyLog(log)
    expect(report.problems).toEqual([])
    expect(log.heads.map((h) => h.size)).toEqual([1, 2, 3])
    // Tree heads are signed with Ed25519 and carry the time of their last entry: the same log gives the same bytes.
    const again = pkiWithDelegatesWithSameKeys()
    expect(again.heads.map((h) => canonicalJson(h))).toEqual(log.heads.map((h) => canonicalJson(h)))
  })

  // The same entries appended again under the same log key.
  function pkiWithDelegatesWithSameKeys(): PkiLog {
    let rebuilt: PkiLog = { entries: [], heads: [] }
    for (const entry of log.entries) {
      const result = appendOperation(rebuilt, entry, logKey)
      if (!result.ok) throw new Error(result.problem.message)
      rebuilt = result.log
    }
    return rebuilt
  }

  test('[pki.log.verify] an altered entry is caught by the head of its size', () => {
    const entries = log.entries.map((entry) => structuredClone(entry))
    entries[1]!.operation = { ...entries[1]!.operation, time: '2026-01-02T12:00:00Z' }
    const report = verifyLog({ entries, heads: log.heads })
    expect(report.ok).toBe(false)
    // The operation no longer matches its approvals, and the head of size 2 no longer matches.
    expect(report.problems.map((p) => p.code)).toEqual(['entry', 'inconsistent'])
    expect(report.problems[1]).toMatchObject({ size: 2, index: 1 })
  })

  test('[pki.log.verify] a removed entry is caught', () => {
    const entries = [log.entries[0]!, log.entries[2]!]
    const report = verifyLog({ entries, heads: log.heads })
    expect(report.problems.map((p) => [p.code, p.index])).toEqual([['entry', 1], ['inconsistent', 1]])
    // The head of the whole log, cut short together with the log, is caught by a head kept from before.
    const cut = { entries: log.entries.slice(0, 2), heads: log.heads.slice(0, 2) }
    expect(verifyLog(cut).ok).toBe(true)
    expect(verifyLog(cut, { since: [log.heads[2]!] }).problems.map((p) => p.code)).toEqual(['inconsistent'])
  })

  test('[pki.log.verify] reordered entries are caught', () => {
    const entries = [log.entries[0]!, log.entries[2]!, log.entries[1]!]
    const report = verifyLog({ entries, heads: log.heads })
    expect(report.problems.map((p) => [p.code, p.size])).toEqual([['entry', undefined], ['inconsistent', 2]])
  })

  test('[pki.log.consistency] a kept tree head catches a rewritten history even when the rewrite is re-signed', () => {
    // An attacker with the log key but without a quorum cannot rewrite entries (their approvals fail);
    // with the log key they can re-sign heads of a log that drops the last operation and adds another.
    const rewritten = appendOperation({ entries: log.entries.slice(0, 2), heads: log.heads.slice(0, 2) }, approvedBy(propose({ entries: log.entries.slice(0, 2) }, { type: 'revoke-delegate', name: 'releases-2026', reason: 'fork' }, t(3)), five), logKey)
    expect(rewritten.ok).toBe(true)
    if (!rewritten.ok) return
    expect(verifyLog(rewritten.log).ok).toBe(true)
    expect(verifyLog(rewritten.log, { since: [log.heads[2]!] }).problems).toEqual([
      { code: 'inconsistent', size: 3, message: 'the log does not extend the kept tree head of size 3: an entry before 3 was removed, altered or reordered' },
    ])
  })

  test('[pki.log.tree-head] a head with a forged signature or another root is refused', () => {
    const forged = { ...log.heads[2]!, root: '0'.repeat(64) }
    expect(verifyLog({ entries: log.entries, heads: [...log.heads.slice(0, 2), forged] }).problems.map((p) => p.code)).toEqual(['head-signature'])
  })

  test('[pki.log.replay] a log that never makes the trusted root is refused; one that does is not', () => {
    const other = append(empty, rootBody(6), holderKeys.slice(0, 6), 1)
    const trustedRoot = replay(log.entries).state.root!
    expect(verifyLog(other, { trustedRoot }).problems.map((p) => p.code)).toEqual(['untrusted-root'])
    expect(replay(other.entries, { trustedRoot }).problem).toMatchObject({ index: 1, problem: { code: 'untrusted-root' } })
    expect(verifyLog(log, { trustedRoot }).ok).toBe(true)
    // The root a later change of quorum made can be pinned too.
    const changed = append(log, { type: 'change-quorum', holders: holders.slice(0, 5), threshold: 3 }, five, 4)
    const current = replay(changed.entries).state.root!
    expect(current.version).toBe(2)
    expect(verifyLog(changed, { trustedRoot: current }).ok).toBe(true)
    expect(verifyLog(log, { trustedRoot: current }).problems.map((p) => p.code)).toEqual(['untrusted-root'])
  })
})

describe('a new log key', () => {
  test('[pki.log.tree-head] after a replace-root with a new log key, heads are signed by the new key only', () => {
    const log = append(empty, rootBody(), five, 1)
    const newLogKey = generateKey('log').privateKey
    const nextRoot = { version: 2, holders, threshold: 5, expires: '2028-01-01T00:00:00Z', log: keyToJwk(newLogKey) }
    const request = approvedBy(propose(log, { type: 'replace-root', root: nextRoot }, t(2)), five)
    const withOld = appendOperation(log, request, logKey)
    expect(withOld.ok || withOld.problem.code).toBe('log-key')
    const replaced = appendOperation(log, request, newLogKey)
    expect(replaced.ok).toBe(true)
    if (!replaced.ok) return
    expect(verifyLog(replaced.log).ok).toBe(true)
    // The old log key cannot sign the head that covers the new root.
    const forged = { ...replaced.head, signature: signMessage(logKey, messages.treeHead(replaced.head)) }
    expect(verifyLog({ entries: replaced.log.entries, heads: [replaced.log.heads[0]!, forged] }).problems.map((p) => p.code)).toEqual(['head-signature'])
  })
})

describe('documents', () => {
  test('[pki.documents] a proposal file is checked field by field, naming the file and the field', () => {
    const request = approvedBy(propose(empty, rootBody(), t(1)), five.slice(0, 1))
    expect(parseRequest(JSON.parse(JSON.stringify(request)), 'p.json')).toEqual(request)
    const bad = JSON.parse(JSON.stringify(request))
    bad.operation.root.threshold = 10
    expect(() => parseRequest(bad, 'p.json')).toThrow('p.json: operation.root.threshold: the threshold 10 is more than the 9 key holders')
    bad.operation.root.threshold = 5
    bad.operation.root.holders[0].key = keyToJwk(releaseKey)
    expect(() => parseRequest(bad, 'p.json')).toThrow('p.json: operation.root.holders[0].key: expected an ECDSA P-384 key for a holder, found an ed25519 key')
  })
})

test('the public API of ferrule/security/signing', () => {
  expect(Object.keys(signing).sort()).toEqual([
    'DocumentError', 'KeyError', 'PURPOSES', 'appendOperation', 'approve', 'canonicalJson', 'consistencyProof', 'countApprovals', 'currentDelegate',
    'describeQuorum', 'entryBytes', 'generateKey', 'holderOf', 'inclusionProof', 'keyId', 'keyPairToPem', 'keyToJwk', 'leafHash', 'leafHashes',
    'messages', 'nodeHash', 'operationTypes', 'parseEntry', 'parseOperation', 'parseRequest', 'parseRoot', 'parseSignatureFile', 'parseTreeHead',
    'propose', 'proveConsistency', 'proveInclusion', 'readPrivateKey', 'readPublicKey', 'replay', 'rootFromInclusionProof', 'sha256Hex',
    'signArtifact', 'signMessage', 'signTreeHead', 'timeOf', 'treeHash', 'treeHeadOf', 'verifyArtifact', 'verifyConsistency',
    'verifyEntryInclusion', 'verifyHeadConsistency', 'verifyInclusion', 'verifyLog', 'verifyMessage', 'verifySteps', 'verifyTreeHead',
  ])
})
