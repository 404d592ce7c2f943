import { describe, expect, test } from 'vitest'
import { startExportWorker } from '../../../tools/ferrule/trace/export-worker.ts'
import { matrixToHtml } from '../../../tools/ferrule/trace/exporters/html.ts'
import { matrixToJson } from '../../../tools/ferrule/trace/exporters/json.ts'
import { matrixToXlsx } from '../../../tools/ferrule/trace/exporters/xlsx.ts'
import { sampleMatrix } from '../../helpers/matrix.ts'

describe('startExportWorker', () => {
  test('gives the bytes of each exporter run here, from the matrix as JSON', async () => {
    const matrix = sampleMatrix()
    const pretty = startExportWorker(['html', 'xlsx'])
    const compact = startExportWorker(['xlsx'])
    pretty.run(matrixToJson(matrix))
    compact.run(JSON.stringify(matrix))
    expect(Buffer.from(await pretty.result('html')).toString('utf8')).toBe(matrixToHtml(matrix))
    expect(await pretty.result('xlsx')).toEqual(await matrixToXlsx(matrix))
    expect(await compact.result('xlsx')).toEqual(await pretty.result('xlsx'))
    expect(() => compact.result('html')).toThrow(/^Bug in Ferrule: no html export in this worker, which makes xlsx/)
  })

  test('an export that throws rejects as a bug in Ferrule, naming its format', async () => {
    const broken = startExportWorker(['html', 'xlsx'])
    broken.run('{"rules": 1}')
    await expect(broken.result('html')).rejects.toThrow(/^Bug in Ferrule: the html export failed in its worker: /)
    await expect(broken.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export failed in its worker: /)
    const notJson = startExportWorker(['xlsx'])
    notJson.run('not json')
    await expect(notJson.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export failed in its worker: .*JSON/)
  })

  test('a worker stopped before it answers rejects its results', async () => {
    const worker = startExportWorker(['html', 'xlsx'])
    worker.run(matrixToJson(sampleMatrix()))
    await worker.stop()
    await expect(worker.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export worker exited/)
  })
})
