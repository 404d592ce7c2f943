import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject, sign, verify } from 'node:crypto'

/** What a key is for: a root key holder's (ECDSA P-384), a delegate's or the log's (Ed25519). */
export type KeyRole = 'holder' | 'delegate' | 'log'

/** A public key as the PKI's documents hold it: a JWK of its public members only. */
export type PublicJwk = { kty: 'EC'; crv: 'P-384'; x: string; y: string } | { kty: 'OKP'; crv: 'Ed25519'; x: string }

/** A key of the wrong kind, or text that is no key: the message says which file and what was expected. */
export class KeyError extends Error {
  override name = 'KeyError'
}

const expected: Record<KeyRole, string> = {
  holder: 'an ECDSA P-384 key',
  delegate: 'an Ed25519 key',
  log: 'an Ed25519 key',
}

/** Whether a key is of the kind its role takes. */
function fits(key: KeyObject, role: KeyRole): boolean {
  if (role === 'holder') return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'secp384r1'
  return key.asymmetricKeyType === 'ed25519'
}

function checkRole(key: KeyObject, role: KeyRole, source: string): KeyObject {
  if (!fits(key, role)) {
    const found = key.asymmetricKeyType === 'ec' ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve}` : `a${key.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${key.asymmetricKeyType} key`
    throw new KeyError(`${source}: expected ${expected[role]} for a ${role}, found ${found}`)
  }
  return key
}

/**
 * A public key from the text of a PEM (SPKI, or a private key whose public half is taken) or JWK
 * file, checked to be of the kind `role` takes. `source` names the file in errors.
 */
export function readPublicKey(text: string, role: KeyRole, source: string): KeyObject {
  let key: KeyObject
  try {
    key = text.trimStart().startsWith('{') ? createPublicKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' }) : createPublicKey(text)
  } catch (error) {
    throw new KeyError(`${source}: not a PEM or JWK public key (${(error as Error).message})`)
  }
  return checkRole(key, role, source)
}

/** A private key from the text of a PEM (PKCS #8) or JWK file, checked to be of the kind `role` takes. */
export function readPrivateKey(text: string, role: KeyRole, source: string): KeyObject {
  let key: KeyObject
  try {
    key = text.trimStart().startsWith('{') ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' }) : createPrivateKey(text)
  } catch {
    // The key's text is never repeated: not even a part of it may reach an error message.
    throw new KeyError(`${source}: not a PEM or JWK private key`)
  }
  return checkRole(key, role, source)
}

/** A public key from its JWK in a document, checked to be of the kind `role` takes. */
export function jwkToKey(jwk: unknown, role: KeyRole, source: string): KeyObject {
  if (typeof jwk !== 'object' || jwk === null) throw new KeyError(`${source}: expected a JWK object`)
  return readPublicKey(JSON.stringify(jwk), role, source)
}

/** The public JWK of a key (public or private), with only the members RFC 7638 names. */
export function keyToJwk(key: KeyObject): PublicJwk {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' })
  if (jwk.kty === 'EC') return { kty: 'EC', crv: 'P-384', x: jwk.x!, y: jwk.y! }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x! }
}

/** A key's ID: its JWK thumbprint (RFC 7638), SHA-256 in base64url. */
export function keyId(key: KeyObject | PublicJwk): string {
  const jwk = 'type' in key && typeof key.type === 'string' && 'export' in key ? keyToJwk(key as KeyObject) : (key as PublicJwk)
  // RFC 7638, 3.2: the required members only, in lexicographic order, without white space.
  const members = jwk.kty === 'EC' ? `{"crv":"${jwk.crv}","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}` : `{"crv":"${jwk.crv}","kty":"OKP","x":"${jwk.x}"}`
  return createHash('sha256').update(members).digest('base64url')
}

/** A new key pair for `role`. */
export function generateKey(role: KeyRole): { privateKey: KeyObject; publicKey: KeyObject } {
  return role === 'holder' ? generateKeyPairSync('ec', { namedCurve: 'P-384' }) : generateKeyPairSync('ed25519')
}

/** A signature (base64url) of `message` by a private key: ECDSA P-384 with SHA-384 (IEEE P1363 form), or Ed25519. */
export function signMessage(privateKey: KeyObject, message: string): string {
  const data = Buffer.from(message, 'utf8')
  const signature = privateKey.asymmetricKeyType === 'ec' ? sign('sha384', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }) : sign(null, data, privateKey)
  return signature.toString('base64url')
}

/** Whether `signature` (base64url) is a signature of `message` by the holder of `publicKey`. Never throws. */
export function verifyMessage(publicKey: KeyObject, message: string, signature: unknown): boolean {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]*$/.test(signature)) return false
  const data = Buffer.from(message, 'utf8')
  const bytes = Buffer.from(signature, 'base64url')
  try {
    return publicKey.asymmetricKeyType === 'ec' ? verify('sha384', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, bytes) : verify(null, data, publicKey, bytes)
  } catch {
    return false
  }
}

/** The PEM files of a key pair: PKCS #8 for the private key, SPKI for the public one. */
export function keyPairToPem(pair: { privateKey: KeyObject; publicKey: KeyObject }): { privateKey: string; publicKey: string } {
  return { privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }) as string }
}
