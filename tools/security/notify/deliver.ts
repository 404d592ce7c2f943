import type { Transporter } from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import type { OutgoingMessage } from './compose.ts'

/** The outcome of one delivery job (`notify.delivery`). */
export interface DeliveryResult {
  job: string
  /** `sent`: every recipient accepted; `partial`: some refused; `failed`: every recipient refused or unreachable. */
  status: 'sent' | 'partial' | 'failed'
  /** Only a job whose every recipient failed is retried. */
  retry: boolean
  delivered: string[]
  failed: { recipient: string; reason: string }[]
}

/** Options of {@link deliverJob}. */
export interface DeliverOptions {
  /** The From address. */
  from: string
  /** Where partial failures are logged, one line each. Default: nowhere. */
  log?: (line: string) => void
}

function address(entry: string | { address: string }): string {
  return typeof entry === 'string' ? entry : entry.address
}

/**
 * Send the messages of one job through `transport` (nodemailer, over SMTP), one after another:
 *
 * 1. Each message goes with its own Date (the publish's time) and Message-ID.
 * 2. Recipients the server accepts are delivered; those it refuses (or a message that fails
 *    whole: every recipient refused, the connection lost) are failures, with the server's answer.
 * 3. The job has failed, to be retried, only when every recipient failed; a partial failure is
 *    logged with each refused recipient, and the job is done.
 */
export async function deliverJob(messages: readonly OutgoingMessage[], transport: Transporter<SMTPTransport.SentMessageInfo>, options: DeliverOptions): Promise<DeliveryResult> {
  const job = messages[0]?.job
  if (job === undefined) throw new Error('Ferrule bug: deliverJob() called with no messages')
  if (messages.some((message) => message.job !== job)) throw new Error('Ferrule bug: deliverJob() called with messages of several jobs')
  const delivered: string[] = []
  const failed: DeliveryResult['failed'] = []
  for (const message of messages) {
    // 1.
    try {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        date: new Date(message.date),
        messageId: message.messageId,
        headers: { 'X-Crates-Notification': message.kind },
      })
      // 2.
      delivered.push(...info.accepted.map(address))
      const errors = (info as { rejectedErrors?: { recipient?: string; response?: string; message: string }[] }).rejectedErrors ?? []
      for (const entry of info.rejected.map(address)) {
        const error = errors.find((candidate) => candidate.recipient === entry)
        failed.push({ recipient: entry, reason: error?.response ?? error?.message ?? 'refused by the server' })
      }
    } catch (error) {
      const reason = (error as { response?: string }).response ?? (error as Error).message
      for (const recipient of message.to) failed.push({ recipient, reason })
    }
  }
  // 3.
  const status = delivered.length === 0 ? 'failed' : failed.length > 0 ? 'partial' : 'sent'
  if (status === 'partial') for (const failure of failed) options.log?.(`${job}: not delivered to ${failure.recipient}: ${failure.reason}`)
  return { job, status, retry: status === 'failed', delivered: delivered.sort(), failed }
}
