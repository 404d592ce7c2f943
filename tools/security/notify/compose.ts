import { createHash } from 'node:crypto'
import type { RawSquat } from '../replay/index.ts'
import type { User } from './users.ts'

/** A message to send, as a record (`sec.offline.effects`): composing sends nothing. */
export interface OutgoingMessage {
  /** The delivery job it belongs to: `publish:CRATE@VERSION` or `typosquat:CRATE@VERSION`. */
  job: string
  kind: 'publish' | 'typosquat'
  /** The recipients' addresses. */
  to: string[]
  subject: string
  /** The plain-text body, lines joined by `\n`. */
  text: string
  /** The Date header: the publish's time, never the clock's (`sec.determinism.time`). */
  date: string
  /** A Message-ID derived from the job and the recipients, so that a message sent twice can be recognised. */
  messageId: string
}

/** A publish, as notifications need it. */
export interface PublishedVersion {
  crate: string
  version: string
  /** RFC 3339, UTC. */
  time: string
  /** The crate's owners after the publish, `user:ID` or `team:ID`. */
  owners: readonly string[]
  /** `user:ID`, or `trusted:NAME` for an automated publisher. */
  publisher: string
}

/** Options of the composers. */
export interface ComposeOptions {
  /** The registry's web address, for links. Default `https://crates.io`. */
  baseUrl?: string
  /** The domain of Message-IDs. Default `crates.io`. */
  domain?: string
}

const defaults = { baseUrl: 'https://crates.io', domain: 'crates.io' }

/** The web page of a crate, or of one of its versions. */
export function crateLink(baseUrl: string, crate: string, version?: string): string {
  const root = `${baseUrl.replace(/\/+$/, '')}/crates/${encodeURIComponent(crate)}`
  return version === undefined ? root : `${root}/${encodeURIComponent(version)}`
}

function messageId(job: string, to: readonly string[], domain: string): string {
  return `<${createHash('sha256').update(`${job}\n${to.join('\n')}`).digest('hex').slice(0, 32)}@${domain}>`
}

/** Who published, as a recipient reads it (`notify.publish.publisher`). */
export function describePublisher(publisher: string, recipient: User, owners: readonly string[], users: ReadonlyMap<string, User>): string {
  if (publisher.startsWith('trusted:')) return `an automated publisher (${publisher.slice('trusted:'.length)}), not a person's account`
  if (publisher === recipient.id) return `your own account (${recipient.login})`
  const login = users.get(publisher)?.login ?? publisher
  return owners.includes(publisher) ? `${login}, another owner of the crate` : `${login}, who is not an owner of the crate`
}

/**
 * The publish notifications of one published version (`notify.publish`): one message to each user
 * owner (teams are not written to) whose address is verified and who has not turned publish
 * notifications off, saying which crate and version, when (UTC, RFC 3339), by whom, with a link to
 * the version. Ordered by recipient address.
 */
export function publishNotifications(published: PublishedVersion, users: ReadonlyMap<string, User>, options?: ComposeOptions): OutgoingMessage[] {
  const settings = { ...defaults, ...options }
  const job = `publish:${published.crate}@${published.version}`
  const link = crateLink(settings.baseUrl, published.crate, published.version)
  const recipients = published.owners
    .filter((owner) => owner.startsWith('user:'))
    .map((owner) => users.get(owner))
    .filter((user): user is User => user !== undefined && user.email !== null && user.emailVerified && user.publishNotifications)
    .sort((a, b) => (a.email! < b.email! ? -1 : a.email! > b.email! ? 1 : 0))
  return recipients.map((user) => {
    const to = [user.email!]
    const by = describePublisher(published.publisher, user, published.owners, users)
    const text = [
      `Hello ${user.login},`,
      '',
      `A new version of the crate ${published.crate} was published.`,
      '',
      `Crate:        ${published.crate}`,
      `Version:      ${published.version}`,
      `Published at: ${published.time}`,
      `Published by: ${by}`,
      '',
      link,
      '',
      'If you did not expect this version, revoke your API tokens and the',
      'crate\'s trusted publishers, and tell the crates.io team.',
      '',
      `You are an owner of ${published.crate} with publish notifications on;`,
      'turn them off in your account settings.',
      '',
    ].join('\n')
    return { job, kind: 'publish', to, subject: `${published.crate} ${published.version} was published`, text, date: published.time, messageId: messageId(job, to, settings.domain) }
  })
}

/**
 * The typosquat alert of one new crate (`notify.typosquat`): one message to the configured security
 * addresses listing each match with its human message and the imitated crate's link; none when
 * there is no match or no address.
 */
export function typosquatAlert(published: PublishedVersion, squats: readonly RawSquat[], addresses: readonly string[], options?: ComposeOptions): OutgoingMessage | undefined {
  if (squats.length === 0 || addresses.length === 0) return undefined
  const settings = { ...defaults, ...options }
  const job = `typosquat:${published.crate}@${published.version}`
  const to = [...new Set(addresses)].sort()
  const text = [
    `The new crate ${published.crate} ${published.version}, published at ${published.time} by ${published.publisher},`,
    `may imitate ${squats.length === 1 ? 'a popular crate' : `${squats.length} popular crates`}:`,
    '',
    ...squats.flatMap((squat) => [`- ${squat.crate} (${crateLink(settings.baseUrl, squat.crate)})`, `  ${squat.check}: ${squat.message}`]),
    '',
    `The new crate: ${crateLink(settings.baseUrl, published.crate, published.version)}`,
    '',
  ].join('\n')
  return { job, kind: 'typosquat', to, subject: `Possible typosquat: ${published.crate} ${published.version}`, text, date: published.time, messageId: messageId(job, to, settings.domain) }
}
