import { isValidCrateName } from '../crate-name/index.ts'
import { isSemver, semverPattern } from './semver.ts'
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

/** What a download path counts towards: a crate version. */
export interface Target {
  crate: string
  version: string
}

/**
 * Judge a request (`dl.filter`, `dl.path`): a download of a crate version, or the reason it is
 * not one. The checks run in the order of `skipReasons`: method, status, user agent, then the path.
 */
export function requestToDownload(request: LogRequest): Download | Skip {
  const target = requestToTarget(request)
  return 'skip' in target ? target : { day: request.day, crate: target.crate, version: target.version }
}

/** {@link requestToDownload}, giving the crate version as a {@link Target}, without the day. */
export function requestToTarget(request: LogRequest): Target | Skip {
  if (request.method !== 'GET') return { skip: 'method', found: request.method }
  if (request.status !== 200 && request.status !== '200') return { skip: 'status', found: String(request.status) }
  if (request.userAgent !== undefined && !isCargoAgent(request.userAgent)) return { skip: 'user-agent' }
  return urlToTarget(request.url, request.decode)
}

/**
 * A download path as cargo requests it, with nothing to remove or decode (no `scheme://host`, no `?`
 * and no `%`), as a pattern to embed: its three groups are the name, which is group `nameGroup` of
 * the whole pattern and matches `name`, the version of the first form and the version of the second.
 */
export function plainDownloadPattern(nameGroup: number, name: string): string {
  return `/crates/(${name})/(?:\\${nameGroup}-(${semverPattern})\\.crate|(${semverPattern})/download)`
}

const plainDownload = new RegExp(`^${plainDownloadPattern(1, '[^/%?]+')}$`)

// Judged afresh on every line: on the bench's logs, where most URLs are new, a cache of verdicts by
// URL cost more to fill and to search than it saved.
function urlToTarget(url: string, decode: 1 | 2): Target | Skip {
  // Most paths are plain: one match stands for removing, decoding and `pathToDownload`, whose other
  // checks (the same name twice, a semantic version) the pattern makes.
  const plain = plainDownload.exec(url)
  if (plain !== null) {
    const crate = plain[1]!
    const version = plain[2] ?? plain[3]!
    return isValidCrateName(crate) ? toTarget(crate, version) : { skip: 'invalid-crate-name', found: crate }
  }
  const path = decodePath(stripUrl(url), decode)
  if (path === undefined) return { skip: 'percent-encoding', found: url }
  const download = pathToDownload('', path)
  return 'skip' in download ? download : toTarget(download.crate, download.version)
}

function toTarget(crate: string, version: string): Target {
  return { crate, version }
}

/**
 * The start of a cargo user agent, as a pattern to embed: `cargo` and then a slash or a space, as is
 * or percent-encoded once or twice (CloudFront encodes the user agent's spaces, and sometimes
 * encodes its own escapes again).
 */
export const cargoAgentPattern = 'cargo(?:[/ ]|%(?:25)?(?:2[fF]|20))'
const cargoAgent = new RegExp(`^${cargoAgentPattern}`)

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
    if (!isValidCrateName(crate)) return { skip: 'invalid-crate-name', found: crate }
    const file = path.slice(slash + 1, -'.crate'.length)
    const own = file.startsWith(crate) && file.charCodeAt(crate.length) === 0x2d ? file.slice(crate.length + 1) : undefined
    if (own !== undefined && isSemver(own)) version = own
    else if (namesAnotherCrate(file) || own === undefined) return { skip: 'name-mismatch', found: path }
    else return { skip: 'invalid-version', found: own }
  } else if (slash > 8 && second > slash && path.length - second === '/download'.length && path.endsWith('/download')) {
    crate = path.slice(8, slash)
    version = path.slice(slash + 1, second)
    if (!isValidCrateName(crate)) return { skip: 'invalid-crate-name', found: crate }
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
