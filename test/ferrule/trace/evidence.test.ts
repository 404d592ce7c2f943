import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createEvidence, signEvidence, verifyEvidence, type EvidenceFiles } from '../../../tools/ferrule/trace/evidence.ts'

const inputs = new Map<string, string>([
  ['spec/a.md', '# A\n'],
  ['dist/test-results/vitest.json', '{"testResults":[]}'],
])
const outputs = new Map<string, string>([['matrix.json', '{}\n']])
const files = (changed: Record<string, string> = {}): EvidenceFiles => ({
  input: (path) => (path in changed ? Buffer.from(changed[path]!) : inputs.has(path) ? Buffer.from(inputs.get(path)!) : undefined),
  output: (path) => (outputs.has(path) ? Buffer.from(outputs.get(path)!) : undefined),
})

describe('evidence', () => {
  const keys = generateKeyPairSync('ed25519')
  const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()

  test('records the SHA-256 of every input and export, sorted, and verifies', () => {
    const evidence = createEvidence('0.1.0', inputs, outputs)
    expect(evidence.inputs.map((entry) => entry.path)).toEqual(['dist/test-results/vitest.json', 'spec/a.md'])
    expect(evidence.outputs[0]!.path).toBe('matrix.json')
    expect(evidence.outputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(verifyEvidence(evidence, files())).toEqual([])
  })

  test('a signed manifest verifies against the signer’s public key', () => {
    const signed = signEvidence(createEvidence('0.1.0', inputs, outputs), privatePem)
    expect(signed.signature).toMatchObject({ algorithm: 'ed25519', publicKey: publicPem })
    expect(verifyEvidence(signed, files(), publicPem)).toEqual([])
  })

  test('a tampered input, a changed manifest or another key is detected', () => {
    const signed = signEvidence(createEvidence('0.1.0', inputs, outputs), privatePem)
    expect(verifyEvidence(signed, files({ 'spec/a.md': '# A, edited\n' }), publicPem)).toEqual(['input spec/a.md: SHA-256 differs from the manifest (the file changed)'])
    const forged = { ...signed, inputs: signed.inputs.map((entry) => ({ ...entry, sha256: '0'.repeat(64) })) }
    expect(verifyEvidence(forged, files({ 'spec/a.md': '' }), publicPem)).toContain('the signature does not match the manifest and the given key')
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(verifyEvidence(signed, files(), other)).toEqual(['the signature does not match the manifest and the given key'])
  })

  test('only Ed25519 keys sign', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    expect(() => signEvidence(createEvidence('0.1.0', inputs, outputs), rsa)).toThrow(/expected an Ed25519 private key, got rsa/)
  })
})
