import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { runCratesec as run } from './helpers/run-cratesec.ts'
import { generateKey, keyId, keyPairToPem } from '../../tools/security/signing/index.ts'


let work: string
const file = (name: string) => path.join(work, name)
const holderIds: string[] = []

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-pki-cli-'))
  for (let i = 1; i <= 9; i++) {
    const pair = generateKey('holder')
    holderIds.push(keyId(pair.publicKey))
    const pem = keyPairToPem(pair)
    await writeFile(file(`holder-${i}.pem`), pem.privateKey)
    // Holders 1 to 3 give their public keys as JWK, the others as PEM.
    await writeFile(file(`holder-${i}.pub`), i <= 3 ? JSON.stringify(pair.publicKey.export({ format: 'jwk' })) : pem.publicKey)
  }
  for (const name of ['log', 'crates']) {
    const pem = keyPairToPem(generateKey('log'))
    await writeFile(file(`${name}.pem`), pem.privateKey)
    await writeFile(file(`${name}.pub`), pem.publicKey)
  }
  await writeFile(file('serde-1.0.0.crate'), 'the bytes of a crate')
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

const holderArgs = () => Array.from({ length: 9 }, (_, i) => ['--holder', `holder-${i + 1}=${file(`holder-${i + 1}.pub`)}`]).flat()
const sign = (proposal: string, i: number) => run('pki', 'sign', proposal, '--key', file(`holder-${i}.pem`), '--dir', file('pki'))

