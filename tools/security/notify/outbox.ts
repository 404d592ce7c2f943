import { type PublishEvent, replayOrder, SquatFinder, visibleSquats } from '../replay/index.ts'
import type { CorpusRecord } from '../typosquat/index.ts'
import { type ComposeOptions, type OutgoingMessage, publishNotifications, typosquatAlert } from './compose.ts'
import type { User } from './users.ts'

/** Options of {@link composeOutbox}. */
export interface OutboxOptions extends ComposeOptions {
  /** The registry before the first event, for typosquat alerts. Default: none. */
  corpus?: readonly CorpusRecord[]
  /** Where typosquat alerts go. Default: none, and no alert is composed. */
  securityAddresses?: readonly string[]
}

/**
 * Every message that `events` call for (`notify.outbox`), in time order: each version's publish
 * notifications, and for the first version of a new crate name a typosquat alert when the name may
 * squat a crate of the corpus or one published earlier (the typosquat checks, as the replay runs
 * them; `replay.typosquat`).
 */
export function composeOutbox(events: readonly PublishEvent[], users: ReadonlyMap<string, User>, options?: OutboxOptions): OutgoingMessage[] {
  const ordered = replayOrder(events)
  const corpus = options?.corpus ?? []
  const addresses = options?.securityAddresses ?? []
  const finder = addresses.length === 0 ? undefined : new SquatFinder(corpus, ordered.map((event) => event.crate))
  const owners = new Map(corpus.map((record) => [record.name, record.owners]))
  const messages: OutgoingMessage[] = []
  for (const event of ordered) {
    messages.push(...publishNotifications(event, users, options))
    if (finder !== undefined) {
      const publisherOwners = event.publisher.startsWith('user:') ? [...event.owners, event.publisher] : event.owners
      const alert = typosquatAlert(event, visibleSquats(finder, event.crate, publisherOwners, { owners }), addresses, options)
      if (alert) messages.push(alert)
    }
    owners.set(event.crate, event.owners)
  }
  return messages
}

/** Messages grouped into their delivery jobs, in the order of their first message. */
export function deliveryJobs(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const jobs = new Map<string, OutgoingMessage[]>()
  for (const message of messages) {
    const job = jobs.get(message.job)
    if (job) job.push(message)
    else jobs.set(message.job, [message])
  }
  return [...jobs.values()]
}
