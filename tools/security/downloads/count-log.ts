import { isReservedCrateName } from '../crate-name/index.ts'
import { cloudFront } from './cloudfront.ts'
import { CountTable, hashDay } from './count-table.ts'
import { type ByteSource, compressionOf, decompress } from './decompress.ts'
import { fastly } from './fastly.ts'
import type { LineParser, LogFormat } from './line-parser.ts'
import { LineSplitter } from './lines.ts'
import { sortCounts } from './order.ts'
import { type LogRequest, requestToTarget } from './request.ts'
import { type Skip, type SkipReason, skipReasons } from './skip-reasons.ts'

/** The log formats, told apart by the first byte of the decompressed log (`dl.format`). */
export const formats: readonly LogFormat[] = [cloudFront, fastly]

/** Downloads of one crate version on one day. */
export interface DownloadCount {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string
  crate: string
  version: string
  count: number
}

/** A skipped line, as a report shows it. */
export interface SkippedLine {
  line: number
  reason: SkipReason
  message: string
}

/** Options of {@link countLog}. */
export interface CountLogOptions {
  /** The log file's name: its extension chooses the decompressor (`dl.input.compression`). */
  fileName: string
  /** Distinct (day, crate, version) counts held in memory before they are handed to `onBatch` (default 10,000). */
  batchSize?: number
  /**
   * Takes each batch of counts as it fills, and the last one at the end; without it, the counts
   * are returned in `counts`. On a refusal, batches already taken are to be discarded.
   */
  onBatch?: (counts: DownloadCount[]) => void | Promise<void>
  /** Skipped lines reported with their line numbers, per reason (default 5). */
  maxSamples?: number
  /** The longest line, in characters, that is read (default 65,536); longer ones are skipped. */
  maxLineLength?: number
}

/** What counting one log found (`dl.report`). */
export interface LogCount {
  status: 'counted' | 'refused'
  /** Why the file was refused: its extension, first byte, version, or corrupt compression. */
  error?: string
  /** The format, once the first byte chose it. */
  format?: string
  /** Lines read. */
  lines: number
  /** Lines counted as downloads. */
  downloads: number
  /** Skipped lines by reason, in the order of `skipReasons`. */
  skipped: Partial<Record<SkipReason, number>>
  /** The first `maxSamples` skipped lines of each reason, by line number. */
  samples: SkippedLine[]
  /** The counts, sorted (`dl.order`), unless `onBatch` took them. */
  counts: DownloadCount[]
}

export const DEFAULT_BATCH_SIZE = 10_000
export const DEFAULT_MAX_SAMPLES = 5
export const DEFAULT_MAX_LINE_LENGTH = 65_536

class Refused extends Error {}

/**
 * Count the downloads in one log file, read once as a stream and never held whole:
 *
 * 1. Choose the decompressor by the file's extension (an unknown one refuses the file).
 * 2. Decompress chunk by chunk; the first byte chooses the format (any other byte refuses the file).
 * 3. Split into lines; the format's parser reads each into a request, a directive, a skip or a
 *    refusal; each request is judged a download or skipped (`requestToTarget`). A row in the
 *    format's usual layout is read in place by one pattern instead (`InPlaceRows`), to the same
 *    effect: a download row with nothing to decode is counted at once, any other row judged.
 * 4. Add each download to the counts of its (day, crate, version); hand them over in batches.
 *
 * Never throws on its input: corrupt compression, a bad first byte or an unsupported version refuse
 * the file with a sentence that says why; a bad line is counted under its reason and the rest go on.
 */
