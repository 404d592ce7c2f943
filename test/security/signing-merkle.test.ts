// The Merkle tree against RFC 6962's own recursive definitions (section 2.1), written again here as
// plainly as the RFC states them, on the entries' bytes rather than on leaf hashes.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { appendToFrontier, type Frontier, frontierHash } from '../../tools/security/signing/merkle.ts'
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../tools/security/signing/index.ts'

const SHA256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest()

/** k: the largest power of two smaller than n, for n > 1. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1
  while (k < n) k <<= 1
  return k >> 1
}

/** MTH(D[n]) of RFC 6962, 2.1. */
function MTH(D: Buffer[]): Buffer {
  const n = D.length
  if (n === 0) return SHA256()
  if (n === 1) return SHA256(Buffer.from([0x00]), D[0]!)
  const k = largestPowerOfTwoBelow(n)
  return SHA256(Buffer.from([0x01]), MTH(D.slice(0, k)), MTH(D.slice(k, n)))
}

/** PATH(m, D[n]) of RFC 6962, 2.1.1. */
function PATH(m: number, D: Buffer[]): Buffer[] {
  const n = D.length
  if (n === 1) return []
  const k = largestPowerOfTwoBelow(n)
  if (m < k) return [...PATH(m, D.slice(0, k)), MTH(D.slice(k, n))]
  return [...PATH(m - k, D.slice(k, n)), MTH(D.slice(0, k))]
}

/** PROOF(m, D[n]) of RFC 6962, 2.1.2, through SUBPROOF. */
function PROOF(m: number, D: Buffer[]): Buffer[] {
  return SUBPROOF(m, D, true)
}

function SUBPROOF(m: number, D: Buffer[], b: boolean): Buffer[] {
  const n = D.length
  if (m === n) return b ? [] : [MTH(D)]
  const k = largestPowerOfTwoBelow(n)
  if (m <= k) return [...SUBPROOF(m, D.slice(0, k), b), MTH(D.slice(k, n))]
  return [...SUBPROOF(m - k, D.slice(k, n), false), MTH(D.slice(0, k))]
}

const data = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`))
const flip = (hash: Uint8Array) => {
  const copy = Buffer.from(hash)
  copy[0]! ^= 1
  return copy
}

describe('RFC 6962 hashing', () => {
  test('[pki.log.leaf] a leaf is SHA-256(0x00 || entry), the empty tree SHA-256 of nothing', () => {
    expect(leafHash(Buffer.from('x')).toString('hex')).toBe(createHash('sha256').update(Buffer.from([0x00, 0x78])).digest('hex'))
    expect(treeHash([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  test('[pki.log.tree] MTH, PATH and PROOF equal the RFC definitions for every size 1..64, every index and every pair', () => {
    for (let n = 1; n <= 64; n++) {
      const D = data(n)
      const leaves = D.map(leafHash)
      const root = MTH(D)
      expect(treeHash(leaves).equals(root)).toBe(true)
      for (let m = 0; m < n; m++) {
        const path = PATH(m, D)
        expect(inclusionProof(leaves, m)).toEqual(path)
        expect(verifyInclusion(m, n, leaves[m]!, path, root)).toBe(true)
        // The same proof of another leaf, at another index, or with a hash flipped, fails.
        expect(verifyInclusion(m, n, leafHash(Buffer.from('other')), path, root)).toBe(false)
        if (n > 1) {
          expect(verifyInclusion((m + 1) % n, n, leaves[m]!, path, root)).toBe(false)
          expect(verifyInclusion(m, n, leaves[m]!, [flip(path[0]!), ...path.slice(1)], root)).toBe(false)
        }
      }
      for (let m = 1; m <= n; m++) {
        const proof = m === n ? [] : PROOF(m, D)
        const old = MTH(D.slice(0, m))
        expect(consistencyProof(leaves, m)).toEqual(proof)
        expect(verifyConsistency(m, n, old, root, proof)).toBe(true)
        if (m < n) {
          expect(verifyConsistency(m, n, flip(old), root, proof)).toBe(false)
          expect(verifyConsistency(m, n, old, flip(root), proof)).toBe(false)
          expect(verifyConsistency(m, n, old, root, [flip(proof[0]!), ...proof.slice(1)])).toBe(false)
          expect(verifyConsistency(m, n, old, root, proof.slice(0, -1))).toBe(false)
        }
      }
    }
  })

  test('[pki.log.tree] the frontier a replay keeps gives MTH at every size', () => {
    let frontier: Frontier = []
    const D = data(70)
    expect(frontierHash(frontier).equals(MTH([]))).toBe(true)
    for (let n = 1; n <= D.length; n++) {
      frontier = appendToFrontier(frontier, leafHash(D[n - 1]!))
      expect(frontierHash(frontier).equals(MTH(D.slice(0, n)))).toBe(true)
    }
  })

  test('[pki.log.consistency] the empty tree is a prefix of every tree; a tree is a prefix of itself only', () => {
    const leaves = data(5).map(leafHash)
    expect(verifyConsistency(0, 5, treeHash([]), treeHash(leaves), [])).toBe(true)
    expect(verifyConsistency(0, 5, flip(treeHash([])), treeHash(leaves), [])).toBe(false)
    expect(verifyConsistency(5, 5, treeHash(leaves), treeHash(leaves), [])).toBe(true)
    expect(verifyConsistency(5, 5, treeHash(leaves), flip(treeHash(leaves)), [])).toBe(false)
    expect(verifyConsistency(6, 5, treeHash(leaves), treeHash(leaves), [])).toBe(false)
  })

  test('[pki.log.tree] property: for any entries, proofs match the RFC and detect a removed, altered or reordered entry', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 16 }), { minLength: 2, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('remove', 'alter', 'swap'),
        (arrays, a, b, tamper) => {
          // Distinct entries (each starts with its index), so that every tampering changes the prefix.
          const D = arrays.map((bytes, j) => Buffer.concat([Buffer.from([j]), bytes]))
          const n = D.length
          const m = 1 + (a % (n - 1)) // 1 <= m < n
          const index = b % n
          const leaves = D.map(leafHash)
          expect(inclusionProof(leaves, index)).toEqual(PATH(index, D))
          expect(consistencyProof(leaves, m)).toEqual(PROOF(m, D))
          // A verifier holds the head of the first m entries; the log then tampers with an entry i < m.
          const oldRoot = MTH(D.slice(0, m))
          const i = index % m
          const tampered = [...D]
          if (tamper === 'remove') tampered.splice(i, 1)
          else if (tamper === 'alter') tampered[i] = Buffer.concat([D[i]!, Buffer.from([1])])
          else [tampered[i], tampered[i + 1]] = [tampered[i + 1]!, tampered[i]!]
          const tamperedLeaves = tampered.map(leafHash)
          const newRoot = treeHash(tamperedLeaves)
          const size = tampered.length
          // The consistency proof the tampered log can give does not link the kept head to its new head.
          expect(verifyConsistency(m, size, oldRoot, newRoot, consistencyProof(tamperedLeaves, m))).toBe(false)
          // Entry i, as the verifier knows it, is not at its place under the new head.
          expect(verifyInclusion(i, size, leaves[i]!, inclusionProof(tamperedLeaves, i), newRoot)).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })
})
