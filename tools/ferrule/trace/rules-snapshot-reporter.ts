import path from 'node:path'
import type { Reporter } from 'vitest/node'
import { compileSpec } from '../compile/compile.ts'
import { indexToRulesJson, rulesJsonToString } from '../compile/rules-json.ts'
import { resolveConfig, type UserConfig } from '../config.ts'
import { writeFileAtomically } from '../site/atomic-write.ts'
import { fsSpecReader } from '../site/fs-reader.ts'

/**
 * Vitest reporter that records the rules the tests ran against: `test-results/rules.json`, in the
 * format of `rules.json`, read while the tests run. The matrix compares these fingerprints with
 * the spec's current ones: a test that passed against an older text of its rule does not verify
 * the new one (its link is suspect).
 */
export default class RulesSnapshotReporter implements Reporter {
  readonly #config: UserConfig
  #snapshot: Promise<string> | undefined

  /** `config`: the book's Ferrule configuration (`ferrule.config.ts`). */
  constructor(config: UserConfig = {}) {
    this.#config = config
  }

  onTestRunStart(): void {
    const config = resolveConfig(process.cwd(), this.#config)
    this.#snapshot = compileSpec(config, fsSpecReader(config.root)).then((spec) => rulesJsonToString(indexToRulesJson(spec.index)))
    // Awaited at the end; a spec that cannot be read must not also be an unhandled rejection meanwhile.
    this.#snapshot.catch(() => {})
  }

  async onTestRunEnd(): Promise<void> {
    if (!this.#snapshot) return
    const config = resolveConfig(process.cwd(), this.#config)
    await writeFileAtomically(path.join(config.outDir, 'test-results', 'rules.json'), await this.#snapshot)
  }
}
