import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { type CommandIo, defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { approve, holderOf, type OperationBody, propose } from './ceremony.ts'
import { type Holder, messages, parseRequest, parseRoot, parseSignatureFile, parseTreeHead, type Purpose, PURPOSES, type Request, type RootMetadata, timePattern } from './documents.ts'
import { InputError, pkiFiles, readJson, readLog, rethrow, readPrivateKeyFile, readPublicKeyFile, toJsonFile, writeAtomic, writeLog } from './files.ts'
import { keyId, keyToJwk } from './keys.ts'
import { appendOperation, proveConsistency, proveInclusion, treeHeadOf, verifyEntryInclusion, verifyLog } from './log.ts'
import { countApprovals, describeQuorum, type QuorumCount } from './quorum.ts'
import { replay } from './replay.ts'
import { signArtifact, verifyArtifact } from './verify.ts'

const usage = `Usage: cratesec pki init --holder NAME=PUB... --threshold N --expires TIME --log-key PUB --out PROPOSAL [--time TIME]
       cratesec pki propose TYPE --dir DIR --out PROPOSAL [--time TIME] [options of TYPE]
       cratesec pki sign PROPOSAL --key HOLDER.pem [--dir DIR] [--json]
       cratesec pki approve PROPOSAL --dir DIR --log-key LOG.pem [--json]
       cratesec pki sign-artifact FILE --delegate NAME --purpose P --key DELEGATE.pem --out SIG [--name N] [--time TIME]
       cratesec pki verify FILE --signature SIG --purpose P --dir DIR --at TIME [--name N] [--trust ROOT] [--json]
       cratesec pki log-verify --dir DIR [--since HEAD]... [--inclusion N] [--trust ROOT] [--json]

The quorum-owned signing PKI and its transparency log (spec: signing.md). Keys are PEM or JWK files:
ECDSA P-384 for root key holders, Ed25519 for delegates and the log.

  init           the proposal of a root: its holders' public keys, threshold, expiry and log key
  propose TYPE   the proposal of the next operation of the log in DIR:
                   issue-delegate|replace-delegate --name N --purpose P --key PUB --expires TIME
                   revoke-delegate --name N --reason TEXT
                   change-quorum --holder NAME=PUB... --threshold N
                   replace-root --holder NAME=PUB... --threshold N --expires TIME --log-key PUB
  sign           add a key holder's signature to a proposal (in place); with --dir, count the quorum
  approve        check the proposal's quorum and append it to the log in DIR, with a signed tree head
  sign-artifact  a delegate's signature of a file (a .crate, an index entry), written to SIG
  verify         check a file and its signature: artifact -> delegate -> root, as the log in DIR says
  log-verify     check the log in DIR: every operation's quorum, every signed tree head, and the
                 consistency with heads kept from before (--since); --inclusion N proves entry N
  --purpose P    ${PURPOSES.join(', ')}
  TIME           UTC to the second: 2026-01-31T12:00:00Z. --time, the time an operation or a
                 signature records, defaults to now; --at, the time verify judges expiry at,
                 has no default: a verdict never depends on the clock
  --trust ROOT   root metadata the verifier trusts (a root.json kept from before): an entry of
                 the log must make exactly that root
  --json         the result as JSON

DIR holds ${pkiFiles.log}, ${pkiFiles.heads} and ${pkiFiles.root}. Exit status: 0 done, 1 refused (no quorum, a
verification or log check failed), 2 bad usage or an input that cannot be read or is malformed.
`

const actions = ['init', 'propose', 'sign', 'approve', 'sign-artifact', 'verify', 'log-verify'] as const
type Action = (typeof actions)[number]

interface Options {
  action: Action
  positionals: string[]
  values: Record<string, string | string[] | boolean | undefined>
  json: boolean
}

/** The flags each action takes (besides --json and --help). */
const flags: Record<Action, string[]> = {
  init: ['holder', 'threshold', 'expires', 'log-key', 'out', 'time'],
  propose: ['dir', 'out', 'time', 'name', 'purpose', 'key', 'expires', 'reason', 'holder', 'threshold', 'log-key'],
  sign: ['key', 'dir'],
  approve: ['dir', 'log-key'],
  'sign-artifact': ['delegate', 'purpose', 'key', 'out', 'name', 'time'],
  verify: ['signature', 'purpose', 'dir', 'name', 'at', 'trust'],
  'log-verify': ['dir', 'since', 'inclusion', 'trust'],
}
const positionalCount: Record<Action, number> = { init: 0, propose: 1, sign: 1, approve: 1, 'sign-artifact': 1, verify: 1, 'log-verify': 0 }

function parse(args: readonly string[]): Options | 'help' {
  const string = { type: 'string' } as const
  const parsed = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      holder: { type: 'string', multiple: true },
      since: { type: 'string', multiple: true },
      ...Object.fromEntries(['threshold', 'expires', 'log-key', 'out', 'time', 'dir', 'name', 'purpose', 'key', 'reason', 'delegate', 'signature', 'at', 'trust', 'inclusion'].map((flag) => [flag, string])),
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const values = parsed.values as Options['values']
  const positionals = parsed.positionals
  if (values.help) return 'help'
  const [action, ...rest] = positionals
  if (!actions.includes(action as Action)) {
    throw new UsageError(action === undefined ? `expected an action: ${actions.join(', ')}` : `unknown action \`${action}\`, expected one of ${actions.map((a) => `\`${a}\``).join(', ')}`)
  }
  const act = action as Action
  for (const [flag, value] of Object.entries(values)) {
    if (value !== undefined && flag !== 'json' && !flags[act].includes(flag)) throw new UsageError(`--${flag} does not apply to \`pki ${act}\``)
  }
  if (rest.length !== positionalCount[act]) {
    throw new UsageError(rest.length > positionalCount[act] ? `unexpected argument \`${rest[positionalCount[act]]}\`` : `\`pki ${act}\` expects ${act === 'propose' ? 'an operation type' : 'a file'}`)
  }
  for (const flag of ['time', 'expires', 'at'] as const) {
    const value = values[flag]
    if (typeof value === 'string' && !timePattern.test(value)) throw new UsageError(`--${flag}: expected a UTC time such as 2026-01-31T12:00:00Z, got \`${value}\``)
  }
  if (typeof values.purpose === 'string' && !PURPOSES.includes(values.purpose as Purpose)) throw new UsageError(`--purpose: expected one of ${PURPOSES.join(', ')}, got \`${values.purpose}\``)
  return { action: act, positionals: rest, values, json: values.json === true }
}

