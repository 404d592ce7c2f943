import { parseArgs } from 'node:util'
import { defineCommand, exitCodes, UsageError } from '../cli/command.ts'
import { checkName } from './check-name.ts'
import { DEFAULT_TOP_CRATES } from './corpus.ts'
import { ownerProblem } from './corpus-records.ts'
import { loadCorpus } from './load-corpus.ts'

const usage = `Usage: cratesec typosquat NAME... --corpus FILE [--owner user:ID]... [--top N] [--json]

Checks new crate names against a corpus of popular crates (spec: typosquatting.md).

  --corpus FILE     a JSON file of {"name", "owners", "downloads"}, or a folder of crates.io's database dump
  --owner OWNER     the publisher, user:ID or team:ID (repeatable): crates it co-owns are not squatted
  --top N           keep the N most downloaded crates of the corpus (default ${DEFAULT_TOP_CRATES})
  --json            print {"NAME": [{"check", "crate", "message"}, ...], ...}

Exit status: 0 no name is a possible squat, 1 some name is, 2 bad usage or unreadable corpus.
`

function parse(args: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      corpus: { type: 'string' },
      owner: { type: 'string', multiple: true },
      top: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return 'help' as const
  if (positionals.length === 0) throw new UsageError('expected at least one NAME')
  if (values.corpus === undefined) throw new UsageError('expected --corpus FILE')
  const owners = values.owner ?? []
  for (const owner of owners) {
    const problem = ownerProblem(owner)
    if (problem !== undefined) throw new UsageError(`--owner: ${problem}`)
  }
  const top = values.top === undefined ? DEFAULT_TOP_CRATES : Number(values.top)
  if (!Number.isSafeInteger(top) || top < 0 || !/^[0-9]+$/.test(values.top ?? '0')) throw new UsageError(`--top: expected a non-negative integer, got \`${values.top}\``)
  return { names: [...new Set(positionals)], corpus: values.corpus, owners, top, json: values.json === true }
}

/** `cratesec typosquat` (`typo.cli`). */
export const typosquatCommand = defineCommand({
  name: 'typosquat',
  summary: 'check new crate names for typosquatting against a corpus of popular crates',
  usage,
  parse,
  async execute(options, io) {
    let loaded: Awaited<ReturnType<typeof loadCorpus>>
    try {
      loaded = await loadCorpus(options.corpus, { top: options.top })
    } catch (error) {
      io.stderr(`cratesec typosquat: ${(error as Error).message}\n`)
      return exitCodes.unusable
    }
    if (loaded.malformed.length > 0) {
      const shown = loaded.malformed.slice(0, 5).map((record) => `\n  ${record.file} ${record.location}: ${record.reason}`)
      const more = loaded.malformed.length > 5 ? `\n  ... and ${loaded.malformed.length - 5} more` : ''
      io.stderr(`cratesec typosquat: skipped ${loaded.malformed.length} malformed corpus record${loaded.malformed.length === 1 ? '' : 's'}:${shown.join('')}${more}\n`)
    }
    const results = options.names.map((name) => [name, checkName(loaded.corpus, name, { owners: options.owners })] as const)
    if (options.json) {
      const json = Object.fromEntries(results.map(([name, squats]) => [name, squats.map(({ check, crate, message }) => ({ check, crate, message }))]))
      io.stdout(`${JSON.stringify(json, null, 2)}\n`)
    } else {
      for (const [name, squats] of results) {
        if (squats.length === 0) {
          io.stdout(`${name}: no possible squat\n`)
          continue
        }
        io.stdout(`${name}: ${squats.length} possible squat${squats.length === 1 ? '' : 's'}\n`)
        for (const squat of squats) io.stdout(`  ${squat.check}: ${squat.message}\n`)
      }
    }
    return results.some(([, squats]) => squats.length > 0) ? exitCodes.found : exitCodes.ok
  },
})