describe('cratesec pki: the key ceremony end to end', () => {
  test('[pki.cli] [pki.cli.files] init, sign by 4 (refused), 5 (applied), a delegate, an artifact verified, the log verified', async () => {
    const init = file('init.json')
    expect(await run('pki', 'init', ...holderArgs(), '--threshold', '5', '--expires', '2030-01-01T00:00:00Z', '--log-key', file('log.pub'), '--out', init, '--time', '2026-01-01T00:00:00Z')).toMatchObject({ status: 0 })
    for (let i = 1; i <= 4; i++) expect((await sign(init, i)).status).toBe(0)
    const four = await run('pki', 'approve', init, '--dir', file('pki'), '--log-key', file('log.pem'))
    expect(four).toEqual({ status: 1, stdout: `${init}: refused (quorum): 4 distinct holders of the new root approved, 5 needed\n`, stderr: '' })
    // A holder signing again adds nothing.
    expect((await sign(init, 2)).stdout).toBe(`${init}: the key ${holderIds[1]} approved it already; nothing added; so far 4 distinct holders of the new root approved, 5 needed\n`)
    expect((await sign(init, 9)).stdout).toBe(`${init}: approved by the key ${holderIds[8]}; so far 5 distinct holders of the new root approved, 5 needed\n`)
    const five = await run('pki', 'approve', init, '--dir', file('pki'), '--log-key', file('log.pem'), '--json')
    expect(five.status).toBe(0)
    const applied = JSON.parse(five.stdout)
    expect([applied.index, applied.head.size, applied.quorums[0].approvedBy]).toEqual([0, 1, ['holder-1', 'holder-2', 'holder-3', 'holder-4', 'holder-9']])
    await writeFile(file('head-1.json'), JSON.stringify(applied.head))
    expect(JSON.parse(await readFile(file('pki/root.json'), 'utf8'))).toMatchObject({ version: 1, threshold: 5 })

    const issue = file('issue.json')
    const proposed = await run('pki', 'propose', 'issue-delegate', '--dir', file('pki'), '--out', issue, '--name', 'crates-io-2026', '--purpose', 'crates-io', '--key', file('crates.pub'), '--expires', '2027-01-01T00:00:00Z', '--time', '2026-01-02T00:00:00Z')
    expect(proposed).toEqual({ status: 0, stdout: `${issue}: the proposal of issue-delegate as entry 1 of ${file('pki')}\n`, stderr: '' })
    for (const i of [5, 6, 7, 8, 9]) await sign(issue, i)
    expect((await run('pki', 'approve', issue, '--dir', file('pki'), '--log-key', file('log.pem'))).status).toBe(0)

    const crate = file('serde-1.0.0.crate')
    const sig = file('serde-1.0.0.crate.sig')
    expect((await run('pki', 'sign-artifact', crate, '--delegate', 'crates-io-2026', '--purpose', 'crates-io', '--key', file('crates.pem'), '--out', sig, '--time', '2026-02-01T00:00:00Z')).status).toBe(0)
    const verify = (...extra: string[]) => run('pki', 'verify', crate, '--signature', sig, '--dir', file('pki'), ...extra)
    const good = await verify('--purpose', 'crates-io', '--at', '2026-02-01T00:00:00Z')
    expect(good.status).toBe(0)
    expect(good.stdout).toMatch(/: verified: signed for crates-io by the delegate crates-io-2026 \(key [A-Za-z0-9_-]+, issued by entry 1\), under the root of version 1\n$/)
    expect(await verify('--purpose', 'releases', '--at', '2026-02-01T00:00:00Z')).toMatchObject({ status: 1, stdout: `${crate}: refused at the artifact step (wrong-purpose): the artifact is signed for crates-io, needed for releases\n` })
    const late = await verify('--purpose', 'crates-io', '--at', '2027-01-01T00:00:00Z', '--json')
    expect(JSON.parse(late.stdout)).toMatchObject({ ok: false, step: 'delegate', code: 'expired' })
    expect(late.status).toBe(1)
    await writeFile(file('other.crate'), 'other bytes')
    expect((await run('pki', 'verify', file('other.crate'), '--name', 'serde-1.0.0.crate', '--signature', sig, '--dir', file('pki'), '--purpose', 'crates-io', '--at', '2026-02-01T00:00:00Z')).stdout).toContain('refused at the artifact step (digest-mismatch)')
    // Expiry is judged at --at, which verify needs: never at the clock, whatever it says.
    const noTime = await verify('--purpose', 'crates-io')
    expect(noTime.status).toBe(2)
    expect(noTime.stderr).toMatch(/^cratesec pki: `pki verify` needs --at\n/)
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      for (const clock of ['2020-01-01T00:00:00Z', '2040-01-01T00:00:00Z']) {
        vi.setSystemTime(new Date(clock))
        expect((await verify('--purpose', 'crates-io', '--at', '2026-02-01T00:00:00Z')).stdout, clock).toBe(good.stdout)
      }
    } finally {
      vi.useRealTimers()
    }

    const logVerify = await run('pki', 'log-verify', '--dir', file('pki'), '--since', file('head-1.json'), '--inclusion', '0', '--trust', file('pki/root.json'))
    expect(logVerify.status).toBe(0)
    expect(logVerify.stdout).toMatch(/^.*: 2 entries, 2 signed tree heads; tree hash [0-9a-f]{64}: verified\n {2}consistent with the kept head of size 1 \(proof of 1 hashes\)\n {2}entry 0 is included in the tree head of size 2: [0-9a-f]{64}\n$/)

    // Revocation through the same ceremony.
    const revoke = file('revoke.json')
    await run('pki', 'propose', 'revoke-delegate', '--dir', file('pki'), '--out', revoke, '--name', 'crates-io-2026', '--reason', 'key leaked', '--time', '2026-03-01T00:00:00Z')
    for (const i of [1, 2, 3, 4, 5]) await sign(revoke, i)
    expect((await run('pki', 'approve', revoke, '--dir', file('pki'), '--log-key', file('log.pem'))).status).toBe(0)
    expect((await verify('--purpose', 'crates-io', '--at', '2026-03-02T00:00:00Z')).stdout).toBe(`${crate}: refused at the delegate step (revoked): the delegate \`crates-io-2026\` was revoked (entry 2: key leaked)\n`)

    // Tampering: two entries swapped in the log file.
    const logFile = file('pki/log.jsonl')
    const lines = (await readFile(logFile, 'utf8')).trimEnd().split('\n')
    await writeFile(logFile, `${[lines[0], lines[2], lines[1]].join('\n')}\n`)
    const tampered = await run('pki', 'log-verify', '--dir', file('pki'), '--json')
    expect(tampered.status).toBe(1)
    expect(JSON.parse(tampered.stdout).problems.map((p: { code: string; index?: number }) => [p.code, p.index])).toEqual([['entry', 1], ['inconsistent', 1]])
    await writeFile(logFile, `${lines.join('\n')}\n`)
    expect((await run('pki', 'log-verify', '--dir', file('pki'))).status).toBe(0)

    // [pki.log.verify] Every entry removed, the signed heads kept: the heads still tell.
    await writeFile(logFile, '')
    const emptied = await run('pki', 'log-verify', '--dir', file('pki'), '--json')
    expect(emptied.status).toBe(1)
    expect(JSON.parse(emptied.stdout).problems).toEqual([{ code: 'inconsistent', size: 3, message: 'the log has no entries, but 3 signed tree heads, the newest of size 3: its entries were removed' }])
    // [pki.log.append] The last entry removed: no operation is appended to it, however well approved.
    await writeFile(logFile, `${lines.slice(0, 2).join('\n')}\n`)
    const again = file('again.json')
    expect((await run('pki', 'propose', 'revoke-delegate', '--dir', file('pki'), '--out', again, '--name', 'crates-io-2026', '--reason', 'again', '--time', '2026-03-05T00:00:00Z')).status).toBe(0)
    for (const i of [1, 2, 3, 4, 5]) await sign(again, i)
    const appended = await run('pki', 'approve', again, '--dir', file('pki'), '--log-key', file('log.pem'))
    expect(appended.status).toBe(1)
    expect(appended.stdout).toContain('refused (log): the log does not verify: a tree head of size 3, but the log has 2 entries: entries were removed')
    await writeFile(logFile, `${lines.join('\n')}\n`)
  })
})