function required(options: Options, flag: string): string {
  const value = options.values[flag]
  if (typeof value !== 'string') throw new UsageError(`\`pki ${options.action}\` needs --${flag}`)
  return value
}

function count(options: Options, flag: string, min: number): number {
  const text = required(options, flag)
  if (!/^[0-9]+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${flag}: expected an integer of at least ${min}, got \`${text}\``)
  return Number(text)
}

const timeOption = (options: Options, flag: string) => (typeof options.values[flag] === 'string' ? new Date(options.values[flag] as string) : new Date())

async function holdersOf(options: Options): Promise<Holder[]> {
  const given = (options.values.holder as string[] | undefined) ?? []
  if (given.length === 0) throw new UsageError(`\`pki ${options.action}\` needs at least one --holder NAME=PUB`)
  return Promise.all(
    given.map(async (spec) => {
      const match = /^([a-z0-9][a-z0-9._-]{0,63})=(.+)$/.exec(spec)
      if (!match) throw new UsageError(`--holder: expected NAME=FILE with a name of lower-case letters, digits, \`.\`, \`_\` and \`-\`, got \`${spec}\``)
      return holderOf(match[1]!, await readPublicKeyFile(match[2]!, 'holder'))
    }),
  )
}

async function rootOf(options: Options, version: number): Promise<RootMetadata> {
  const holders = await holdersOf(options)
  const threshold = count(options, 'threshold', 1)
  if (threshold > holders.length) throw new UsageError(`--threshold: ${threshold} is more than the ${holders.length} holders`)
  return { version, holders, threshold, expires: required(options, 'expires'), log: keyToJwk(await readPublicKeyFile(required(options, 'log-key'), 'log')) }
}

