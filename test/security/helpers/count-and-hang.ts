// Run by the crash test in a child process: count LOG... into DB with small batches, and once
// HANG_AFTER batches of the file HANG_FILE have been written into its open transaction, say so on
// stdout and wait, never committing, for the parent to kill the process.
//
// Usage: node --import tsx count-and-hang.ts DB HANG_FILE HANG_AFTER LOG...
import { countLogFiles, openSqliteStore } from '../../../tools/security/downloads/index.ts'

const [db, hangFile, hangAfter, ...logs] = process.argv.slice(2) as [string, string, string, ...string[]]
const store = openSqliteStore(db)
let batches = 0
await countLogFiles(store, logs, {
  batchSize: 20,
  async onBatchWritten({ path }) {
    if (path !== hangFile || ++batches < Number(hangAfter)) return
    process.stdout.write('mid-file\n')
    await new Promise(() => setInterval(() => undefined, 1000))
  },
})
process.stdout.write('finished\n')
