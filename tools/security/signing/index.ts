// The quorum-owned signing PKI (spec: spec/security/signing.md): root metadata held by a quorum of
// key holders, single-purpose delegates, artifact verification from artifact to root, and a
// transparency log of every root operation (RFC 6962).
export { canonicalJson } from './canonical-json.ts'
export { approve, holderOf, type OperationBody, propose } from './ceremony.ts'
export {
  type Approval,
  type DelegateSpec,
  DocumentError,
  type Holder,
  type LogEntry,
  messages,
  type Operation,
  operationTypes,
  parseEntry,
  parseOperation,
  parseRequest,
  parseRoot,
  parseSignatureFile,
  parseTreeHead,
  type Purpose,
  PURPOSES,
  type Request,
  type RootMetadata,
  type SignatureFile,
  type Statement,
  type TreeHead,
} from './documents.ts'
export { generateKey, KeyError, keyId, keyPairToPem, type KeyRole, keyToJwk, type PublicJwk, readPrivateKey, readPublicKey, signMessage, verifyMessage } from './keys.ts'
export {
  appendOperation,
  type AppendResult,
  entryBytes,
  leafHashes,
  type LogProblem,
  type LogReport,
  type PkiLog,
  proveConsistency,
  proveInclusion,
  signTreeHead,
  treeHeadOf,
  verifyEntryInclusion,
  verifyHeadConsistency,
  verifyLog,
  type VerifyLogOptions,
  verifyTreeHead,
} from './log.ts'
export { consistencyProof, type Hash, inclusionProof, leafHash, nodeHash, rootFromInclusionProof, treeHash, verifyConsistency, verifyInclusion } from './merkle.ts'
export { countApprovals, describeQuorum, type QuorumCount } from './quorum.ts'
export { currentDelegate, type DelegateRecord, type OperationProblem, type PkiState, replay, type ReplayOptions } from './replay.ts'
export { type Artifact, sha256Hex, signArtifact, timeOf, type Verification, type VerifyCode, verifyArtifact, type VerifyOptions, type VerifyStep, verifySteps } from './verify.ts'
