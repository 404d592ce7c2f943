import type { CodeFacts } from './code-facts.ts'
import { codeFacts } from './code-facts.ts'
import type { CrateContents } from './crate-files.ts'
import type { CodeUnit, ScanContext, Severity } from './heuristic.ts'
import { DEFAULT_WEIGHTS, HEURISTICS } from './heuristics/index.ts'
import { crateLayout } from './layout.ts'
import { resolveScanOptions, type ScanOptions, type ScanSettings } from './options.ts'

/** One finding of a scan. */
export interface Finding {
  /** The heuristic's name (`build-network`), and the rule that specifies it. */
  heuristic: string
  ruleId: string
  severity: Severity
  /** The file from the package root, and the line (null for a whole file). */
  file: string
  line: number | null
  evidence: string
}

/** A heuristic that found something, and what it added to the score. */
export interface Signal {
  heuristic: string
  weight: number
  findings: number
}

/** The outcome of scanning one crate (`heur.report`). */
export interface ScanReport {
  /** `{name}-{version}` (the name alone when the version is unknown), as `.crate` files are named. */
  crate: string
  name: string
  version: string | undefined
  /** The sum of the weights of the heuristics that found anything. */
  score: number
  threshold: number
  verdict: 'suspicious' | 'clean'
  /** Ordered by file, line (whole-file findings first), then heuristic; at most `maxFindingsPerHeuristic` per heuristic. */
  findings: Finding[]
  /** Every heuristic that found something, in heuristic order, with its weight: the score's evidence. */
  signals: Signal[]
  /** Findings beyond the per-heuristic limit, by heuristic. */
  suppressed: Record<string, number>
  /** What the scan could not read: source files too large, a manifest that is not TOML. */
  notes: string[]
}

const testFolders = ['tests/', 'benches/', 'examples/']

/**
 * Scan a crate's files for the behaviour of malicious crates (`heur.intro`):
 *
 * 1. Resolve the options (bad ones throw before anything is read) and the manifest's layout.
 * 2. Tokenize each Rust source into its unit: build time (the build script and, for a procedural
 *    macro, the library), run time (the rest), or neither (tests, benches, examples).
 * 3. Collect each unit's network uses and spawns of programs outside the allowed ones.
 * 4. Run every heuristic; keep one finding per heuristic, file and line; order them.
 * 5. Score: the weight of each heuristic that found anything, once; suspicious at or above the
 *    threshold (`sec.config.boundary`).
 */
export function scanCrate(contents: CrateContents, options?: ScanOptions): ScanReport {
  // 1.
  const settings = resolveScanOptions(options, DEFAULT_WEIGHTS)
  const layout = crateLayout(contents.files)
  // 2.
  const build: CodeFacts[] = []
  const runtime: CodeFacts[] = []
  const buildFolder = layout.buildScript?.includes('/') ? layout.buildScript.slice(0, layout.buildScript.lastIndexOf('/') + 1) : undefined
  for (const file of contents.files) {
    if (!file.path.endsWith('.rs') || file.text === undefined || testFolders.some((folder) => file.path.startsWith(folder))) continue
    const atBuildTime = file.path === layout.buildScript || (buildFolder !== undefined && file.path.startsWith(buildFolder)) || (layout.procMacro && file.path.startsWith('src/'))
    ;(atBuildTime ? build : runtime).push(codeFacts(file.path, file.text))
  }
  // 3.
  const context: ScanContext = {
    contents,
    layout,
    settings,
    files: new Map(contents.files.map((file) => [file.path, file])),
    build: codeUnit('build', build, settings),
    runtime: codeUnit('runtime', runtime, settings),
  }
  // 4.
  const findings: Finding[] = []
  const seen = new Set<string>()
  const order = new Map(HEURISTICS.map((heuristic, index) => [heuristic.name, index]))
  for (const heuristic of HEURISTICS) {
    for (const raw of heuristic.detect(context)) {
      const key = `${heuristic.name}\0${raw.file}\0${raw.line}`
      if (seen.has(key)) continue
      seen.add(key)
      findings.push({ heuristic: heuristic.name, ruleId: heuristic.ruleId, severity: heuristic.severity, ...raw })
    }
  }
  findings.sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || order.get(a.heuristic)! - order.get(b.heuristic)!)
  const counts = new Map<string, number>()
  const kept: Finding[] = []
  const suppressed: Record<string, number> = {}
  for (const finding of findings) {
    const count = (counts.get(finding.heuristic) ?? 0) + 1
    counts.set(finding.heuristic, count)
    if (count <= settings.maxFindingsPerHeuristic) kept.push(finding)
    else suppressed[finding.heuristic] = (suppressed[finding.heuristic] ?? 0) + 1
  }
  // 5.
  const signals = HEURISTICS.filter((heuristic) => counts.has(heuristic.name)).map((heuristic) => ({
    heuristic: heuristic.name,
    weight: settings.weights[heuristic.name]!,
    findings: counts.get(heuristic.name)!,
  }))
  const score = signals.reduce((sum, signal) => sum + signal.weight, 0)
  const notes = [...(layout.problem === undefined ? [] : [layout.problem]), ...contents.skipped.map((skip) => `${skip.path}: ${skip.reason}`)]
  return {
    crate: contents.version === undefined ? contents.name : `${contents.name}-${contents.version}`,
    name: contents.name,
    version: contents.version,
    score,
    threshold: settings.threshold,
    verdict: score >= settings.threshold ? 'suspicious' : 'clean',
    findings: kept,
    signals,
    suppressed,
    notes,
  }
}

function codeUnit(kind: CodeUnit['kind'], files: CodeFacts[], settings: ScanSettings): CodeUnit {
  const network = new Set(settings.networkIdentifiers)
  const allowed = new Set(settings.allowedPrograms)
  return {
    kind,
    files,
    network: files.flatMap((facts) => facts.identifiers.filter((use) => network.has(use.name)).map((use) => ({ ...use, facts }))),
    spawns: files.flatMap((facts) => facts.spawns.filter((spawn) => spawn.programs.some((program) => !allowed.has(program))).map((spawn) => ({ ...spawn, facts }))),
    strings: files.flatMap((facts) => facts.strings.map((source) => ({ ...source, facts }))),
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
