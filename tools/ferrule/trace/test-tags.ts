/**
 * How tests name the rules they verify: a test whose title contains `[ID]` verifies rule `ID`;
 * several may be named. Only bracketed words shaped like rule IDs count, and they need a dot or a
 * hyphen so that `[a]` or `[0]` in an ordinary title is not taken for one.
 */
const bracketed = /\[([a-z0-9_-]+(?:\.[a-z0-9_-]+)*)\]/g

/** Rule IDs a test title names, in order of first appearance, without repeats. */
export function ruleIdsInTitle(title: string): string[] {
  const ids = new Set<string>()
  for (const match of title.matchAll(bracketed)) {
    const id = match[1]!
    if (id.includes('.') || id.includes('-') || id.includes('_')) ids.add(id)
  }
  return [...ids]
}
