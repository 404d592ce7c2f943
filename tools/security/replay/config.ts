import { createHash } from 'node:crypto'
import { parse as parseToml } from 'smol-toml'
import { DEFAULT_WEIGHTS } from '../sandpit/index.ts'

/** The replay's configuration (`replay.config`), every value with its default. */
export interface ReplayConfig {
  /** The score at or above which a version is quarantined. Default 50. */
  threshold: number
  /** Whether a quarantine also lists the publisher's other visible crates for review. Default false. */
  reviewPublisherCrates: boolean
  /** How often (in events) the checkpoint records progress. Default 100. */
  checkpointEvery: number
  /** The weight of each signal of the replay's own. */
  weights: {
    /** The name may squat a visible crate (`typosquat`). Default 35. */
    typosquat: number
    /** The package checks reject the package (`package`). Default 40. */
    package: number
  }
  /** The weight of each heuristic (`heuristic.NAME`). Default: the heuristics' own. */
  heuristicWeights: Record<string, number>
  /** The thresholds of the sweep: from, to (inclusive), step. Default 0 to 150 by 10. */
  sweep: { from: number; to: number; step: number }
}

/** The defaults (`sec.config.defaults`). */
export function defaultReplayConfig(): ReplayConfig {
  return {
    threshold: 50,
    reviewPublisherCrates: false,
    checkpointEvery: 100,
    weights: { typosquat: 35, package: 40 },
    heuristicWeights: { ...DEFAULT_WEIGHTS },
    sweep: { from: 0, to: 150, step: 10 },
  }
}

/** A configuration that is wrong (`sec.config.invalid`); the message names the file and the key. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * The configuration from a TOML file's text (`replay.config`): `[replay]` with `threshold`,
 * `review_publisher_crates`, `checkpoint_every`, `[replay.weights]` (`typosquat`, `package`), `[replay.sweep]` (`from`, `to`, `step`) and `[heuristics.weights]` by heuristic
 * name. Unknown keys, wrong types and values out of range are errors, before anything is replayed.
 */
export function parseReplayConfig(text: string, file: string): ReplayConfig {
  let toml: Record<string, unknown>
  try {
    toml = parseToml(text) as Record<string, unknown>
  } catch (error) {
    throw new ConfigError(`${file}: not valid TOML: ${(error as Error).message.split('\n')[0]}`)
  }
  const config = defaultReplayConfig()
  const fail = (key: string, expected: string, value: unknown) => {
    throw new ConfigError(`${file}: \`${key}\` must be ${expected}, found ${JSON.stringify(value)}`)
  }
  const table = (value: unknown, key: string, keys: readonly string[]): Record<string, unknown> => {
    if (value === undefined) return {}
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) fail(key, 'a table', value)
    const record = value as Record<string, unknown>
    for (const name of Object.keys(record)) {
      if (!keys.includes(name)) throw new ConfigError(`${file}: unknown key \`${key === '' ? name : `${key}.${name}`}\`, expected one of ${keys.map((k) => `\`${k}\``).join(', ')}`)
    }
    return record
  }
  const count = (record: Record<string, unknown>, name: string, key: string, minimum = 0): number | undefined => {
    const value = record[name]
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) fail(key, minimum === 0 ? 'a non-negative integer' : `an integer of at least ${minimum}`, value)
    return value as number
  }
  const root = table(toml, '', ['replay', 'heuristics'])
  const replay = table(root.replay, 'replay', ['threshold', 'review_publisher_crates', 'checkpoint_every', 'weights', 'sweep'])
  config.threshold = count(replay, 'threshold', 'replay.threshold') ?? config.threshold
  config.checkpointEvery = count(replay, 'checkpoint_every', 'replay.checkpoint_every', 1) ?? config.checkpointEvery
  if (replay.review_publisher_crates !== undefined) {
    if (typeof replay.review_publisher_crates !== 'boolean') fail('replay.review_publisher_crates', 'true or false', replay.review_publisher_crates)
    config.reviewPublisherCrates = replay.review_publisher_crates as boolean
  }
  const weights = table(replay.weights, 'replay.weights', ['typosquat', 'package'])
  config.weights.typosquat = count(weights, 'typosquat', 'replay.weights.typosquat') ?? config.weights.typosquat
  config.weights.package = count(weights, 'package', 'replay.weights.package') ?? config.weights.package
  const sweep = table(replay.sweep, 'replay.sweep', ['from', 'to', 'step'])
  config.sweep.from = count(sweep, 'from', 'replay.sweep.from') ?? config.sweep.from
  config.sweep.to = count(sweep, 'to', 'replay.sweep.to') ?? config.sweep.to
  config.sweep.step = count(sweep, 'step', 'replay.sweep.step', 1) ?? config.sweep.step
  if (config.sweep.to < config.sweep.from) throw new ConfigError(`${file}: \`replay.sweep.to\` (${config.sweep.to}) is below \`replay.sweep.from\` (${config.sweep.from})`)
  if ((config.sweep.to - config.sweep.from) / config.sweep.step > 1000) throw new ConfigError(`${file}: \`replay.sweep\` has more than 1000 thresholds`)
  const heuristics = table(root.heuristics, 'heuristics', ['weights'])
  const heuristicWeights = table(heuristics.weights, 'heuristics.weights', Object.keys(DEFAULT_WEIGHTS))
  for (const name of Object.keys(heuristicWeights)) config.heuristicWeights[name] = count(heuristicWeights, name, `heuristics.weights.${name}`)!
  return config
}

/** The configuration as recorded in outputs: snake_case keys as in the file, in a fixed order. */
export function configRecord(config: ReplayConfig): Record<string, unknown> {
  return {
    replay: {
      threshold: config.threshold,
      review_publisher_crates: config.reviewPublisherCrates,
      checkpoint_every: config.checkpointEvery,
      weights: { typosquat: config.weights.typosquat, package: config.weights.package },
      sweep: { from: config.sweep.from, to: config.sweep.to, step: config.sweep.step },
    },
    heuristics: { weights: Object.fromEntries(Object.keys(config.heuristicWeights).sort().map((name) => [name, config.heuristicWeights[name]])) },
  }
}

/** The digest of the effective configuration (`sec.config.defaults`): `sha256:` and the hex of its JSON record. */
export function configDigest(config: ReplayConfig): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(configRecord(config))).digest('hex')}`
}
