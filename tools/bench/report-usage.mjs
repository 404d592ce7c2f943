/**
 * Preloaded into a benchmarked process (`node --import`): on exit, prints the process's peak
 * resident set size to stderr as one JSON line, which the benchmark reads.
 */
import { writeSync } from 'node:fs'

process.on('exit', () => {
  writeSync(2, `\n${JSON.stringify({ ferruleBenchMaxRssKb: process.resourceUsage().maxRSS })}\n`)
})
