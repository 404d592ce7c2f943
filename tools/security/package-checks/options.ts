import type { PublishMetadata } from './metadata.ts'

/** The default greatest number of archive entries (`pkg.limit.entries`). */
export const DEFAULT_MAX_ENTRIES = 20_000

/** The default greatest number of bytes once decompressed, 512 MiB as crates.io (`pkg.limit.size`). */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024

/** The default greatest size of a root manifest (`pkg.limit.manifest`). */
export const DEFAULT_MAX_MANIFEST_BYTES = 1024 * 1024

/** The default number of findings reported per check; more are counted (`pkg.findings`). */
export const DEFAULT_MAX_FINDINGS_PER_CHECK = 100

/** Options of `checkPackage`. */
export interface CheckPackageOptions {
  /** The crate's name. Default: what the archive's top folder says (`pkg.identity`). */
  name?: string
  /** The crate's version. Default: what the archive's top folder says. */
  version?: string
  /** The publish metadata cargo sent with the package (`pkg.metadata`). Default: none, not compared. */
  metadata?: PublishMetadata
  /** Default: {@link DEFAULT_MAX_ENTRIES}. */
  maxEntries?: number
  /** Default: {@link DEFAULT_MAX_BYTES}. */
  maxBytes?: number
  /** Default: {@link DEFAULT_MAX_MANIFEST_BYTES}. */
  maxManifestBytes?: number
  /** Default: {@link DEFAULT_MAX_FINDINGS_PER_CHECK}. */
  maxFindingsPerCheck?: number
}

/** Options with every default applied. */
export interface Settings {
  name: string | undefined
  version: string | undefined
  metadata: PublishMetadata | undefined
  maxEntries: number
  maxBytes: number
  maxManifestBytes: number
  maxFindingsPerCheck: number
}

/** Apply the defaults; a limit that is not a non-negative integer is a fatal error (`sec.config.invalid`). */
export function resolveOptions(options: CheckPackageOptions | undefined): Settings {
  const settings: Settings = {
    name: options?.name,
    version: options?.version,
    metadata: options?.metadata,
    maxEntries: options?.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxBytes: options?.maxBytes ?? DEFAULT_MAX_BYTES,
    maxManifestBytes: options?.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES,
    maxFindingsPerCheck: options?.maxFindingsPerCheck ?? DEFAULT_MAX_FINDINGS_PER_CHECK,
  }
  for (const key of ['maxEntries', 'maxBytes', 'maxManifestBytes', 'maxFindingsPerCheck'] as const) {
    const value = settings[key]
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Expected \`${key}\` to be a non-negative integer, got ${value}`)
  }
  if ((settings.name === undefined) !== (settings.version === undefined)) {
    throw new TypeError('Expected both `name` and `version`, or neither (then both come from the top folder)')
  }
  return settings
}
