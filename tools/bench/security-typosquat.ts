// Run by security.ts in a fresh process (so that its peak RSS is its own):
// `node --import tsx security-typosquat.ts CORPUS_SIZE CANDIDATES` prints one JSON line with the
// time to build the corpus and to check every candidate.
import { checkName, createCorpus } from '../security/typosquat/index.ts'
import { candidates, corpusRecords, crateNames } from './security-inputs.ts'

const corpusSize = Number(process.argv[2])
const count = Number(process.argv[3])
const names = crateNames(corpusSize)
const records = corpusRecords(names)
const names2 = candidates(names, count)

let started = performance.now()
const corpus = createCorpus(records, { top: corpusSize })
const corpusMs = performance.now() - started

started = performance.now()
let squats = 0
let flagged = 0
for (const name of names2) {
  const found = checkName(corpus, name, { owners: ['user:999999'] }).length
  squats += found
  if (found > 0) flagged++
}
const checkMs = performance.now() - started
console.log(JSON.stringify({ corpus: corpus.records.length, names: names2.length, corpusMs, checkMs, squats, flagged }))
