// The Merkle tree of RFC 6962 (Certificate Transparency), section 2.1, with the verification
// algorithms of RFC 9162, sections 2.1.3.2 and 2.1.4.2. The one piece of the PKI written here
// rather than taken from node:crypto: SHA-256 itself is node:crypto's.
import { createHash } from 'node:crypto'

/** A SHA-256 hash, 32 bytes. */
export type Hash = Buffer

const sha256 = (...parts: Uint8Array[]): Hash => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest()
}

const leafPrefix = Buffer.from([0x00])
const nodePrefix = Buffer.from([0x01])

/** The hash of a leaf: SHA-256(0x00 || entry) (RFC 6962, 2.1). */
export function leafHash(entry: Uint8Array): Hash {
  return sha256(leafPrefix, entry)
}

/** The hash of an interior node: SHA-256(0x01 || left || right) (RFC 6962, 2.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return sha256(nodePrefix, left, right)
}

/** The largest power of two smaller than `n` (n > 1): the split point k of RFC 6962, 2.1. */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * MTH(D[n]), the Merkle Tree Hash of the leaves whose hashes are `leaves` (RFC 6962, 2.1):
 * SHA-256() for none, the leaf hash for one, else the node hash of the hashes of the first k and
 * the other n - k leaves.
 */
export function treeHash(leaves: readonly Hash[], start = 0, end = leaves.length): Hash {
  const n = end - start
  if (n === 0) return sha256()
  if (n === 1) return leaves[start]!
  const k = split(n)
  return nodeHash(treeHash(leaves, start, start + k), treeHash(leaves, start + k, end))
}

/**
 * PATH(m, D[n]), the audit path of leaf `m` in the tree of `leaves` (RFC 6962, 2.1.1): the hashes
 * that, with the leaf's, recompute the tree hash. Throws when m is not a leaf of the tree.
 */
export function inclusionProof(leaves: readonly Hash[], m: number, start = 0, end = leaves.length): Hash[] {
  if (!Number.isInteger(m) || m < 0 || m >= end - start) throw new RangeError(`Leaf ${m} is not in a tree of ${end - start} leaves`)
  const n = end - start
  if (n === 1) return []
  const k = split(n)
  return m < k
    ? [...inclusionProof(leaves, m, start, start + k), treeHash(leaves, start + k, end)]
    : [...inclusionProof(leaves, m - k, start + k, end), treeHash(leaves, start, start + k)]
}

/**
 * PROOF(m, D[n]), the consistency proof that the tree of the first `m` leaves is a prefix of the
 * tree of all `leaves` (RFC 6962, 2.1.2). Empty when m is 0 or n. Throws when m > n.
 */
export function consistencyProof(leaves: readonly Hash[], m: number): Hash[] {
  if (!Number.isInteger(m) || m < 0 || m > leaves.length) throw new RangeError(`A tree of ${leaves.length} leaves has no prefix of ${m}`)
  if (m === 0 || m === leaves.length) return []
  return subproof(leaves, m, 0, leaves.length, true)
}

/** SUBPROOF(m, D[start:end], b) of RFC 6962, 2.1.2. */
function subproof(leaves: readonly Hash[], m: number, start: number, end: number, whole: boolean): Hash[] {
  const n = end - start
  if (m === n) return whole ? [] : [treeHash(leaves, start, end)]
  const k = split(n)
  return m <= k
    ? [...subproof(leaves, m, start, start + k, whole), treeHash(leaves, start + k, end)]
    : [...subproof(leaves, m - k, start + k, end, false), treeHash(leaves, start, start + k)]
}

/**
 * The tree hash that an inclusion proof gives for leaf `index` of a tree of `size` leaves, or
 * undefined when the proof cannot be one of such a leaf (RFC 9162, 2.1.3.2, steps 1 to 5).
 */
export function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Hash | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size || leaf.length !== 32) return undefined
  // Plain numbers: log sizes stay far below 2^53, and index and size are checked to be safe integers.
  let fn = index
  let sn = size - 1
  let r: Hash = Buffer.from(leaf)
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) return undefined
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 ? r : undefined
}

/** Whether `proof` shows the leaf whose hash is `leaf` at `index` in the tree of `size` leaves whose hash is `root`. */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof)
  return computed !== undefined && computed.equals(root)
}

/**
 * Whether `proof` shows that the tree of `size1` leaves whose hash is `root1` is a prefix of the
 * tree of `size2` leaves whose hash is `root2` (RFC 9162, 2.1.4.2).
 */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false
  if (root1.length !== 32 || root2.length !== 32 || proof.some((p) => p.length !== 32)) return false
  // Step 1 and the cases RFC 9162 leaves to the caller: nothing to prove.
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2)
  // The empty tree is a prefix of every tree; its hash is SHA-256 of nothing.
  if (size1 === 0) return proof.length === 0 && Buffer.from(root1).equals(sha256())
  if (proof.length === 0) return false
  // Step 2: when size1 is a power of two, the first tree is itself a node of the proof.
  const path: Hash[] = isPowerOfTwo(size1) ? [Buffer.from(root1), ...proof.map((p) => Buffer.from(p))] : proof.map((p) => Buffer.from(p))
  // Step 3.
  let fn = size1 - 1
  let sn = size2 - 1
  // Step 4.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 5.
  let fr: Hash = path[0]!
  let sr: Hash = path[0]!
  // Step 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  // Step 7.
  return fr.equals(root1) && sr.equals(root2) && sn === 0
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0
}

/**
 * The right edge of a growing tree: the hashes of its perfect subtrees, largest first, with their
 * sizes. Appending is O(log n), and the tree hash is the node hash of them folded from the right,
 * since MTH splits off the largest perfect subtree first.
 */
export type Frontier = readonly { size: number; hash: Hash }[]

/** The frontier with one more leaf. */
export function appendToFrontier(frontier: Frontier, leaf: Hash): Frontier {
  const next = [...frontier, { size: 1, hash: leaf }]
  while (next.length > 1 && next.at(-1)!.size === next.at(-2)!.size) {
    const right = next.pop()!
    const left = next.pop()!
    next.push({ size: left.size * 2, hash: nodeHash(left.hash, right.hash) })
  }
  return next
}

/** The tree hash of the leaves a frontier stands for: MTH of them. */
export function frontierHash(frontier: Frontier): Hash {
  if (frontier.length === 0) return sha256()
  let hash = frontier.at(-1)!.hash
  for (let i = frontier.length - 2; i >= 0; i--) hash = nodeHash(frontier[i]!.hash, hash)
  return hash
}
