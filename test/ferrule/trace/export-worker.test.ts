import { describe, expect, test } from 'vitest'
import { encoded, startExportWorker } from '../../../tools/ferrule/trace/export-worker.ts'
import { matrixToHtml } from '../../../tools/ferrule/trace/exporters/html.ts'
import { matrixToXlsx } from '../../../tools/ferrule/trace/exporters/xlsx.ts'
import type { Matrix } from '../../../tools/ferrule/trace/types.ts'
import { sampleMatrix } from '../../helpers/matrix.ts'

describe('startExportWorker', () => {
  test('gives the bytes of each exporter run here', async () => {
    const matrix = sampleMatrix()
    const both = startExportWorker(['html', 'xlsx'])
    const one = startExportWorker(['xlsx'])
    both.run(matrix)
    one.run(matrix)
    const html = Buffer.concat(await both.result('html')).toString('utf8')
    expect(html).toBe(matrixToHtml(matrix))
    // The test linked to no rule, which the matrix the worker gets still lists.
    expect(html).toContain('an unlinked test')
    expect(Buffer.concat(await both.result('xlsx'))).toEqual(Buffer.from(await matrixToXlsx(matrix)))
    expect(await one.result('xlsx')).toEqual(await both.result('xlsx'))
    expect(() => one.result('html')).toThrow(/^Bug in Ferrule: no html export in this worker, which makes xlsx/)
  })

  test('encoded gives the UTF-8 of its pieces in buffers of their own, however long a piece', () => {
    const pieces = ['α ü 😀 ', ...Array.from({ length: 40 }, (_, index) => `${index} ✓ `.repeat(20_000)), 'x'.repeat(5_000_000), '€'.repeat(2_000_000), 'end']
    const buffers = encoded(pieces)
    expect(buffers.length).toBeGreaterThan(2)
    expect(Buffer.concat(buffers).toString('utf8')).toBe(pieces.join(''))
    // Each may be transferred: none shares its memory with another or with Node's buffer pool.
    expect(new Set(buffers.map((buffer) => buffer.buffer)).size).toBe(buffers.length)
    for (const buffer of buffers) expect(buffer.buffer.byteLength).toBeGreaterThanOrEqual(4 << 20)
  })

  test('an export that throws rejects as a bug in Ferrule, naming its format', async () => {
    const broken = startExportWorker(['html', 'xlsx'])
    broken.run({ ...sampleMatrix(), summary: null } as unknown as Matrix)
    await expect(broken.result('html')).rejects.toThrow(/^Bug in Ferrule: the html export failed in its worker: /)
    await expect(broken.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export failed in its worker: /)
  })

  test('a worker stopped before it answers rejects its results', async () => {
    const worker = startExportWorker(['html', 'xlsx'])
    worker.run(sampleMatrix())
    await worker.stop()
    await expect(worker.result('xlsx')).rejects.toThrow(/^Bug in Ferrule: the xlsx export worker exited/)
  })
})
