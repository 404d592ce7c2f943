/** A debug logger for one area, or `undefined` when `DEBUG` does not name `ferrule:<area>` (or `ferrule:*`). */
export function createDebugger(area: string): ((...values: unknown[]) => void) | undefined {
  const patterns = (process.env.DEBUG ?? '').split(',').map((pattern) => pattern.trim())
  const name = `ferrule:${area}`
  if (!patterns.some((pattern) => pattern === name || pattern === 'ferrule:*' || pattern === '*')) return undefined
  return (...values) => console.error(name, ...values)
}
