import { validateCrateName } from '../crate-name/index.ts'
import { isSemver } from './semver.ts'
import type { Skip } from './skip-reasons.ts'

/** A request as a log format's parser reads it from one line, before it is judged a download. */
export interface LogRequest {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string
  method: string
  /** The status as logged: a number (Fastly) or its decimal text (CloudFront). */
  status: number | string
  /** The path, or URL, as logged: still percent-encoded. */
  url: string
  /** The user agent as logged, or undefined when the format has no such field. */
  userAgent: string | undefined
  /** How many times the path is percent-decoded: twice for CloudFront, which logs `%2B` as `%252B`. */
  decode: 1 | 2
}

/** One counted download. */
export interface Download {
  day: string
  crate: string
  version: string
}

/**
 * Judge a request (`dl.filter`, `dl.path`): a download of a crate version, or the reason it is
 * not one. The checks run in the order of `skipReasons`: method, status, user agent, then the path.
 */
export function requestToDownload(request: LogRequest): Download | Skip {
  if (request.method !== 'GET') return { skip: 'method', found: request.method }
  if (request.status !== 200 && request.status !== '200') return { skip: 'status', found: String(request.status) }
  if (request.userAgent !== undefined && !isCargoAgent(request.userAgent)) return { skip: 'user-agent' }
  // The same few thousand URLs make most of a log: each one's verdict is worked out once.
  const cache = verdicts[request.decode]
  let verdict = cache.get(request.url)
  if (verdict === undefined) {
    const path = decodePath(stripUrl(request.url), request.decode)
    verdict = path === undefined ? { skip: 'percent-encoding', found: request.url } : pathToDownload('', path)
    if (cache.size >= maxVerdicts) cache.clear()
    cache.set(request.url, verdict)
  }
  return 'skip' in verdict ? verdict : { day: request.day, crate: verdict.crate, version: verdict.version }
}

const maxVerdicts = 50_000
const verdicts = { 1: new Map<string, Download | Skip>(), 2: new Map<string, Download | Skip>() }

// `cargo` and then a slash or a space, as is or percent-encoded once or twice (CloudFront encodes
// the user agent's spaces, and sometimes encodes its own escapes again).
const cargoAgent = /^cargo(?:[/ ]|%(?:25)?(?:2[fF]|20))/

/** Whether a user agent is cargo's (`dl.filter.user-agent`). */
export function isCargoAgent(userAgent: string): boolean {
  return userAgent.startsWith('cargo') && cargoAgent.test(userAgent)
}

/** The path of a URL: any `scheme://host` before it and the query string after it removed. */
function stripUrl(url: string): string {
  let path = url
  const scheme = path.indexOf('://')
  if (scheme > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(path.slice(0, scheme))) {
    const slash = path.indexOf('/', scheme + 3)
    path = slash < 0 ? '/' : path.slice(slash)
  }
  const query = path.indexOf('?')
  return query < 0 ? path : path.slice(0, query)
}

function decodePath(path: string, times: 1 | 2): string | undefined {
  let decoded = path
  try {
    for (let time = 0; time < times && decoded.includes('%'); time++) decoded = decodeURIComponent(decoded)
  } catch {
    return undefined
  }
  return decoded
}

// Names repeat on every line; their verdicts are kept, up to a bound on memory.
const nameVerdicts = new Map<string, boolean>()
const maxNameVerdicts = 100_000

function isValidName(name: string): boolean {
  let valid = nameVerdicts.get(name)
  if (valid === undefined) {
    if (nameVerdicts.size >= maxNameVerdicts) nameVerdicts.clear()
    valid = validateCrateName(name).ok
    nameVerdicts.set(name, valid)
  }
  return valid
}

/**
 * The download a decoded path stands for (`dl.path`): `/crates/{name}/{name}-{version}.crate` or
 * `/crates/{name}/{version}/download`, with a valid crate name and semantic version, and the same
 * name twice in the first form.
 */
export function pathToDownload(day: string, path: string): Download | Skip {
  if (!path.startsWith('/crates/')) return { skip: 'not-a-download', found: path }
  const slash = path.indexOf('/', 8)
  const second = slash < 0 ? -1 : path.indexOf('/', slash + 1)
  let crate: string
  let version: string
  if (slash > 8 && second < 0 && path.endsWith('.crate')) {
    crate = path.slice(8, slash)
    if (!isValidName(crate)) return { skip: 'invalid-crate-name', found: crate }
    const file = path.slice(slash + 1, -'.crate'.length)
    const own = file.startsWith(crate) && file.charCodeAt(crate.length) === 0x2d ? file.slice(crate.length + 1) : undefined
    if (own !== undefined && isSemver(own)) version = own
    else if (namesAnotherCrate(file) || own === undefined) return { skip: 'name-mismatch', found: path }
    else return { skip: 'invalid-version', found: own }
  } else if (slash > 8 && second > slash && path.length - second === '/download'.length && path.endsWith('/download')) {
    crate = path.slice(8, slash)
    version = path.slice(slash + 1, second)
    if (!isValidName(crate)) return { skip: 'invalid-crate-name', found: crate }
    if (!isSemver(version)) return { skip: 'invalid-version', found: version }
  } else {
    return { skip: 'not-a-download', found: path }
  }
  return { day, crate, version }
}

/** Whether a file name (without `.crate`) splits as `{other}-{version}` at some `-` before a valid version. */
function namesAnotherCrate(file: string): boolean {
  for (let index = file.indexOf('-'); index > 0; index = file.indexOf('-', index + 1)) {
    if (isSemver(file.slice(index + 1))) return true
  }
  return false
}
