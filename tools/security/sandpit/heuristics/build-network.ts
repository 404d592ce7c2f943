import { type Heuristic, lineEvidence, type RawFinding } from '../heuristic.ts'

/**
 * `heur.build-network`: a build script or procedural macro that uses a network API, or depends on
 * an HTTP or socket crate to do so. Code that runs at build time has no reason to reach the network
 * (docs.rs builds without one), and the 2023 typosquats sent their loot from `build.rs`.
 */
export const buildNetwork: Heuristic = {
  name: 'build-network',
  ruleId: 'heur.build-network',
  severity: 'high',
  weight: 40,
  detect({ build, layout, files, settings }) {
    const findings: RawFinding[] = build.network.map((use) => ({ file: use.facts.path, line: use.line, evidence: lineEvidence(`uses \`${use.name}\``, use.facts, use.line) }))
    const dependencies = [...(layout.buildScript === undefined ? [] : layout.buildDependencies), ...(layout.procMacro ? layout.dependencies : [])]
    const manifest = files.get('Cargo.toml')?.text ?? ''
    for (const dependency of [...new Set(dependencies)].sort()) {
      if (!settings.networkCrates.includes(dependency)) continue
      const line = manifest.split('\n').findIndex((text) => new RegExp(`^\\s*(?:${dependency}\\s*=|\\[.*dependencies\\.${dependency}\\])|package\\s*=\\s*"${dependency}"`).test(text))
      const table = layout.procMacro && layout.dependencies.includes(dependency) ? 'a dependency of a procedural macro' : 'a build dependency'
      findings.push({ file: 'Cargo.toml', line: line === -1 ? null : line + 1, evidence: `depends on \`${dependency}\`, a network crate, as ${table}` })
    }
    return findings
  },
}
