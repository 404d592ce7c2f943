import { describe, expect, test } from 'vitest'
import { startExportWorker } from '../../../tools/ferrule/trace/export-worker.ts'
import { matrixToJson } from '../../../tools/ferrule/trace/exporters/json.ts'
import { matrixToXlsx } from '../../../tools/ferrule/trace/exporters/xlsx.ts'
import { sampleMatrix } from '../../helpers/matrix.ts'

describe('startExportWorker', () => {
  test('gives the bytes of the exporter run here, from the matrix as JSON', async () => {
    const matrix = sampleMatrix()
    const [pretty, compact] = await Promise.all([startExportWorker('xlsx').run(matrixToJson(matrix)), startExportWorker('xlsx').run(JSON.stringify(matrix))])
    expect(pretty).toEqual(await matrixToXlsx(matrix))
    expect(compact).toEqual(pretty)
  })

  test('an export that throws rejects as a bug in Ferrule, naming the format', async () => {
    await expect(startExportWorker('xlsx').run('{"rules": 1}')).rejects.toThrow(/^Bug in Ferrule: the xlsx export failed in its worker: /)
    await expect(startExportWorker('xlsx').run('not json')).rejects.toThrow(/^Bug in Ferrule: the xlsx export failed in its worker: .*JSON/)
  })

  test('a worker stopped before it answers rejects its run', async () => {
    const worker = startExportWorker('xlsx')
    const answer = worker.run(matrixToJson(sampleMatrix()))
    await worker.stop()
    await expect(answer).rejects.toThrow(/^Bug in Ferrule: the xlsx export worker exited/)
  })
})
