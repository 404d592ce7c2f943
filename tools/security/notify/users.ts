/** A user account as notifications need it (`notify.recipients`). */
export interface User {
  /** `user:ID`, as owners are written. */
  id: string
  login: string
  /** The address, or null when the user has none. */
  email: string | null
  emailVerified: boolean
  /** Whether the user wants publish notifications (crates.io's default is on). */
  publishNotifications: boolean
}

/** A record of the users file that is not a user (`sec.malformed`). */
export interface MalformedUser {
  file: string
  /** The record's index in the array. */
  index: number
  reason: string
}

// Deliberately loose: the registry verified the address; this only refuses what SMTP cannot carry.
const addressPattern = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+$/

/**
 * Read users from a JSON array of `{"id": "user:ID", "login", "email", "email_verified",
 * "publish_notifications"}` (the last defaults to true). A record that is not such a user, or a
 * second record of an ID, is malformed: reported with its index and skipped.
 */
export function parseUsers(text: string, file: string): { users: Map<string, User>; malformed: MalformedUser[] } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(value)) throw new Error(`${file}: expected a JSON array of users`)
  const users = new Map<string, User>()
  const malformed: MalformedUser[] = []
  value.forEach((item: unknown, index) => {
    const fail = (reason: string) => malformed.push({ file, index, reason })
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return fail('expected an object')
    const record = item as Record<string, unknown>
    if (typeof record.id !== 'string' || !/^user:[^\s:]+$/.test(record.id)) return fail(`\`id\` must be \`user:ID\`, found ${JSON.stringify(record.id)}`)
    if (typeof record.login !== 'string' || record.login === '' || /[\r\n]/.test(record.login)) return fail('`login` must be a one-line string')
    if (record.email !== null && record.email !== undefined && (typeof record.email !== 'string' || !addressPattern.test(record.email))) return fail(`\`email\` must be an address or null, found ${JSON.stringify(record.email)}`)
    if (typeof record.email_verified !== 'boolean') return fail('`email_verified` must be true or false')
    if (record.publish_notifications !== undefined && typeof record.publish_notifications !== 'boolean') return fail('`publish_notifications` must be true or false')
    if (users.has(record.id)) return fail(`${record.id} appears twice`)
    users.set(record.id, {
      id: record.id,
      login: record.login,
      email: (record.email as string | null | undefined) ?? null,
      emailVerified: record.email_verified,
      publishNotifications: record.publish_notifications !== false,
    })
  })
  return { users, malformed }
}
