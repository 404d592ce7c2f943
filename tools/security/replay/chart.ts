import type { Metrics } from './metrics.ts'

const width = 640
const height = 360
const margin = { left: 56, right: 150, top: 24, bottom: 48 }
const series = [
  { key: 'precision', label: 'precision', color: '#1f77b4', dash: '' },
  { key: 'recall', label: 'recall', color: '#d62728', dash: '6 3' },
  { key: 'f1', label: 'F1', color: '#2ca02c', dash: '2 2' },
] as const

/**
 * The sweep as a standalone SVG line chart (`replay.sweep`): precision, recall and F1 (0 to 1)
 * against the threshold, the configured threshold marked. Undefined values leave a gap. Every
 * number is printed with fixed decimals, so the same sweep gives the same bytes.
 */
export function sweepChart(rows: readonly Metrics[], chosen: number): string {
  const plotWidth = width - margin.left - margin.right
  const plotHeight = height - margin.top - margin.bottom
  const low = rows[0]?.threshold ?? 0
  const high = Math.max(rows.at(-1)?.threshold ?? 1, low + 1)
  const x = (threshold: number) => (margin.left + ((threshold - low) / (high - low)) * plotWidth).toFixed(1)
  const y = (value: number) => (margin.top + (1 - value) * plotHeight).toFixed(1)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<title>Quarantine threshold sweep: precision, recall and F1</title>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ]
  for (let tick = 0; tick <= 10; tick += 2) {
    const value = tick / 10
    parts.push(`<line x1="${margin.left}" y1="${y(value)}" x2="${margin.left + plotWidth}" y2="${y(value)}" stroke="#e0e0e0"/>`)
    parts.push(`<text x="${margin.left - 8}" y="${y(value)}" text-anchor="end" dominant-baseline="middle">${value.toFixed(1)}</text>`)
  }
  const every = Math.max(1, Math.ceil(rows.length / 10))
  rows.forEach((row, index) => {
    if (index % every !== 0 && index !== rows.length - 1) return
    parts.push(`<text x="${x(row.threshold)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${row.threshold}</text>`)
  })
  parts.push(`<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#000000"/>`)
  parts.push(`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#000000"/>`)
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">quarantine threshold (score)</text>`)
  if (chosen >= low && chosen <= high) {
    parts.push(`<line x1="${x(chosen)}" y1="${margin.top}" x2="${x(chosen)}" y2="${margin.top + plotHeight}" stroke="#555555" stroke-dasharray="4 4"/>`)
    parts.push(`<text x="${x(chosen)}" y="${margin.top - 8}" text-anchor="middle">chosen ${chosen}</text>`)
  }
  series.forEach((line, index) => {
    // A run of defined points is one polyline; an undefined value ends it.
    let run: string[] = []
    const flush = () => {
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''} points="${run.join(' ')}"/>`)
      if (run.length === 1) parts.push(`<circle cx="${run[0]!.split(',')[0]}" cy="${run[0]!.split(',')[1]}" r="2.5" fill="${line.color}"/>`)
      run = []
    }
    for (const row of rows) {
      const value = row[line.key]
      if (value === null) flush()
      else run.push(`${x(row.threshold)},${y(Number(value))}`)
    }
    flush()
    const legendY = margin.top + 16 + index * 20
    parts.push(`<line x1="${width - margin.right + 16}" y1="${legendY}" x2="${width - margin.right + 44}" y2="${legendY}" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''}/>`)
    parts.push(`<text x="${width - margin.right + 50}" y="${legendY}" dominant-baseline="middle">${line.label}</text>`)
  })
  parts.push('</svg>', '')
  return parts.join('\n')
}
