import { traceableIdPattern } from '../syntax/types.ts'

/**
 * How tests name the rules they verify: a test whose title contains `[ID]` verifies rule `ID`;
 * several may be named. Only bracketed words shaped like rule IDs with at least one dot count (as
 * for would-be rule links in chapters), so that `[0]`, `[a]` or `[no_std]` in a title is not taken
 * for one. A production is named by its ID too: `[grammar.Expression]`.
 */
const bracketed = /\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\]/g

/** Rule IDs a test title names, in order of first appearance, without repeats. */
export function ruleIdsInTitle(title: string): string[] {
  const ids = new Set<string>()
  // `exec`, not `matchAll`, which took half as long again on a large run's titles.
  bracketed.lastIndex = 0
  for (let match = bracketed.exec(title); match !== null; match = bracketed.exec(title)) {
    const id = match[1]!
    if (id.includes('.') && traceableIdPattern.test(id)) ids.add(id)
  }
  return [...ids]
}
