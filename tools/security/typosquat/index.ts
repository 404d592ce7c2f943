// Typosquatting detection (spec: security/typosquatting.md): is a new crate name deceptively
// similar to a popular one? Typomania's checks, crates.io's affixes, and beyond them a Unicode
// confusables check and an explanation of the edit behind every match.
export { CRATE_NAME_ALPHABET } from './alphabet.ts'
export type { CheckName, Match, TyposquatCheck } from './check.ts'
export { CHECKS, type CheckNameOptions, checkName, type Squat } from './check-name.ts'
export { AFFIX_SEPARATORS, AFFIXES } from './checks/affixes.ts'
export { MAX_SWAPPED_WORDS } from './checks/swapped-words.ts'
export { type Corpus, type CorpusOptions, type CorpusRecord, createCorpus, DEFAULT_TOP_CRATES, isPossibleSquat } from './corpus.ts'
export { type CsvSource, corpusRecordsFromDump, type DumpOptions, type DumpSources } from './corpus-dump.ts'
export { corpusRecordsFromJson } from './corpus-json.ts'
export type { LoadedRecords, MalformedRecord } from './corpus-records.ts'
export { type LoadedCorpus, loadCorpus } from './load-corpus.ts'
export { skeleton } from './skeleton.ts'
export { KEYBOARD_LAYOUTS, LOOK_ALIKES, SEPARATOR_TYPOS, TYPO_TABLE } from './typo-table.ts'
