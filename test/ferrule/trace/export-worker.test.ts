import { describe, expect, test } from 'vitest'
import { startExportWorker, type WorkerFormat } from '../../../tools/ferrule/trace/export-worker.ts'
import { matrixToXlsx } from '../../../tools/ferrule/trace/exporters/xlsx.ts'
import type { Matrix } from '../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../helpers/matrix.ts'

describe('startExportWorker', () => {
  test('gives the bytes of the exporter run here, for a matrix it gets in pieces', async () => {
    const sample = sampleMatrix()
    // More rules than go into one piece of what the worker gets.
    const matrix: Matrix = { ...sample, rules: Array.from({ length: 40 }, (_, copy) => sample.rules.map((row) => ({ ...row, id: `${row.id}.${copy}` }))).flat() }
    const worker = startExportWorker(['xlsx'])
    worker.run(matrix)
    expect(await worker.result('xlsx')).toEqual(await matrixToXlsx(matrix))
    expect(() => worker.result('html' as WorkerFormat)).toThrow(/^Bug in Ferrule: no html export in this worker, which makes xlsx/)
    await worker.stop()
  })

  test('an export that throws rejects as a bug in Ferrule, naming its format', async () => {
    const broken = startExportWorker(['xlsx'])
    broken.run({ ...sampleMatrix(), summary: null } as unknown as Matrix)
    await expect(broken.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export failed in its worker: /)
  })

  test('a worker stopped before it answers rejects its results', async () => {
    const worker = startExportWorker(['xlsx'])
    worker.run(sampleMatrix())
    await worker.stop()
    await expect(worker.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export worker exited/)
  })
})
