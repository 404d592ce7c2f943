import { type LoadedRecords, RecordCollector } from './corpus-records.ts'

/**
 * Corpus records from the text of a JSON file (`typo.corpus.json`): an array of
 * `{"name", "owners", "downloads"}`. A malformed element is skipped and reported with its index
 * (`sec.malformed.continue`); text that is not a JSON array is a fatal error naming `file`.
 */
export function corpusRecordsFromJson(text: string, file = 'corpus.json'): LoadedRecords {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(value)) throw new Error(`${file}: expected a JSON array of {"name", "owners", "downloads"}, found ${typeName(value)}`)
  const collector = new RecordCollector(file)
  value.forEach((element: unknown, index) => {
    const location = `[${index}]`
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      collector.reject(location, `expected an object {"name", "owners", "downloads"}, found ${typeName(element)}`)
      return
    }
    const record = element as Record<string, unknown>
    collector.add(location, record.name, record.owners, record.downloads)
  })
  return { records: collector.records, malformed: collector.malformed }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
