import { showText } from '../package-checks/read-archive.ts'
import type { CodeFacts, NamedUse, Spawn } from './code-facts.ts'
import type { CrateContents, CrateFile } from './crate-files.ts'
import type { CrateLayout } from './layout.ts'
import type { ScanSettings } from './options.ts'
import type { StringSource } from './strings.ts'

/** How bad a heuristic's signal is, for people reading a report; the score uses the weight. */
export type Severity = 'low' | 'medium' | 'high' | 'critical'

/** A finding before the scanner adds the heuristic's name: where, and what was seen. */
export interface RawFinding {
  /** The file, from the package root. */
  file: string
  /** The line, or null for a finding about a whole file (an executable, a blob). */
  line: number | null
  /** What was seen: a phrase, then the line of code or the decoded string. */
  evidence: string
}

/**
 * The code of a crate that runs at one time: `build` is what cargo runs while building the crate's
 * users (the build script, and a procedural macro's library), `runtime` the rest of its sources.
 * Tests, benches and examples are in neither: cargo never builds them for a crate's users.
 */
export interface CodeUnit {
  kind: 'build' | 'runtime'
  files: CodeFacts[]
  /** Network API identifiers used, with the file's facts. */
  network: (NamedUse & { facts: CodeFacts })[]
  /** Spawns of a program outside the allowed programs. */
  spawns: (Spawn & { facts: CodeFacts })[]
  /** Every string source. */
  strings: (StringSource & { facts: CodeFacts })[]
}

/** What every heuristic is given. */
export interface ScanContext {
  contents: CrateContents
  layout: CrateLayout
  settings: ScanSettings
  files: ReadonlyMap<string, CrateFile>
  build: CodeUnit
  runtime: CodeUnit
}

/**
 * One heuristic of the malicious-crate scanner.
 *
 * To add a new heuristic:
 * 1. Write `heuristics/NAME.ts` exporting a `Heuristic`: its `name`, the `ruleId` that specifies it
 *    (`heur.NAME`), a severity, a default weight, and `detect`, a pure function of the context.
 * 2. Add it to `HEURISTICS` in `heuristics/index.ts`; that order is the order of findings on a line.
 * 3. Specify it as its own rule, with a running example, in `spec/security/heuristics.md`, and test
 *    it in `test/security/sandpit-heuristics.test.ts` under that rule's ID; give the labelled corpus
 *    (`test/security/helpers/sandpit-corpus.ts`) a crate that shows it.
 */
export interface Heuristic {
  name: string
  ruleId: string
  severity: Severity
  /** Added to the crate's score, once, when the heuristic finds anything. */
  weight: number
  detect(context: ScanContext): RawFinding[]
}

const MAX_EVIDENCE = 160

/** Evidence: `what`, then the line (trimmed, shortened, control characters escaped). */
export function lineEvidence(what: string, facts: CodeFacts, line: number): string {
  return clip(`${what}: ${facts.line(line).trim()}`)
}

/** Evidence for a string source: `what`, how it was built, and the string. */
export function stringEvidence(what: string, source: StringSource): string {
  const how = source.how === 'literal' ? 'string' : `string built by ${source.how} from ${source.pieces.length} piece${source.pieces.length === 1 ? '' : 's'}`
  return clip(`${what}: ${how} "${source.text}"`)
}

/** Text cut to the evidence length, with unsafe characters escaped. */
export function clip(text: string): string {
  const shown = showText(text)
  return shown.length > MAX_EVIDENCE ? `${shown.slice(0, MAX_EVIDENCE - 1)}…` : shown
}

const urlPattern = /\b(?:https?|ftps?|wss?):\/\/[^\s"'<>`\\]+/i
const addressPattern = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?::\d{1,5})?\b/

/** The first URL or IPv4 address in `text` (loopback and unspecified addresses are not), or undefined. */
export function findAddress(text: string): string | undefined {
  const url = urlPattern.exec(text)?.[0]
  if (url !== undefined) return url
  const address = addressPattern.exec(text)?.[0]
  if (address === undefined || address.startsWith('127.') || address.startsWith('0.0.0.0')) return undefined
  return address
}

/**
 * `find` on a source's text; for a `joined` or `concat` source, only when no one piece holds the
 * match (that piece is a literal of its own, reported as such).
 */
export function findBuilt<T>(source: StringSource, find: (text: string) => T | undefined): T | undefined {
  if ((source.how === 'joined' || source.how === 'concat') && source.pieces.some((piece) => find(piece) !== undefined)) return undefined
  return find(source.text)
}

/** The first host of `hosts` named in `text` (case-insensitive), or undefined. */
export function findHost(text: string, hosts: readonly string[]): string | undefined {
  const lower = text.toLowerCase()
  for (const host of hosts) {
    const at = lower.indexOf(host.toLowerCase())
    if (at === -1) continue
    // `t.me` must be a host, not the end of `content.meta`.
    const before = lower[at - 1]
    const after = lower[at + host.length]
    if ((before === undefined || !/[a-z0-9.-]/.test(before)) && (after === undefined || !/[a-z0-9-]/.test(after))) return host
  }
  return undefined
}

/** A credential this text reads: a CI or credential variable named exactly, or a credential file's path. */
export function findSecret(source: StringSource, settings: ScanSettings, variables: readonly string[]): string | undefined {
  const text = source.text
  if (source.how !== 'joined' && (variables.includes(text) || /^CARGO_REGISTRIES_[A-Z0-9_]+_TOKEN$/.test(text))) return text
  return findBuilt(source, (piece) => settings.credentialPaths.find((part) => piece.includes(part)))
}

const shellPattern = /(?:^|[\s/;|&])(?:sh|bash|zsh|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh|curl|wget|nc|ncat)(?=$|[\s.;|&])/i

/**
 * What makes a built string worth hiding, if anything: an address, a messaging host, a credential,
 * a shell or a downloader.
 */
export function findMarker(text: string, settings: ScanSettings): string | undefined {
  const address = findAddress(text)
  if (address !== undefined) return `the address ${address}`
  const host = findHost(text, settings.exfilHosts)
  if (host !== undefined) return `the host ${host}`
  const variables = [...settings.ciVariables, ...settings.credentialVariables]
  if (variables.includes(text)) return `the variable ${text}`
  const credential = settings.credentialPaths.find((part) => text.includes(part))
  if (credential !== undefined) return `the credential path ${credential}`
  const shell = shellPattern.exec(text)?.[0]
  if (shell !== undefined) return `the program ${shell.trim().replace(/^[/;|&]/, '')}`
  return undefined
}