describe('cratesec pki: mistakes', () => {
  test('[pki.cli] a missing or malformed input is named, with exit status 2 and no stack trace', async () => {
    const missing = await run('pki', 'sign', file('nope.json'), '--key', file('holder-1.pem'))
    expect(missing).toEqual({ status: 2, stdout: '', stderr: `cratesec pki: ${file('nope.json')}: cannot read a proposal (ENOENT)\n` })
    await writeFile(file('broken.json'), '{"operation": {"type": "init"}, "approvals": []}')
    expect((await run('pki', 'sign', file('broken.json'), '--key', file('holder-1.pem'))).stderr).toBe(`cratesec pki: ${file('broken.json')}: operation.sequence: expected an integer of at least 0, found nothing\n`)
    const wrongKind = await run('pki', 'init', '--holder', `a=${file('crates.pub')}`, '--threshold', '1', '--expires', '2030-01-01T00:00:00Z', '--log-key', file('log.pub'), '--out', file('x.json'))
    expect(wrongKind).toEqual({ status: 2, stdout: '', stderr: `cratesec pki: ${file('crates.pub')}: expected an ECDSA P-384 key for a holder, found an ed25519 key\n` })
    const notAKey = await run('pki', 'approve', file('init.json'), '--dir', file('pki'), '--log-key', file('serde-1.0.0.crate'))
    expect(notAKey).toEqual({ status: 2, stdout: '', stderr: `cratesec pki: ${file('serde-1.0.0.crate')}: not a PEM or JWK private key\n` })
    // A proposal that no holder could sign is not written.
    const twice = await run('pki', 'init', '--holder', `a=${file('holder-1.pub')}`, '--holder', `b=${file('holder-1.pub')}`, '--threshold', '1', '--expires', '2030-01-01T00:00:00Z', '--log-key', file('log.pub'), '--out', file('twice.json'))
    expect(twice).toEqual({ status: 2, stdout: '', stderr: "cratesec pki: the proposal: operation.root.holders[1]: the key of `b` is another holder's too\n" })
    await expect(readFile(file('twice.json'))).rejects.toThrow(/ENOENT/)
    // A misspelt folder is no empty log that verifies: what only reads a log needs one.
    const typo = file('pkk')
    const noLog = `cratesec pki: ${typo}: no PKI log here (no log.jsonl); expected a folder that \`cratesec pki approve\` wrote\n`
    expect(await run('pki', 'log-verify', '--dir', typo)).toEqual({ status: 2, stdout: '', stderr: noLog })
    expect(await run('pki', 'verify', file('serde-1.0.0.crate'), '--signature', file('serde-1.0.0.crate.sig'), '--dir', typo, '--purpose', 'crates-io', '--at', '2026-02-01T00:00:00Z')).toEqual({ status: 2, stdout: '', stderr: noLog })
  })

  test('[pki.cli] bad usage gives the usage and exit status 2', async () => {
    const result = await run('pki', 'verify', file('serde-1.0.0.crate'), '--purpose', 'email')
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/^cratesec pki: --purpose: expected one of releases, crates-io, commit-signing, got `email`\n\nUsage: cratesec pki init/)
    expect((await run('pki', 'init', '--holder', 'Bad Name=x', '--threshold', '1', '--expires', '2030-01-01T00:00:00Z', '--log-key', 'x', '--out', 'y')).status).toBe(2)
    expect((await run('pki', 'frobnicate')).stderr).toMatch(/unknown action `frobnicate`/)
  })
})
