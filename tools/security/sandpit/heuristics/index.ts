// The heuristics of the malicious-crate scanner, in the order their findings are listed on a line
// (see "To add a new heuristic" in ../heuristic.ts).
import type { Heuristic } from '../heuristic.ts'
import { buildNetwork } from './build-network.ts'
import { buildProcess } from './build-process.ts'
import { buildUrl } from './build-url.ts'
import { bundledExecutable } from './bundled-executable.ts'
import { ciGated } from './ci-gated.ts'
import { downloadExec } from './download-exec.ts'
import { encodedLiteral } from './encoded-literal.ts'
import { exfilHost } from './exfil-host.ts'
import { hostFingerprint } from './host-fingerprint.ts'
import { includeBinary } from './include-binary.ts'
import { obfuscatedString } from './obfuscated-string.ts'
import { opaqueBlob } from './opaque-blob.ts'
import { secretEnv } from './secret-env.ts'
import { writeOutsideOutDir } from './write-outside-out-dir.ts'

/** Every heuristic. */
export const HEURISTICS: readonly Heuristic[] = Object.freeze([
  buildNetwork,
  buildUrl,
  buildProcess,
  exfilHost,
  secretEnv,
  ciGated,
  hostFingerprint,
  downloadExec,
  bundledExecutable,
  opaqueBlob,
  includeBinary,
  encodedLiteral,
  obfuscatedString,
  writeOutsideOutDir,
])

/** The default weight of each heuristic, by name. */
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(HEURISTICS.map((heuristic) => [heuristic.name, heuristic.weight])))
