// Run by the replay's crash test in a child process: replay EVENTS into OUT with the default
// configuration (a checkpoint every CHECKPOINT_EVERY events), and once HANG_AFTER decisions are in
// the journal, say so on stdout and wait, going no further, for the parent to kill the process.
//
// Usage: node --import tsx replay-and-hang.ts EVENTS OUT HANG_AFTER CHECKPOINT_EVERY
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { defaultReplayConfig, folderOutput, replay } from '../../../tools/security/replay/index.ts'

const [events, out, hangAfter, checkpointEvery] = process.argv.slice(2) as [string, string, string, string]
const output = folderOutput(out)
let appends = 0
await replay({
  eventsFile: 'events.jsonl',
  eventsText: await readFile(events, 'utf8'),
  config: { ...defaultReplayConfig(), checkpointEvery: Number(checkpointEvery) },
  readCrate: (eventPath) => readFile(path.resolve(path.dirname(events), eventPath)),
  output: {
    ...output,
    async append(name, text) {
      await output.append(name, text)
      if (++appends < Number(hangAfter)) return
      process.stdout.write('mid-replay\n')
      await new Promise(() => setInterval(() => undefined, 1000))
    },
  },
})
process.stdout.write('finished\n')