export async function countLog(source: ByteSource, options: CountLogOptions): Promise<LogCount> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES
  const result: LogCount = { status: 'counted', format: undefined, lines: 0, downloads: 0, skipped: {}, samples: [], counts: [] }
  const skipped = new Map<SkipReason, number>()
  const counts = new CountTable(options.onBatch ? batchSize : DEFAULT_BATCH_SIZE)
  // Nearly every line is of the day before it, whose hash is kept at hand.
  let day = ''
  let dayHash = 0
  const kept: DownloadCount[] = []
  // The line that refused the file and why. The report gives its number as the lines read: the lines
  // split after it depend on where the chunk at hand ends.
  let refusal: { line: number; message: string } | undefined

  // Batches fill while a chunk is split (synchronously) and are handed over after it.
  const full: DownloadCount[][] = []
  const seal = () => {
    if (counts.size > 0) full.push(counts.take())
  }
  const flush = async () => {
    for (const batch of full.splice(0)) {
      if (options.onBatch) await options.onBatch(batch)
      else for (const count of batch) kept.push(count)
    }
  }
  const skip = (line: number, { skip: reason, found }: Skip) => {
    const seen = (skipped.get(reason) ?? 0) + 1
    skipped.set(reason, seen)
    if (seen <= maxSamples) result.samples.push({ line, reason, message: found === undefined ? skipReasons[reason] : own(`${skipReasons[reason]}: \`${shown(found)}\``) })
  }

  // 1.
  const compression = compressionOf(options.fileName)
  if (typeof compression === 'object') return refuse(result, compression.error)

  /**
   * Count a download of a crate version on `lineDay`; when `check` and the version is new to the
   * batch, only if its well-formed crate name is not a reserved one (one already there was checked
   * when it came).
   */
  const add = (lineDay: string, crate: string, version: string, check: boolean): boolean => {
    if (lineDay !== day) {
      day = lineDay
      dayHash = hashDay(day)
    }
    if (!counts.add(dayHash, day, crate, version, check ? notReserved : undefined, own)) return false
    result.downloads++
    // Without onBatch the counts are all returned: sealing them would return a count twice.
    if (counts.size >= batchSize && options.onBatch) seal()
    return true
  }

  /** Count a request that is a download, or the reason it is not one. */
  const judge = (parsed: LogRequest | Skip, number: number) => {
    if ('skip' in parsed) return skip(number, parsed)
    const target = requestToTarget(parsed)
    if ('skip' in target) return skip(number, target)
    add(parsed.day, target.crate, target.version, false)
  }

  let parse: LineParser | undefined
  const splitter = new LineSplitter(
    {
      rows: () => (refusal === undefined ? parse?.rows?.pattern : undefined),
      // A row read in place: what `line` would make of it, without the line cut out and parsed. A
      // download row is counted at once; one whose day is not valid, or whose crate name (well-formed,
      // as the pattern checked) is reserved, is left to `line`, which says why.
      row(match, number) {
        const { groups, day: dayOf, request } = parse!.rows!
        const crate = match[groups.crate]
        if (crate === undefined) {
          judge(request(match), number)
          return true
        }
        const rowDay = dayOf(match[groups.day]!)
        if (rowDay === undefined) return false
        return add(rowDay, crate, match[groups.version] ?? match[groups.otherVersion]!, true)
      },
      line(text, number) {
        if (refusal !== undefined) return
        const parsed = parse!(text)
        if ('refuse' in parsed) refusal = { line: number, message: `line ${number}: ${parsed.refuse}` }
        else if (!('directive' in parsed)) judge(parsed, number)
      },
      tooLong(number) {
        if (refusal === undefined) skip(number, { skip: 'line-too-long', found: `more than ${options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH} characters` })
      },
    },
    options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
  )

  try {
    // 2.
    for await (const chunk of decompress(source, compression)) {
      if (chunk.length === 0) continue
      if (parse === undefined) {
        const format = formats.find((candidate) => candidate.firstByte === chunk[0])
        if (format === undefined) throw new Refused(`the first byte is ${describeByte(chunk[0]!)}, expected ${formats.map((f) => `\`${String.fromCharCode(f.firstByte)}\` for ${f.name}`).join(' or ')}`)
        result.format = format.name
        parse = format.createParser()
      }
      // 3 and 4.
      splitter.push(chunk)
      if (refusal !== undefined) throw new Refused(refusal.message)
      await flush()
    }
    if (parse === undefined) throw new Refused('the log is empty')
    splitter.end()
    if (refusal !== undefined) throw new Refused(refusal.message)
    seal()
    await flush()
  } catch (error) {
    if (error instanceof Refused) return refuse(result, error.message, refusal?.line ?? splitter.lines)
    // node:zlib and fzstd throw on corrupt or truncated data; any other error is a bug of ours.
    if (isDecompressionError(error)) return refuse(result, `cannot decompress: ${(error as Error).message}`, splitter.lines)
    throw error
  }
  result.lines = splitter.lines
  result.skipped = Object.fromEntries((Object.keys(skipReasons) as SkipReason[]).filter((reason) => skipped.has(reason)).map((reason) => [reason, skipped.get(reason)!]))
  result.samples.sort((a, b) => a.line - b.line)
  result.counts = sortCounts(kept)
  return result
}

/**
 * `text` as a string of its own. V8 keeps a string cut from another, of 13 characters or more, as a
 * view of the whole (and one joined from others as the two), which a count or a sample would keep
 * alive long after its line is read: a crate name or version so cut held its 64 KiB piece of the
 * log. A string joined to another and cut again is copied first, then cut from the copy, which
 * holds these characters alone.
 */
function own(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1)
}

const notReserved = (crate: string) => !isReservedCrateName(crate)

function refuse(result: LogCount, error: string, lines = 0): LogCount {
  return { status: 'refused', error, ...(result.format === undefined ? {} : { format: result.format }), lines, downloads: 0, skipped: {}, samples: [], counts: [] }
}

function isDecompressionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  // node:zlib's errors carry a `Z_...` code; fzstd's a numeric one (ZstdErrorCode); decompress.ts
  // gives `ZSTD_CHECKSUM` to a frame whose content does not match its checksum, and `ZSTD_CORRUPT`
  // to anything else fzstd throws.
  const code = (error as { code?: unknown }).code
  return (typeof code === 'string' && (code.startsWith('Z_') || code === 'ZSTD_CHECKSUM' || code === 'ZSTD_CORRUPT')) || typeof code === 'number'
}

/** A byte as a report shows it: `0x7B (\`{\`)`, or the hex alone when it is not printable ASCII. */
function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`
  return byte > 0x20 && byte < 0x7f && byte !== 0x60 ? `${hex} (\`${String.fromCharCode(byte)}\`)` : hex
}

const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069`]/gu

/** Found text as a sample shows it: at most 200 characters, control and bidirectional characters escaped. */
function shown(text: string): string {
  const cut = text.length > 200 ? `${text.slice(0, 200)}...` : text
  return cut.replace(unsafe, (character) => `\\u{${character.codePointAt(0)!.toString(16).toUpperCase()}}`)
}
