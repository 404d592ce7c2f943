import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { verifyEvidence, type Evidence } from './trace/evidence.ts'

/** What `verifyMatrix` cannot check at all: no `evidence.json` to read, or no key (exit status 2). */
export class VerifyInputError extends Error {}

/**
 * Check a matrix folder against its `evidence.json`: every input (relative to `cwd`, where the
 * matrix was made) and every export must have the recorded SHA-256, and a signed manifest must
 * match its signature (against `keyFile`, a PEM public key, when given). Returns one line per problem,
 * and whether the manifest is signed; throws a `VerifyInputError` when the evidence or the key cannot
 * be read.
 */
export async function verifyMatrix(folder: string, cwd: string, keyFile?: string): Promise<{ problems: string[]; signed: boolean }> {
  let evidence: Evidence
  try {
    evidence = JSON.parse(await readFile(path.join(folder, 'evidence.json'), 'utf8')) as Evidence
  } catch (error) {
    throw new VerifyInputError(`cannot read ${path.relative(cwd, path.join(folder, 'evidence.json'))}: ${(error as Error).message}`)
  }
  let key: string | undefined
  if (keyFile) {
    try {
      key = await readFile(path.resolve(cwd, keyFile), 'utf8')
    } catch (error) {
      throw new VerifyInputError(`cannot read the key ${keyFile}: ${(error as Error).message}`)
    }
  }
  const readOrUndefined = (file: string) => {
    try {
      return readFileSync(file)
    } catch {
      return undefined
    }
  }
  const problems = verifyEvidence(evidence, { input: (file) => readOrUndefined(path.resolve(cwd, file)), output: (file) => readOrUndefined(path.join(folder, file)) }, key)
  return { problems, signed: evidence.signature !== undefined }
}
