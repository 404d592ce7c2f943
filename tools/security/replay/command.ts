import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { type CorpusRecord, loadCorpus } from '../typosquat/index.ts'
import { ConfigError, defaultReplayConfig, parseReplayConfig, type ReplayConfig } from './config.ts'
import { sweepTable } from './metrics.ts'
import { folderOutput } from './output.ts'
import { replay, ReplayError } from './replay.ts'

const usage = `Usage: cratesec replay EVENTS.jsonl --out DIR [--corpus FILE] [--config FILE] [--threshold N] [--review-publisher] [--resume] [--json]

Replays publish events in time order through the typosquat check, the package checks and the
heuristics, and quarantines versions that score at or above the threshold (spec: publish-replay.md).

  --out DIR            the output folder: decisions.jsonl, checkpoint.json, index.jsonl, quarantine/,
                       report.json, sweep.md and sweep.svg (with labels)
  --corpus FILE        the registry before the first event, as for \`cratesec typosquat --corpus\`
  --config FILE        a TOML configuration ([replay], [replay.weights], [replay.sweep], [heuristics.weights])
  --threshold N        the quarantine threshold (default 50, or the configuration's)
  --review-publisher   list the publisher's other crates for review when quarantining
  --resume             go on with the replay in DIR from its checkpoint
  --json               print report.json

Exit status: 0 nothing quarantined, 1 some version quarantined, 2 bad usage, an unreadable input or configuration, or a refused output folder.
`

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      corpus: { type: 'string' },
      config: { type: 'string' },
      threshold: { type: 'string' },
      'review-publisher': { type: 'boolean' },
      resume: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help' as const
  if (positionals.length !== 1) throw new UsageError(`expected one EVENTS.jsonl, got ${positionals.length}`)
  if (values.out === undefined) throw new UsageError('expected --out DIR')
  if (values.threshold !== undefined && !/^[0-9]+$/.test(values.threshold)) throw new UsageError(`--threshold: expected a non-negative integer, got \`${values.threshold}\``)
  return {
    events: positionals[0]!,
    out: values.out,
    corpus: values.corpus,
    config: values.config,
    threshold: values.threshold === undefined ? undefined : Number(values.threshold),
    reviewPublisher: values['review-publisher'] === true,
    resume: values.resume === true,
    json: values.json === true,
  }
}

/** `cratesec replay` (`replay.cli`). */
export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'replay publish events, score them and quarantine those at or above a threshold',
  usage,
  parse,
  async execute(options, io) {
    const unusable = (message: string) => {
      io.stderr(`cratesec replay: ${message}\n`)
      return exitCodes.unusable
    }
    // The configuration and every input are read before anything is replayed (`sec.config.invalid`).
    let config: ReplayConfig = defaultReplayConfig()
    if (options.config !== undefined) {
      let text: string
      try {
        text = await readFile(options.config, 'utf8')
      } catch (error) {
        return unusable(`${options.config}: cannot read the configuration (${(error as NodeJS.ErrnoException).code})`)
      }
      try {
        config = parseReplayConfig(text, options.config)
      } catch (error) {
        if (error instanceof ConfigError) return unusable(error.message)
        throw error
      }
    }
    if (options.threshold !== undefined) config = { ...config, threshold: options.threshold }
    if (options.reviewPublisher) config = { ...config, reviewPublisherCrates: true }
    let eventsText: string
    try {
      eventsText = await readFile(options.events, 'utf8')
    } catch (error) {
      return unusable(`${options.events}: cannot read the events (${(error as NodeJS.ErrnoException).code})`)
    }
    let corpus: readonly CorpusRecord[] = []
    if (options.corpus !== undefined) {
      try {
        const loaded = await loadCorpus(options.corpus, { top: Number.MAX_SAFE_INTEGER })
        corpus = loaded.corpus.records
        for (const record of loaded.malformed.slice(0, 5)) io.stderr(`cratesec replay: skipped a malformed corpus record: ${record.file} ${record.location}: ${record.reason}\n`)
      } catch (error) {
        return unusable((error as Error).message)
      }
    }
    const folder = path.dirname(options.events)
    let report: Awaited<ReturnType<typeof replay>>
    try {
      report = await replay({
        eventsFile: options.events,
        eventsText,
        corpus,
        config,
        readCrate: (eventPath) => readFile(path.resolve(folder, eventPath)),
        output: folderOutput(options.out),
        resume: options.resume,
      })
    } catch (error) {
      if (error instanceof ReplayError) return unusable(`${options.out}: ${error.message}`)
      throw error
    }
    for (const line of report.malformed.slice(0, 20)) io.stderr(`cratesec replay: skipped ${line.file}:${line.line}: ${line.reason}\n`)
    if (report.malformed.length > 20) io.stderr(`cratesec replay: ... and ${report.malformed.length - 20} more malformed lines (see report.json)\n`)
    if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`)
    else {
      const { publish, quarantine, skipped } = report.decisions
      const resumed = report.resumed_from > 0 ? ` (resumed after ${report.resumed_from})` : ''
      io.stdout(`${options.events}: ${report.events.accepted} events replayed${resumed}, ${report.events.malformed} malformed lines skipped: ${publish} published, ${quarantine} quarantined, ${skipped} unreadable\n`)
      for (const item of report.quarantined) io.stdout(`  quarantined ${item.crate} ${item.version} (score ${item.score})\n`)
      if (report.metrics !== null) {
        const m = report.metrics
        io.stdout(`at threshold ${m.threshold}: precision ${m.precision ?? '–'}, recall ${m.recall ?? '–'}, F1 ${m.f1 ?? '–'} (TP ${m.tp}, FP ${m.fp}, FN ${m.fn}, TN ${m.tn})\n\n`)
        io.stdout(sweepTable(report.sweep, config.threshold))
      }
      io.stdout(`outputs in ${options.out}\n`)
    }
    return report.decisions.quarantine > 0 ? exitCodes.found : exitCodes.ok
  },
})
