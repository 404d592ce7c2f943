import { buffer } from 'node:stream/consumers'
import { beforeAll, describe, expect, test } from 'vitest'
import { packCrate } from '../../tools/security/package-checks/index.ts'
import { DEFAULT_THRESHOLD, readCrateArchive, type ScanReport, scanCrate } from '../../tools/security/sandpit/index.ts'
import { corpusEntries, SANDPIT_CORPUS } from './helpers/sandpit-corpus.ts'

const reports = new Map<string, ScanReport>()

// Each crate is packed into a `.crate` with packCrate and read back through the package checks'
// reader, as a registry would receive it.
beforeAll(async () => {
  for (const crate of SANDPIT_CORPUS) {
    const bytes = await buffer(packCrate(corpusEntries(crate)))
    reports.set(crate.name, scanCrate(await readCrateArchive(bytes, `${crate.name}-${crate.version}.crate`)))
  }
})

const benign = SANDPIT_CORPUS.filter((crate) => crate.label === 'benign')
const malicious = SANDPIT_CORPUS.filter((crate) => crate.label === 'malicious')

describe('the labelled corpus', () => {
  test('[heur.corpus] holds at least 20 benign crates and 10 malicious ones', () => {
    expect(benign.length).toBeGreaterThanOrEqual(20)
    expect(malicious.length).toBeGreaterThanOrEqual(10)
    expect(new Set(SANDPIT_CORPUS.map((crate) => crate.name)).size).toBe(SANDPIT_CORPUS.length)
  })

  test.each(benign.map((crate) => [crate.name, crate.pattern]))('[heur.corpus] benign %s (%s) stays under the default threshold', (name) => {
    const report = reports.get(name)!
    expect(report.crate).toBe(`${name}-${SANDPIT_CORPUS.find((crate) => crate.name === name)!.version}`)
    expect(report.score, JSON.stringify(report.signals)).toBeLessThan(DEFAULT_THRESHOLD)
    expect(report.verdict).toBe('clean')
  })

  test.each(malicious.map((crate) => [crate.name, crate.pattern]))('[heur.corpus] malicious %s (%s) reaches the default threshold', (name) => {
    const report = reports.get(name)!
    expect(report.score, JSON.stringify(report.findings)).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD)
    expect(report.verdict).toBe('suspicious')
  })

  test('[heur.corpus] precision and recall at the default threshold', ({ annotate }) => {
    let tp = 0
    let fp = 0
    let fn = 0
    for (const crate of SANDPIT_CORPUS) {
      const flagged = reports.get(crate.name)!.verdict === 'suspicious'
      if (flagged && crate.label === 'malicious') tp++
      else if (flagged) fp++
      else if (crate.label === 'malicious') fn++
    }
    const precision = tp / (tp + fp)
    const recall = tp / (tp + fn)
    const highestBenign = Math.max(...benign.map((crate) => reports.get(crate.name)!.score))
    const lowestMalicious = Math.min(...malicious.map((crate) => reports.get(crate.name)!.score))
    annotate(`precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} at threshold ${DEFAULT_THRESHOLD}; highest benign score ${highestBenign}, lowest malicious ${lowestMalicious}`)
    expect({ precision, recall }).toEqual({ precision: 1, recall: 1 })
    expect(highestBenign).toBeLessThan(lowestMalicious)
  })

  test('[heur.corpus] every heuristic fires on some crate of the corpus', () => {
    const fired = new Set([...reports.values()].flatMap((report) => report.signals.map((signal) => signal.heuristic)))
    expect([...fired].sort()).toEqual(
      ['build-network', 'build-process', 'build-url', 'bundled-executable', 'ci-gated', 'download-exec', 'encoded-literal', 'exfil-host', 'host-fingerprint', 'include-binary', 'obfuscated-string', 'opaque-blob', 'secret-env', 'write-outside-out-dir'],
    )
  })
})
