import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import type { Matrix } from './types.ts'
import { unlinkedTests } from './unlinked.ts'

/**
 * The exporters that can run in a worker thread: XLSX, which takes seconds on a large matrix. (The
 * HTML ran there too, but with the XLSX after it the worker finished last.)
 */
export type WorkerFormat = 'xlsx'

/** An export worker, started before its matrix is known so that it boots while the matrix is built. */
export interface ExportWorker {
  /** Export `matrix` to each of the worker's formats, one after another. Once only. */
  run(matrix: Matrix): void
  /** The bytes of `format`, the same as its exporter gives in this thread, once the worker made them. */
  result(format: WorkerFormat): Promise<Uint8Array>
  /** Stops the worker; a result not yet answered is rejected. */
  stop(): Promise<void>
}

interface Start {
  ferruleExport: readonly WorkerFormat[]
  tsxApi: string
  module: string
}

type Reply = { ok: true; format: WorkerFormat; bytes: Uint8Array } | { ok: false; format: WorkerFormat; message: string; stack: string | undefined }

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
 * Start a worker thread for `formats`, whose exports then run beside the rest of `makeMatrix` on a
 * machine with more than one core. One worker for them all, so that the matrix is copied once (as
 * JSON: see `payload`).
 */
export function startExportWorker(formats: readonly WorkerFormat[]): ExportWorker {
  const start: Start = { ferruleExport: formats, tsxApi: import.meta.resolve('tsx/esm/api'), module: import.meta.url }
  const worker = new Worker(bootstrap, { eval: true, workerData: start })
  const answers = new Map(formats.map((format) => [format, deferred<Uint8Array>()]))
  const rejectAll = (error: (format: WorkerFormat) => Error) => {
    for (const [format, answer] of answers) answer.reject(error(format))
  }
  worker.on('message', (reply: Reply) => {
    const answer = answers.get(reply.format)
    if (reply.ok) answer?.resolve(reply.bytes)
    else answer?.reject(Object.assign(new Error(`Bug in Ferrule: the ${reply.format} export failed in its worker: ${reply.message}`), { stack: reply.stack }))
  })
  worker.once('error', (error) => rejectAll((format) => new Error(`Bug in Ferrule: the ${format} export worker crashed: ${error.message}`, { cause: error })))
  worker.once('exit', (code) => rejectAll((format) => new Error(`Bug in Ferrule: the ${format} export worker exited with status ${code} before it answered`)))
  return {
    run(matrix) {
      worker.postMessage(payload(matrix))
    },
    result(format) {
      const answer = answers.get(format)
      if (!answer) throw new Error(`Bug in Ferrule: no ${format} export in this worker, which makes ${formats.join(', ')}`)
      return answer.promise
    },
    async stop() {
      await worker.terminate()
    },
  }
}

/** The matrix as the worker gets it (see `payload`). */
interface Payload {
  /** The matrix without its rules, as JSON. */
  rest: string
  /** Its rules, some at a time, each as a JSON list. */
  rules: string[]
}

/** Rules of the matrix in one text of the payload: a few dozen kilobytes. */
const rulesPerText = 32

/**
 * The matrix as the worker gets it: compact JSON, quicker to write and to parse than matrix.json's
 * sorted and indented text (a structured clone of a large matrix took seven times longer to make
 * than that to parse). The rules come as many short texts, not one long one: a text of 40 MB was
 * copied whole three times on its way (made of parts, into the message, out of it). Of
 * `matrix.tests`, only the tests linked to no rule go: the others are in the rows already, which
 * is all that the worker's exporters read of them, and they were a third of the text to write and
 * to parse.
 */
function payload(matrix: Matrix): Payload {
  const rules: string[] = []
  for (let at = 0; at < matrix.rules.length; at += rulesPerText) rules.push(JSON.stringify(matrix.rules.slice(at, at + rulesPerText)))
  return { rest: JSON.stringify({ ...matrix, rules: [], tests: unlinkedTests(matrix) }), rules }
}

/** The matrix that `payload` gave. */
function unpack(payload: Payload): Matrix {
  const matrix = JSON.parse(payload.rest) as Matrix
  matrix.rules = payload.rules.flatMap((text) => JSON.parse(text) as Matrix['rules'])
  return matrix
}

/** A promise and what settles it; settling it again does nothing. Unawaited, its rejection is not reported. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void
  let reject!: (error: Error) => void
  const promise = new Promise<T>((yes, no) => {
    resolve = yes
    reject = no
  })
  // Unanswered when the worker is stopped early; whoever asks for the result hears of a failure then.
  promise.catch(() => {})
  return { promise, resolve, reject }
}

/** In the worker: load the exporters at once, export the matrix when it comes, answer each format, and exit. */
async function serve(formats: readonly WorkerFormat[]): Promise<void> {
  const port = parentPort!
  const exporters = await Promise.all(formats.map(loadExporter))
  // Messages wait in the port until this listener is added.
  port.once('message', async (message: Payload) => {
    let matrix: Matrix | Error
    try {
      matrix = unpack(message)
    } catch (error) {
      matrix = error as Error
    }
    for (const [index, format] of formats.entries()) {
      try {
        if (matrix instanceof Error) throw matrix
        const bytes = await exporters[index]!(matrix)
        port.postMessage({ ok: true, format, bytes } satisfies Reply, [bytes.buffer as ArrayBuffer])
      } catch (error) {
        port.postMessage({ ok: false, format, message: (error as Error).message, stack: (error as Error).stack } satisfies Reply)
      }
    }
    port.close()
  })
}

async function loadExporter(format: WorkerFormat): Promise<(matrix: Matrix) => Promise<Uint8Array>> {
  // To add a format: 1. add it to `WorkerFormat`; 2. load its exporter here, giving bytes that are
  // not part of Node's buffer pool (which must not be transferred).
  switch (format) {
    case 'xlsx':
      return (await import('./exporters/xlsx.ts')).matrixToXlsx
  }
}

if (!isMainThread && (workerData as Partial<Start> | null)?.ferruleExport) void serve((workerData as Start).ferruleExport)
