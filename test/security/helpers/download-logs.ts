// Log files for the store and crash tests, generated from a seed: Fastly lines of downloads of
// `crates` crates in 5 versions each over 3 days, with one unrelated request in ten.

/** A Fastly syslog line for one request. */
export function fastlyLine(day: string, url: string, options: { status?: number; method?: string } = {}): string {
  const record = { date_time: `${day}T12:00:00Z`, ip: '2001:db8::1', method: options.method ?? 'GET', status: options.status ?? 200, url, user_agent: 'cargo/1.75.0', version: '1' }
  return `<134>${day}T12:00:00Z cache-fra-1 s3-request-logs[1]: ${JSON.stringify(record)}`
}

/** `lines` lines of a Fastly log. */
export function fastlyLog(lines: number, seed: number, crates = 50): string {
  let state = seed >>> 0 || 1
  const next = () => {
    // xorshift32: enough spread for test data, the same on every platform.
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
  const out: string[] = []
  for (let line = 0; line < lines; line++) {
    const day = `2024-01-${15 + Math.floor(next() * 3)}`
    if (next() < 0.1) out.push(fastlyLine(day, '/index.html'))
    else {
      const crate = `crate-${Math.floor(next() * crates)}`
      out.push(fastlyLine(day, `/crates/${crate}/${crate}-1.${Math.floor(next() * 5)}.0.crate`))
    }
  }
  return `${out.join('\n')}\n`
}

/** Every version the generated logs can name. */
export function knownVersions(crates = 50): { crate: string; version: string }[] {
  return Array.from({ length: crates * 5 }, (_, index) => ({ crate: `crate-${Math.floor(index / 5)}`, version: `1.${index % 5}.0` }))
}
