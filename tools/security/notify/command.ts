import { appendFile, readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import nodemailer from 'nodemailer'
import { defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { parsePublishEvents } from '../replay/index.ts'
import { type CorpusRecord, loadCorpus } from '../typosquat/index.ts'
import { type DeliveryResult, deliverJob } from './deliver.ts'
import { composeOutbox, deliveryJobs } from './outbox.ts'
import { parseUsers } from './users.ts'

const usage = `Usage: cratesec notify EVENTS.jsonl --users FILE [--security ADDR]... [--corpus FILE] [--base-url URL]
                       [--smtp URL --from ADDR [--sent FILE]] [--json]

Composes the notification emails of publish events (spec: notifications.md): to each user owner
with a verified address and notifications on, and typosquat alerts to the security addresses.
Without --smtp the messages are printed, not sent.

  --users FILE      a JSON array of {"id": "user:ID", "login", "email", "email_verified", "publish_notifications"}
  --security ADDR   where typosquat alerts go (repeatable); with --corpus, the crates they protect
  --corpus FILE     the registry before the first event, as for \`cratesec typosquat --corpus\`
  --base-url URL    the registry's web address for links (default https://crates.io)
  --smtp URL        send over SMTP (smtp://host:port or smtps://...), from --from
  --sent FILE       a log of delivered jobs: jobs in it are not sent again; failed jobs are not logged
  --json            print the messages (or, with --smtp, the delivery results) as JSON lines

Exit status: 0 composed or delivered, 1 some job failed for every recipient (to be retried), 2 bad usage or unreadable input.
`

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      users: { type: 'string' },
      security: { type: 'string', multiple: true },
      corpus: { type: 'string' },
      'base-url': { type: 'string' },
      smtp: { type: 'string' },
      from: { type: 'string' },
      sent: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help' as const
  if (positionals.length !== 1) throw new UsageError(`expected one EVENTS.jsonl, got ${positionals.length}`)
  if (values.users === undefined) throw new UsageError('expected --users FILE')
  if (values.smtp !== undefined && values.from === undefined) throw new UsageError('--smtp needs --from ADDR')
  if (values.smtp === undefined && (values.from !== undefined || values.sent !== undefined)) throw new UsageError('--from and --sent go with --smtp')
  if (values.smtp !== undefined && !/^smtps?:\/\//.test(values.smtp)) throw new UsageError(`--smtp: expected smtp://HOST:PORT or smtps://HOST:PORT, got \`${values.smtp}\``)
  return {
    events: positionals[0]!,
    users: values.users,
    security: values.security ?? [],
    corpus: values.corpus,
    baseUrl: values['base-url'],
    smtp: values.smtp,
    from: values.from,
    sent: values.sent,
    json: values.json === true,
  }
}

/** `cratesec notify` (`notify.cli`). */
export const notifyCommand = defineCommand({
  name: 'notify',
  summary: 'compose (and with --smtp, send) publish notifications and typosquat alerts',
  usage,
  parse,
  async execute(options, io) {
    const unusable = (message: string) => {
      io.stderr(`cratesec notify: ${message}\n`)
      return exitCodes.unusable
    }
    const read = async (file: string, what: string) => readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${file}: cannot read the ${what} (${error.code})`)
    })
    let messages
    let done = new Set<string>()
    try {
      const parsed = parsePublishEvents(await read(options.events, 'events'), options.events)
      for (const line of parsed.malformed) io.stderr(`cratesec notify: skipped ${line.file}:${line.line}: ${line.reason}\n`)
      const { users, malformed } = parseUsers(await read(options.users, 'users'), options.users)
      for (const record of malformed) io.stderr(`cratesec notify: skipped ${record.file} [${record.index}]: ${record.reason}\n`)
      let corpus: readonly CorpusRecord[] = []
      if (options.corpus !== undefined) corpus = (await loadCorpus(options.corpus, { top: Number.MAX_SAFE_INTEGER })).corpus.records
      if (options.sent !== undefined) {
        const log = await readFile(options.sent, 'utf8').catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return ''
          throw new Error(`${options.sent}: cannot read the sent log (${error.code})`)
        })
        done = new Set(log.split('\n').filter((line) => line.trim() !== '').map((line) => (JSON.parse(line) as { job: string }).job))
      }
      messages = composeOutbox(parsed.events, users, { corpus, securityAddresses: options.security, ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }) })
    } catch (error) {
      return unusable((error as Error).message)
    }
    if (options.smtp === undefined) {
      for (const message of messages) {
        if (options.json) io.stdout(`${JSON.stringify({ job: message.job, kind: message.kind, to: message.to, subject: message.subject, date: message.date, message_id: message.messageId, text: message.text })}\n`)
        else io.stdout(`To: ${message.to.join(', ')}\nSubject: ${message.subject}\nDate: ${message.date}\nMessage-ID: ${message.messageId}\n\n${message.text}\n`)
      }
      return exitCodes.ok
    }
    const transport = nodemailer.createTransport(options.smtp)
    const results: DeliveryResult[] = []
    try {
      for (const job of deliveryJobs(messages)) {
        if (done.has(job[0]!.job)) continue
        const result = await deliverJob(job, transport, { from: options.from!, log: (line) => io.stderr(`cratesec notify: ${line}\n`) })
        results.push(result)
        if (options.sent !== undefined && !result.retry) await appendFile(options.sent, `${JSON.stringify({ job: result.job, status: result.status })}\n`)
        if (options.json) io.stdout(`${JSON.stringify(result)}\n`)
        else io.stdout(`${result.job}: ${result.status}${result.delivered.length > 0 ? `, delivered to ${result.delivered.join(', ')}` : ''}${result.failed.length > 0 ? `, ${result.failed.length} refused` : ''}\n`)
        if (result.retry) for (const failure of result.failed) io.stderr(`cratesec notify: ${result.job} failed, to be retried: ${failure.recipient}: ${failure.reason}\n`)
      }
    } finally {
      transport.close()
    }
    return results.some((result) => result.retry) ? exitCodes.found : exitCodes.ok
  },
})