async function bodyOf(options: Options, current: RootMetadata | undefined): Promise<OperationBody> {
  const type = options.positionals[0]
  switch (type) {
    case 'issue-delegate':
    case 'replace-delegate':
      return { type, delegate: { name: required(options, 'name'), purpose: required(options, 'purpose') as Purpose, key: keyToJwk(await readPublicKeyFile(required(options, 'key'), 'delegate')), expires: required(options, 'expires') } }
    case 'revoke-delegate':
      return { type, name: required(options, 'name'), reason: required(options, 'reason') }
    case 'change-quorum': {
      const holders = await holdersOf(options)
      const threshold = count(options, 'threshold', 1)
      if (threshold > holders.length) throw new UsageError(`--threshold: ${threshold} is more than the ${holders.length} holders`)
      return { type, holders, threshold }
    }
    case 'replace-root':
      return { type, root: await rootOf(options, (current?.version ?? 0) + 1) }
    default:
      throw new UsageError(`unknown operation \`${type}\`, expected issue-delegate, replace-delegate, revoke-delegate, change-quorum or replace-root`)
  }
}

function quorumJson(quorums: readonly { whose: string; count: QuorumCount }[]) {
  return quorums.map(({ whose, count }) => ({ whose, ...count }))
}

/** The quorums a proposal needs, as far as they are known without the log (init) or from it. */
function quorumsOf(request: Request, root: RootMetadata | undefined): { whose: string; count: QuorumCount }[] {
  const message = messages.operation(request.operation)
  const op = request.operation
  const needed: { whose: string; holders: Holder[]; threshold: number }[] = []
  if (op.type !== 'init' && root) needed.push({ whose: 'the root', holders: root.holders, threshold: root.threshold })
  if (op.type === 'init' || op.type === 'replace-root') needed.push({ whose: 'the new root', holders: op.root.holders, threshold: op.root.threshold })
  if (op.type === 'change-quorum') needed.push({ whose: 'the new quorum', holders: op.holders, threshold: op.threshold })
  return needed.map(({ whose, holders, threshold }) => ({ whose, count: countApprovals(holders, threshold, message, request.approvals) }))
}

