import {
  DEFAULT_ALLOWED_PROGRAMS,
  DEFAULT_CI_VARIABLES,
  DEFAULT_CREDENTIAL_PATHS,
  DEFAULT_CREDENTIAL_VARIABLES,
  DEFAULT_EXFIL_HOSTS,
  DEFAULT_HOST_IDENTIFIERS,
  DEFAULT_HOST_VARIABLES,
  DEFAULT_NETWORK_CRATES,
  DEFAULT_NETWORK_IDENTIFIERS,
} from './lists.ts'

/** The default score at or above which a crate is suspicious (`heur.score`). */
export const DEFAULT_THRESHOLD = 50

/** The default length of a base64 or hex run in one literal that is an encoded payload (`heur.encoded-literal`). */
export const DEFAULT_MIN_ENCODED_LENGTH = 256

/** The default size and entropy (millibits per byte) of an opaque blob (`heur.opaque-blob`). */
export const DEFAULT_MIN_BLOB_BYTES = 512 * 1024
export const DEFAULT_MIN_BLOB_ENTROPY = 7500

/** The default number of findings listed per heuristic; more are counted. */
export const DEFAULT_MAX_FINDINGS_PER_HEURISTIC = 20

/** Options of `scanCrate`; every one has a default (`sec.config.defaults`). */
export interface ScanOptions {
  /** Default: {@link DEFAULT_THRESHOLD}. */
  threshold?: number
  /** Weights by heuristic name, replacing the defaults of those named. */
  weights?: Readonly<Record<string, number>>
  /** Default: `DEFAULT_EXFIL_HOSTS`. */
  exfilHosts?: readonly string[]
  /** Default: `DEFAULT_NETWORK_IDENTIFIERS`. */
  networkIdentifiers?: readonly string[]
  /** Default: `DEFAULT_NETWORK_CRATES`. */
  networkCrates?: readonly string[]
  /** Default: `DEFAULT_ALLOWED_PROGRAMS`. */
  allowedPrograms?: readonly string[]
  /** Default: `DEFAULT_CI_VARIABLES`. */
  ciVariables?: readonly string[]
  /** Default: `DEFAULT_CREDENTIAL_VARIABLES`. */
  credentialVariables?: readonly string[]
  /** Default: `DEFAULT_CREDENTIAL_PATHS`. */
  credentialPaths?: readonly string[]
  /** Default: `DEFAULT_HOST_VARIABLES`. */
  hostVariables?: readonly string[]
  /** Default: `DEFAULT_HOST_IDENTIFIERS`. */
  hostIdentifiers?: readonly string[]
  /** Default: {@link DEFAULT_MIN_ENCODED_LENGTH}. */
  minEncodedLength?: number
  /** Default: {@link DEFAULT_MIN_BLOB_BYTES}. */
  minBlobBytes?: number
  /** Default: {@link DEFAULT_MIN_BLOB_ENTROPY}. */
  minBlobEntropy?: number
  /** Default: {@link DEFAULT_MAX_FINDINGS_PER_HEURISTIC}. */
  maxFindingsPerHeuristic?: number
}

/** The options with every default applied. */
export type ScanSettings = { [Key in keyof ScanOptions]-?: Exclude<ScanOptions[Key], undefined> }

const lists = {
  exfilHosts: DEFAULT_EXFIL_HOSTS,
  networkIdentifiers: DEFAULT_NETWORK_IDENTIFIERS,
  networkCrates: DEFAULT_NETWORK_CRATES,
  allowedPrograms: DEFAULT_ALLOWED_PROGRAMS,
  ciVariables: DEFAULT_CI_VARIABLES,
  credentialVariables: DEFAULT_CREDENTIAL_VARIABLES,
  credentialPaths: DEFAULT_CREDENTIAL_PATHS,
  hostVariables: DEFAULT_HOST_VARIABLES,
  hostIdentifiers: DEFAULT_HOST_IDENTIFIERS,
} as const

const counts = {
  threshold: DEFAULT_THRESHOLD,
  minEncodedLength: DEFAULT_MIN_ENCODED_LENGTH,
  minBlobBytes: DEFAULT_MIN_BLOB_BYTES,
  minBlobEntropy: DEFAULT_MIN_BLOB_ENTROPY,
  maxFindingsPerHeuristic: DEFAULT_MAX_FINDINGS_PER_HEURISTIC,
} as const

/**
 * Apply the defaults to `options`, checking each (`sec.config.invalid`): an unknown option or
 * heuristic, a count that is not a non-negative integer, or a list that is not strings is an error
 * that names it, thrown before anything is scanned. `weights` are merged over `defaultWeights`.
 */
export function resolveScanOptions(options: ScanOptions | undefined, defaultWeights: Readonly<Record<string, number>>): ScanSettings {
  const given = (options ?? {}) as Record<string, unknown>
  for (const key of Object.keys(given)) {
    if (key !== 'weights' && !(key in lists) && !(key in counts)) {
      throw new TypeError(`Unexpected scan option \`${key}\`, expected one of ${['weights', ...Object.keys(counts), ...Object.keys(lists)].map((k) => `\`${k}\``).join(', ')}`)
    }
  }
  const settings: Record<string, unknown> = {}
  for (const [key, fallback] of Object.entries(counts)) {
    const value = given[key] ?? fallback
    if (!Number.isSafeInteger(value) || (value as number) < 0) throw new RangeError(`Expected scan option \`${key}\` to be a non-negative integer, got ${JSON.stringify(value)}`)
    settings[key] = value
  }
  for (const [key, fallback] of Object.entries(lists)) {
    const value = given[key] ?? fallback
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new TypeError(`Expected scan option \`${key}\` to be a list of strings`)
    settings[key] = value
  }
  const weights = { ...defaultWeights }
  for (const [name, weight] of Object.entries((given.weights ?? {}) as Record<string, unknown>)) {
    if (!Object.hasOwn(defaultWeights, name)) throw new TypeError(`Unexpected heuristic \`${name}\` in weights, expected one of ${Object.keys(defaultWeights).map((k) => `\`${k}\``).join(', ')}`)
    if (!Number.isSafeInteger(weight) || (weight as number) < 0) throw new RangeError(`Expected the weight of \`${name}\` to be a non-negative integer, got ${JSON.stringify(weight)}`)
    weights[name] = weight as number
  }
  settings.weights = weights
  return settings as ScanSettings
}
