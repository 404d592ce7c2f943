import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import type { Matrix } from './types.ts'

/** The exporters that run in a worker thread: XLSX, which takes seconds on a large matrix. */
export type WorkerFormat = 'xlsx'

/** An export worker, started before its matrix is known so that it boots while the matrix is built. */
export interface ExportWorker {
  /**
   * `format` of the matrix whose JSON (`matrixToJson`, or `JSON.stringify` of the matrix) is
   * `matrixJson`: the same bytes as the exporter gives in this thread. Once only.
   */
  run(matrixJson: string): Promise<Uint8Array>
  /** Stops the worker; a `run` not yet answered is rejected. */
  stop(): Promise<void>
}

interface Start {
  ferruleExport: WorkerFormat
  tsxApi: string
  module: string
}

type Reply = { ok: true; bytes: Uint8Array } | { ok: false; message: string; stack: string | undefined }

// Worker threads do not inherit the main thread's module hooks, so each one registers tsx's itself
// and then loads this file again, which then serves the job below. The code is given as text because
// the file it would otherwise be is TypeScript.
const bootstrap = `
const { workerData } = require('node:worker_threads')
import(workerData.tsxApi).then(({ register }) => {
  register()
  return import(workerData.module)
})
`

/**
 * Start a worker thread for `format`, whose export then runs beside the rest of `makeMatrix` on a
 * machine with more than one core; the matrix goes to them as JSON,
 * since a structured clone of a large matrix took seven times longer to make than that to parse.
 */
export function startExportWorker(format: WorkerFormat): ExportWorker {
  const start: Start = { ferruleExport: format, tsxApi: import.meta.resolve('tsx/esm/api'), module: import.meta.url }
  const worker = new Worker(bootstrap, { eval: true, workerData: start })
  const answer = new Promise<Uint8Array>((resolve, reject) => {
    worker.once('message', (reply: Reply) => {
      if (reply.ok) resolve(reply.bytes)
      else reject(Object.assign(new Error(`Bug in Ferrule: the ${format} export failed in its worker: ${reply.message}`), { stack: reply.stack }))
    })
    worker.once('error', (error) => reject(new Error(`Bug in Ferrule: the ${format} export worker crashed: ${error.message}`, { cause: error })))
    worker.once('exit', (code) => reject(new Error(`Bug in Ferrule: the ${format} export worker exited with status ${code} before it answered`)))
  })
  // Unanswered when the worker is stopped early; whoever runs it hears of a failure through `run`.
  answer.catch(() => {})
  return {
    run(matrixJson) {
      worker.postMessage(matrixJson)
      return answer
    },
    async stop() {
      await worker.terminate()
    },
  }
}

/** In the worker: load the exporter at once, export the matrix when it comes, answer, and exit. */
async function serve(format: WorkerFormat): Promise<void> {
  const port = parentPort!
  const exporter = await loadExporter(format)
  // Messages wait in the port until this listener is added.
  port.once('message', (json: string) => {
    Promise.resolve()
      .then(() => exporter(JSON.parse(json) as Matrix))
      .then(
        (bytes) => port.postMessage({ ok: true, bytes } satisfies Reply, [bytes.buffer as ArrayBuffer]),
        (error: Error) => port.postMessage({ ok: false, message: error.message, stack: error.stack } satisfies Reply),
      )
      .finally(() => port.close())
  })
}

async function loadExporter(format: WorkerFormat): Promise<(matrix: Matrix) => Promise<Uint8Array>> {
  // To add a format: 1. add it to `WorkerFormat`; 2. load its exporter here, giving bytes.
  switch (format) {
    case 'xlsx':
      return (await import('./exporters/xlsx.ts')).matrixToXlsx
  }
}

if (!isMainThread && (workerData as Partial<Start> | null)?.ferruleExport) void serve((workerData as Start).ferruleExport)
