import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import nodemailer from 'nodemailer'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { main } from '../../tools/security/cli/index.ts'
import { composeOutbox, deliverJob, parseUsers, publishNotifications, typosquatAlert, type User } from '../../tools/security/notify/index.ts'
import { parsePublishEvents } from '../../tools/security/replay/index.ts'

/** A message as the SMTP server received it: the envelope, the headers (unfolded, by lower-case name) and the decoded body. */
interface Received {
  from: string
  to: string[]
  headers: Map<string, string>
  body: string
}

// Addresses the server refuses at RCPT TO, with 550, as a mailbox that does not exist.
const refused = new Set(['gone@example.com', 'old-security@example.com'])

let server: SMTPServer
let port: number
let received: Received[] = []

/** Decode a quoted-printable body (RFC 2045): soft line breaks and `=XX` octets, as UTF-8. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ')
  const headers = new Map<string, string>()
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim())
  }
  let body = raw.slice(split + 4)
  const encoding = headers.get('content-transfer-encoding')
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body)
  else if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8')
  return { headers, body: body.replaceAll('\r\n', '\n') }
}

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: nodemailer would otherwise upgrade to TLS and refuse the server's self-signed certificate.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address)) return callback()
      const error = new Error('5.1.1 Mailbox unavailable') as Error & { responseCode: number }
      error.responseCode = 550
      callback(error)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const envelope = session.envelope
        received.push({ from: envelope.mailFrom === false ? '' : envelope.mailFrom.address, to: envelope.rcptTo.map((r) => r.address), ...parseMessage(Buffer.concat(chunks).toString('latin1')) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  port = (server.server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const users = new Map<string, User>([
  ['user:1', { id: 'user:1', login: 'alice', email: 'alice@example.com', emailVerified: true, publishNotifications: true }],
  ['user:2', { id: 'user:2', login: 'bob', email: 'bob@example.com', emailVerified: true, publishNotifications: true }],
  ['user:3', { id: 'user:3', login: 'carol', email: 'carol@example.com', emailVerified: false, publishNotifications: true }],
  ['user:4', { id: 'user:4', login: 'dave', email: 'dave@example.com', emailVerified: true, publishNotifications: false }],
  ['user:5', { id: 'user:5', login: 'erin', email: null, emailVerified: false, publishNotifications: true }],
  ['user:6', { id: 'user:6', login: 'gone', email: 'gone@example.com', emailVerified: true, publishNotifications: true }],
])

const published = { crate: 'serde', version: '1.0.200', time: '2024-03-01T12:00:00Z', owners: ['team:9', 'user:1', 'user:2', 'user:3', 'user:4', 'user:5'], publisher: 'user:2' }

function transport() {
  return nodemailer.createTransport(`smtp://127.0.0.1:${port}`)
}

describe('publish notifications', () => {
  test('[notify.recipients] go to user owners with a verified address and notifications on, not to teams', () => {
    const messages = publishNotifications(published, users)
    expect(messages.map((message) => message.to)).toEqual([['alice@example.com'], ['bob@example.com']])
    expect(messages.every((message) => message.job === 'publish:serde@1.0.200')).toBe(true)
  })

  test('[notify.publish] [notify.publish.publisher] say which version, when and by whom, received over SMTP with headers and body', async () => {
    received = []
    const mailer = transport()
    try {
      const result = await deliverJob(publishNotifications(published, users), mailer, { from: 'crates.io <noreply@crates.io>' })
      expect(result).toEqual({ job: 'publish:serde@1.0.200', status: 'sent', retry: false, delivered: ['alice@example.com', 'bob@example.com'], failed: [] })
    } finally {
      mailer.close()
    }
    expect(received.map((message) => message.to)).toEqual([['alice@example.com'], ['bob@example.com']])
    const [alice, bob] = received
    expect(alice!.from).toBe('noreply@crates.io')
    expect(alice!.headers.get('subject')).toBe('serde 1.0.200 was published')
    expect(alice!.headers.get('to')).toBe('alice@example.com')
    expect(alice!.headers.get('from')).toBe('"crates.io" <noreply@crates.io>')
    // The Date is the publish's, not the clock's; the Message-ID is derived from the job and the recipient.
    expect(new Date(alice!.headers.get('date')!).toISOString()).toBe('2024-03-01T12:00:00.000Z')
    expect(alice!.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@crates\.io>$/)
    expect(alice!.headers.get('x-crates-notification')).toBe('publish')
    expect(alice!.body).toContain('Hello alice,\n\nA new version of the crate serde was published.\n')
    expect(alice!.body).toContain('Version:      1.0.200\nPublished at: 2024-03-01T12:00:00Z\nPublished by: bob, another owner of the crate\n')
    expect(alice!.body).toContain('\nhttps://crates.io/crates/serde/1.0.200\n')
    expect(bob!.body).toContain('Published by: your own account (bob)\n')
    expect(alice!.headers.get('message-id')).not.toBe(bob!.headers.get('message-id'))
  })

  test('[notify.publish.publisher] an automated publisher is named as one', () => {
    const [message] = publishNotifications({ ...published, publisher: 'trusted:github:serde-rs/serde' }, users)
    expect(message!.text).toContain('Published by: an automated publisher (github:serde-rs/serde), not a person\'s account\n')
    const [stranger] = publishNotifications({ ...published, publisher: 'user:6' }, users)
    expect(stranger!.text).toContain('Published by: gone, who is not an owner of the crate\n')
  })

  test('[notify.delivery] one recipient refused by the server: the others get it, the refusal is logged, the job is not retried', async () => {
    received = []
    const logged: string[] = []
    const mailer = transport()
    try {
      const owners = { ...published, owners: ['user:1', 'user:6'], publisher: 'user:1' }
      const result = await deliverJob(publishNotifications(owners, users), mailer, { from: 'noreply@crates.io', log: (line) => logged.push(line) })
      expect(result.status).toBe('partial')
      expect(result.retry).toBe(false)
      expect(result.delivered).toEqual(['alice@example.com'])
      expect(result.failed).toEqual([{ recipient: 'gone@example.com', reason: expect.stringContaining('550') }])
      expect(logged).toEqual([expect.stringMatching(/^publish:serde@1\.0\.200: not delivered to gone@example\.com: 550 .*Mailbox unavailable/)])
    } finally {
      mailer.close()
    }
    expect(received.map((message) => message.to)).toEqual([['alice@example.com']])
  })

  test('[notify.delivery] a job fails, to be retried, only when every recipient fails', async () => {
    const mailer = transport()
    try {
      const result = await deliverJob(publishNotifications({ ...published, owners: ['user:6'], publisher: 'user:6' }, users), mailer, { from: 'noreply@crates.io' })
      expect(result).toMatchObject({ status: 'failed', retry: true, delivered: [], failed: [{ recipient: 'gone@example.com' }] })
    } finally {
      mailer.close()
    }
    // A server that does not answer at all fails every recipient too.
    const closed = nodemailer.createTransport({ host: '127.0.0.1', port: 1, connectionTimeout: 2000 })
    const unreachable = await deliverJob(publishNotifications(published, users), closed, { from: 'noreply@crates.io' })
    expect(unreachable).toMatchObject({ status: 'failed', retry: true, delivered: [] })
    expect(unreachable.failed.map((failure) => failure.recipient)).toEqual(['alice@example.com', 'bob@example.com'])
    closed.close()
  })
})

describe('typosquat alerts', () => {
  const squats = [
    { check: 'swapped-characters' as const, crate: 'serde', message: 'swaps characters in `serde`: `sedre` has `d` and `r` swapped at positions 3 and 4' },
    { check: 'omitted' as const, crate: 'sedrel', message: 'omits characters in `sedrel`: `sedre` lacks the `l` at position 6 of `sedrel`' },
  ]
  const squat = { crate: 'sedre', version: '0.1.0', time: '2024-03-02T08:30:00Z', owners: ['user:66'], publisher: 'user:66' }

  test('[notify.typosquat] lists each match with its message and the imitated crate\'s link, to the security addresses, over SMTP', async () => {
    received = []
    const alert = typosquatAlert(squat, squats, ['security@example.com', 'old-security@example.com'])!
    expect(alert.to).toEqual(['old-security@example.com', 'security@example.com'])
    const mailer = transport()
    const logged: string[] = []
    try {
      const result = await deliverJob([alert], mailer, { from: 'noreply@crates.io', log: (line) => logged.push(line) })
      expect(result).toMatchObject({ status: 'partial', retry: false, delivered: ['security@example.com'], failed: [{ recipient: 'old-security@example.com' }] })
      expect(logged).toHaveLength(1)
    } finally {
      mailer.close()
    }
    const [message] = received
    expect(message!.to).toEqual(['security@example.com'])
    expect(message!.headers.get('subject')).toBe('Possible typosquat: sedre 0.1.0')
    expect(message!.headers.get('x-crates-notification')).toBe('typosquat')
    expect(message!.body).toContain('The new crate sedre 0.1.0, published at 2024-03-02T08:30:00Z by user:66,\nmay imitate 2 popular crates:\n')
    expect(message!.body).toContain('- serde (https://crates.io/crates/serde)\n  swapped-characters: swaps characters in `serde`: `sedre` has `d` and `r` swapped at positions 3 and 4\n')
    expect(message!.body).toContain('- sedrel (https://crates.io/crates/sedrel)\n  omitted: ')
  })

  test('[notify.typosquat] no alert without a match or without an address', () => {
    expect(typosquatAlert(squat, [], ['security@example.com'])).toBeUndefined()
    expect(typosquatAlert(squat, squats, [])).toBeUndefined()
  })

  test('[notify.outbox] events in time order: notifications of each version, alerts for new names that squat a crate published earlier', () => {
    const lines = [
      { crate: 'sedre', version: '0.1.0', time: '2024-03-02T00:00:00Z', owners: ['user:2'], publisher: 'user:2', path: 'x.crate' },
      { crate: 'serde', version: '1.0.0', time: '2024-03-01T00:00:00Z', owners: ['user:1'], publisher: 'user:1', path: 'x.crate' },
      { crate: 'serde', version: '1.0.1', time: '2024-03-03T00:00:00Z', owners: ['user:1'], publisher: 'user:1', path: 'x.crate' },
    ]
    const { events } = parsePublishEvents(lines.map((line) => JSON.stringify(line)).join('\n'), 'events.jsonl')
    const outbox = composeOutbox(events, users, { securityAddresses: ['security@example.com'] })
    expect(outbox.map((message) => [message.job, message.to.join()])).toEqual([
      ['publish:serde@1.0.0', 'alice@example.com'],
      ['publish:sedre@0.1.0', 'bob@example.com'],
      ['typosquat:sedre@0.1.0', 'security@example.com'],
      ['publish:serde@1.0.1', 'alice@example.com'],
    ])
  })
})

describe('users', () => {
  test('[notify.users] a users file: malformed records reported with their index and skipped', () => {
    const { users: read, malformed } = parseUsers(
      JSON.stringify([
        { id: 'user:1', login: 'alice', email: 'alice@example.com', email_verified: true },
        { id: 'alice', login: 'alice', email: null, email_verified: false },
        { id: 'user:2', login: 'bob', email: 'not an address', email_verified: true },
        { id: 'user:1', login: 'again', email: null, email_verified: false },
      ]),
      'users.json',
    )
    expect([...read.values()]).toEqual([{ id: 'user:1', login: 'alice', email: 'alice@example.com', emailVerified: true, publishNotifications: true }])
    expect(malformed.map((record) => [record.index, record.reason])).toEqual([
      [1, '`id` must be `user:ID`, found "alice"'],
      [2, '`email` must be an address or null, found "not an address"'],
      [3, 'user:1 appears twice'],
    ])
    expect(() => parseUsers('{', 'users.json')).toThrow(/^users\.json: not JSON/)
  })
})

describe('cratesec notify', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-notify-'))
    await writeFile(
      path.join(work, 'users.json'),
      JSON.stringify([
        { id: 'user:1', login: 'alice', email: 'alice@example.com', email_verified: true },
        { id: 'user:6', login: 'gone', email: 'gone@example.com', email_verified: true },
      ]),
    )
    const events = [
      { crate: 'serde', version: '1.0.0', time: '2024-03-01T00:00:00Z', owners: ['user:1', 'user:6'], publisher: 'user:1', path: 'x.crate' },
      { crate: 'lonely', version: '0.1.0', time: '2024-03-01T01:00:00Z', owners: ['user:6'], publisher: 'user:6', path: 'x.crate' },
    ]
    await writeFile(path.join(work, 'events.jsonl'), `${events.map((event) => JSON.stringify(event)).join('\n')}\nnot json\n`)
  })
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  async function run(...argv: string[]) {
    let stdout = ''
    let stderr = ''
    const status = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) })
    return { status, stdout, stderr }
  }

  test('[notify.cli] without --smtp prints the messages it would send, and sends nothing', async () => {
    received = []
    const result = await run('notify', path.join(work, 'events.jsonl'), '--users', path.join(work, 'users.json'), '--json')
    expect(result.status).toBe(0)
    expect(result.stderr).toContain('events.jsonl:3: not JSON')
    const messages = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
    expect(messages.map((message) => [message.job, message.to])).toEqual([
      ['publish:serde@1.0.0', ['alice@example.com']],
      ['publish:serde@1.0.0', ['gone@example.com']],
      ['publish:lonely@0.1.0', ['gone@example.com']],
    ])
    expect(received).toEqual([])
  })

  test('[notify.cli] [notify.delivery] with --smtp sends each job once, logs partial failures, exits 1 for a job to retry', async () => {
    received = []
    const sent = path.join(work, 'sent.jsonl')
    const args = ['notify', path.join(work, 'events.jsonl'), '--users', path.join(work, 'users.json'), '--smtp', `smtp://127.0.0.1:${port}`, '--from', 'noreply@crates.io', '--sent', sent]
    const first = await run(...args)
    expect(first.status).toBe(1)
    expect(first.stdout).toBe('publish:serde@1.0.0: partial, delivered to alice@example.com, 1 refused\npublish:lonely@0.1.0: failed, 1 refused\n')
    expect(first.stderr).toMatch(/publish:serde@1\.0\.0: not delivered to gone@example\.com: 550/)
    expect(first.stderr).toMatch(/publish:lonely@0\.1\.0 failed, to be retried: gone@example\.com: 550/)
    expect(received.map((message) => message.to)).toEqual([['alice@example.com']])
    // The delivered job is logged and not sent again; the failed one is tried again.
    expect((await readFile(sent, 'utf8')).trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ job: 'publish:serde@1.0.0', status: 'partial' }])
    received = []
    const second = await run(...args)
    expect(second.stdout).toBe('publish:lonely@0.1.0: failed, 1 refused\n')
    expect(received).toEqual([])
  })

  test('[notify.cli] bad usage and unreadable inputs exit 2', async () => {
    expect((await run('notify', path.join(work, 'events.jsonl'))).status).toBe(2)
    expect((await run('notify', path.join(work, 'events.jsonl'), '--users', path.join(work, 'users.json'), '--smtp', 'http://x')).status).toBe(2)
    const missing = await run('notify', path.join(work, 'none.jsonl'), '--users', path.join(work, 'users.json'))
    expect(missing).toMatchObject({ status: 2, stderr: `cratesec notify: ${path.join(work, 'none.jsonl')}: cannot read the events (ENOENT)\n` })
  })
})