async function execute(options: Options, io: CommandIo): Promise<number> {
  const print = (text: string, data: unknown) => io.stdout(options.json ? `${JSON.stringify(data, null, 2)}\n` : text)
  switch (options.action) {
    case 'init': {
      const out = required(options, 'out')
      const request = propose({ entries: [] }, { type: 'init', root: await rootOf(options, 1) }, timeOption(options, 'time'))
      await writeProposal(out, request)
      print(`${out}: the proposal of a root of ${request.operation.type === 'init' ? request.operation.root.holders.length : 0} holders, ${required(options, 'threshold')} needed; each holder signs it with \`cratesec pki sign\`\n`, request)
      return exitCodes.ok
    }
    case 'propose': {
      const dir = required(options, 'dir')
      const out = required(options, 'out')
      const log = await readLog(dir, { existing: true })
      const body = await bodyOf(options, replay(log.entries).state.root)
      const request = propose(log, body, timeOption(options, 'time'))
      await writeProposal(out, request)
      print(`${out}: the proposal of ${body.type} as entry ${request.operation.sequence} of ${dir}\n`, request)
      return exitCodes.ok
    }
    case 'sign': {
      const file = options.positionals[0]!
      const request = await readJson(file, 'a proposal', parseRequest)
      const key = await readPrivateKeyFile(required(options, 'key'), 'holder')
      const id = keyId(key)
      const root = typeof options.values.dir === 'string' ? replay((await readLog(options.values.dir)).entries).state.root : undefined
      const already = request.approvals.some((approval) => approval.keyId === id)
      const signed = already ? request : approve(request, key)
      if (!already) await writeAtomic(file, toJsonFile(signed))
      const quorums = quorumsOf(signed, root)
      const tally = quorums.map(({ whose, count }) => describeQuorum(count, whose)).join('; ')
      print(`${file}: ${already ? `the key ${id} approved it already; nothing added` : `approved by the key ${id}`}${tally ? `; so far ${tally}` : ''}\n`, { file, keyId: id, added: !already, quorums: quorumJson(quorums) })
      return exitCodes.ok
    }
    case 'approve': {
      const file = options.positionals[0]!
      const dir = required(options, 'dir')
      const request = await readJson(file, 'a proposal', parseRequest)
      const logKey = await readPrivateKeyFile(required(options, 'log-key'), 'log')
      const log = await readLog(dir)
      const result = appendOperation(log, request, logKey)
      const tally = result.quorums.map(({ whose, count }) => describeQuorum(count, whose)).join('; ')
      if (!result.ok) {
        print(`${file}: refused (${result.problem.code}): ${result.problem.message}\n`, { file, ok: false, problem: result.problem, quorums: quorumJson(result.quorums) })
        return exitCodes.found
      }
      await writeLog(dir, result.log, result.state.root)
      print(`${file}: ${request.operation.type} appended to ${dir} as entry ${result.index}: ${tally}; tree head of size ${result.head.size}, ${result.head.root}\n`, {
        file,
        ok: true,
        index: result.index,
        head: result.head,
        quorums: quorumJson(result.quorums),
      })
      return exitCodes.ok
    }
    case 'sign-artifact': {
      const file = options.positionals[0]!
      const out = required(options, 'out')
      const bytes = await readArtifact(file)
      const key = await readPrivateKeyFile(required(options, 'key'), 'delegate')
      const name = typeof options.values.name === 'string' ? options.values.name : path.basename(file)
      const signature = signArtifact({ name, bytes }, { purpose: required(options, 'purpose') as Purpose, delegate: required(options, 'delegate'), key, time: timeOption(options, 'time') })
      await writeAtomic(out, toJsonFile(signature))
      print(`${out}: ${name} (SHA-256 ${signature.statement.artifact.sha256}) signed for ${signature.statement.purpose} by ${signature.statement.delegate}\n`, signature)
      return exitCodes.ok
    }
    case 'verify': {
      const file = options.positionals[0]!
      const bytes = await readArtifact(file)
      const signatureFile = required(options, 'signature')
      const signature = await readJson(signatureFile, 'a signature', parseSignatureFile)
      const trustedRoot = typeof options.values.trust === 'string' ? await readJson(options.values.trust, 'root metadata', parseRoot) : undefined
      const log = await readLog(required(options, 'dir'), { existing: true })
      const name = typeof options.values.name === 'string' ? options.values.name : path.basename(file)
      const result = verifyArtifact({ name, bytes }, signature, log, { purpose: required(options, 'purpose') as Purpose, now: new Date(required(options, 'at')), ...(trustedRoot ? { trustedRoot } : {}) })
      if (result.ok) {
        print(`${file}: verified: signed for ${result.statement.purpose} by the delegate ${result.delegate.name} (key ${result.delegate.keyId}, issued by entry ${result.delegate.issuedAt}), under the root of version ${result.root.version}\n`, {
          file,
          ok: true,
          delegate: result.delegate.name,
          keyId: result.delegate.keyId,
          issuedAt: result.delegate.issuedAt,
          rootVersion: result.root.version,
        })
        return exitCodes.ok
      }
      print(`${file}: refused at the ${result.step} step (${result.code}): ${result.message}\n`, { file, ok: false, step: result.step, code: result.code, message: result.message })
      return exitCodes.found
    }
    case 'log-verify': {
      const dir = required(options, 'dir')
      const log = await readLog(dir, { existing: true })
      const since = await Promise.all(((options.values.since as string[] | undefined) ?? []).map((file) => readJson(file, 'a signed tree head', parseTreeHead)))
      const trustedRoot = typeof options.values.trust === 'string' ? await readJson(options.values.trust, 'root metadata', parseRoot) : undefined
      const report = verifyLog(log, { since, ...(trustedRoot ? { trustedRoot } : {}) })
      const head = treeHeadOf(log.entries)
      const consistency = report.ok ? since.map((kept) => ({ size: kept.size, proof: proveConsistency(log.entries, kept.size).map((hash) => hash.toString('hex')) })) : []
      let inclusion: { index: number; proof: string[]; verified: boolean } | undefined
      if (typeof options.values.inclusion === 'string') {
        const index = count(options, 'inclusion', 0)
        if (index >= log.entries.length) throw new InputError(`--inclusion: the log in ${dir} has ${log.entries.length} entries, no entry ${index}`)
        const proof = proveInclusion(log.entries, index)
        inclusion = { index, proof: proof.map((hash) => hash.toString('hex')), verified: report.head !== undefined && verifyEntryInclusion(log.entries[index]!, index, report.head, proof) }
      }
      // verifyLog checked the consistency with each kept head; the proofs are printed for whoever keeps them.
      const ok = report.ok && (inclusion?.verified ?? true)
      const lines = [
        `${dir}: ${log.entries.length} entr${log.entries.length === 1 ? 'y' : 'ies'}, ${log.heads.length} signed tree head${log.heads.length === 1 ? '' : 's'}; tree hash ${head.root}: ${ok ? 'verified' : 'refused'}`,
        ...report.problems.map((problem) => `  ${problem.code}: ${problem.message}`),
        ...consistency.map((c) => `  consistent with the kept head of size ${c.size} (proof of ${c.proof.length} hashes)`),
        ...(inclusion ? [`  entry ${inclusion.index} ${inclusion.verified ? 'is' : 'is not'} included in the tree head of size ${report.head?.size ?? 0}: ${inclusion.proof.join(' ') || '(no hashes)'}`] : []),
      ]
      print(`${lines.join('\n')}\n`, { dir, ok, size: log.entries.length, treeHash: head.root, head: report.head ?? null, problems: report.problems, consistency, ...(inclusion ? { inclusion } : {}) })
      return ok ? exitCodes.ok : exitCodes.found
    }
  }
}

/**
 * Write a proposal, once it reads back as every later step reads it: a holder named twice, or one
 * key given to two holders, is refused here rather than by the first holder who signs.
 */
async function writeProposal(out: string, request: Request): Promise<void> {
  const text = toJsonFile(request)
  rethrow(() => parseRequest(JSON.parse(text), 'the proposal'))
  await writeAtomic(out, text)
}

async function readArtifact(file: string): Promise<Buffer> {
  try {
    return await readFile(file)
  } catch (error) {
    throw new InputError(`${file}: cannot read the artifact (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
}

/** `cratesec pki` (`pki.cli`). */
export const pkiCommand = defineCommand({
  name: 'pki',
  summary: 'the quorum-owned signing PKI: key ceremony, delegates, artifact verification, transparency log',
  usage,
  parse,
  async execute(options, io) {
    try {
      return await execute(options, io)
    } catch (error) {
      if (error instanceof InputError) {
        io.stderr(`cratesec pki: ${error.message}\n`)
        return exitCodes.unusable
      }
      if (error instanceof UsageError) {
        io.stderr(`cratesec pki: ${error.message}\n\n${usage}`)
        return exitCodes.unusable
      }
      throw error
    }
  },
})
