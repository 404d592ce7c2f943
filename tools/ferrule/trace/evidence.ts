import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { canonicalJson } from './canonical-json.ts'

/** A file and its SHA-256. */
export interface EvidenceEntry {
  path: string
  sha256: string
}

/**
 * `evidence.json`: what a matrix was made from and what it is, so that a reviewer can prove that a
 * matrix belongs to exactly these inputs. Input paths are relative to the working folder the matrix
 * was made in; output paths to the matrix folder.
 */
export interface Evidence {
  formatVersion: 1
  /** Ferrule's version. */
  ferrule: string
  inputs: EvidenceEntry[]
  outputs: EvidenceEntry[]
  /** Ed25519 over the manifest without this field (`manifestBytes`). */
  signature?: {
    algorithm: 'ed25519'
    /** The signer's public key, SPKI PEM: a hint; a reviewer verifies against a key they trust. */
    publicKey: string
    /** Base64. */
    value: string
  }
}

/** SHA-256 in hex of `content`, which may come in pieces. */
export function sha256(content: string | Uint8Array | readonly Uint8Array[]): string {
  const hash = createHash('sha256')
  if (typeof content === 'string' || content instanceof Uint8Array) hash.update(content)
  else for (const piece of content) hash.update(piece)
  return hash.digest('hex')
}

/** The manifest of these files (path to content), entries sorted by path. */
export function createEvidence(version: string, inputs: ReadonlyMap<string, string | Uint8Array>, outputs: ReadonlyMap<string, string | Uint8Array>): Evidence {
  const digests = (files: ReadonlyMap<string, string | Uint8Array>) => new Map([...files].map(([path, content]) => [path, sha256(content)]))
  return evidenceOfDigests(version, digests(inputs), digests(outputs))
}

/** The manifest of files given by path and SHA-256, for a caller that hashed each file as it went. */
export function evidenceOfDigests(version: string, inputs: ReadonlyMap<string, string>, outputs: ReadonlyMap<string, string>): Evidence {
  const entries = (files: ReadonlyMap<string, string>) =>
    [...files].map(([path, digest]) => ({ path, sha256: digest })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { formatVersion: 1, ferrule: version, inputs: entries(inputs), outputs: entries(outputs) }
}

/** The bytes that are signed: the manifest without its signature, keys sorted, no white space. */
export function manifestBytes(evidence: Evidence): Buffer {
  const { signature: _signature, ...manifest } = evidence
  return Buffer.from(canonicalJson(manifest))
}

/** Sign with an Ed25519 private key (PEM, PKCS#8). Throws when the key is not Ed25519. */
export function signEvidence(evidence: Evidence, privateKeyPem: string): Evidence {
  const key = createPrivateKey(privateKeyPem)
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`)
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()
  const value = sign(null, manifestBytes(evidence), key).toString('base64')
  return { ...evidence, signature: { algorithm: 'ed25519', publicKey, value } }
}

/** Where `verifyEvidence` reads files: `undefined` for a file that is missing. */
export interface EvidenceFiles {
  input(path: string): Uint8Array | undefined
  output(path: string): Uint8Array | undefined
}

/**
 * Check every digest and, when the manifest is signed, the signature: against `trustedKey` (PEM)
 * when given, else against the key the manifest names (which proves integrity, not who signed).
 * Returns one line per problem; none means the matrix belongs to exactly these inputs.
 */
export function verifyEvidence(evidence: Evidence, files: EvidenceFiles, trustedKey?: string): string[] {
  const problems: string[] = []
  const check = (kind: 'input' | 'output', entry: EvidenceEntry) => {
    const content = files[kind](entry.path)
    if (content === undefined) problems.push(`${kind} ${entry.path}: missing`)
    else if (sha256(content) !== entry.sha256) problems.push(`${kind} ${entry.path}: SHA-256 differs from the manifest (the file changed)`)
  }
  for (const entry of evidence.inputs) check('input', entry)
  for (const entry of evidence.outputs) check('output', entry)
  if (!evidence.signature) {
    if (trustedKey) problems.push('the manifest is not signed')
    return problems
  }
  let key: KeyObject
  try {
    key = createPublicKey(trustedKey ?? evidence.signature.publicKey)
  } catch (error) {
    problems.push(`cannot read the public key: ${(error as Error).message}`)
    return problems
  }
  if (!verify(null, manifestBytes(evidence), key, Buffer.from(evidence.signature.value, 'base64'))) {
    problems.push(trustedKey ? 'the signature does not match the manifest and the given key' : 'the signature does not match the manifest')
  }
  return problems
}
