/**
 * The words of an executable example's info string.
 *
 * To add a new word: 1. add it to `tsWords` or `rustWords` (or a pattern to `rustPatterns`);
 * 2. give it a meaning in `readWord`; 3. if readers should see it, list it in `exampleBadges`.
 */
import type { ExampleInfo, ExampleRunner, RustMode } from './types.ts'

const tsWords = ['ignore', 'should-throw'] as const
const rustWords = ['ignore', 'compile_fail', 'should_panic', 'no_run'] as const
/** `edition2021` and the error codes of rustdoc's `compile_fail,E0382`. */
const rustPatterns = [/^edition(\d{4})$/, /^E\d{4}$/]
const ruleWord = /^rule=(.*)$/

/** Languages whose blocks run as tests, by the language word of the info string. */
const runners: Record<string, ExampleRunner> = { ts: 'ts', typescript: 'ts', rust: 'rust' }

/** Every word a block of this runner may carry, for hints. */
export function knownWords(runner: ExampleRunner): string[] {
  return runner === 'ts' ? [...tsWords, 'rule=ID'] : [...rustWords, 'editionNNNN', 'rule=ID']
}

/**
 * Read the info string of a fenced block (after `remarkFerruleCodeInfo` split `rust,ignore` into
 * language and meta). Returns `undefined` for blocks that are not executable examples.
 *
 * Everything after the word `ignore` is the reason the example is never run, so other words go
 * before it: ` ```ts rule=a.b ignore needs network access `.
 */
export function exampleInfo(lang: string | null | undefined, meta: string | null | undefined): ExampleInfo | undefined {
  const runner = lang ? runners[lang] : undefined
  if (!runner) return undefined
  const info: ExampleInfo = {
    runner,
    rule: undefined,
    ignore: undefined,
    shouldThrow: false,
    mode: 'run',
    edition: undefined,
    errorCodes: [],
    unknownWords: [],
  }
  let rest = meta ?? ''
  for (;;) {
    const match = /^[\s,]*([^\s,]+)/.exec(rest)
    if (!match) break
    const word = match[1]!
    rest = rest.slice(match[0].length)
    if (word === 'ignore') {
      info.ignore = rest.replace(/^[\s,:;-]+/, '').trim()
      break
    }
    readWord(info, word)
  }
  return info
}

function readWord(info: ExampleInfo, word: string): void {
  const rule = ruleWord.exec(word)
  if (rule) {
    info.rule = rule[1]
    return
  }
  if (info.runner === 'ts') {
    if (word === 'should-throw') info.shouldThrow = true
    else info.unknownWords.push(word)
    return
  }
  if (word === 'compile_fail' || word === 'should_panic' || word === 'no_run') {
    info.mode = stronger(info.mode, word)
    return
  }
  const edition = rustPatterns[0]!.exec(word)
  if (edition) info.edition = edition[1]
  else if (rustPatterns[1]!.test(word)) info.errorCodes.push(word)
  else info.unknownWords.push(word)
}

/** rustdoc lets `compile_fail` win over `no_run`, and both over `should_panic`: nothing runs that cannot compile. */
function stronger(current: RustMode, next: RustMode): RustMode {
  const order: RustMode[] = ['run', 'should_panic', 'no_run', 'compile_fail']
  return order.indexOf(next) > order.indexOf(current) ? next : current
}

/** Words readers see as badges on the rendered example, in a fixed order. */
export function exampleBadges(info: ExampleInfo): string[] {
  const badges: string[] = []
  if (info.ignore !== undefined) badges.push('ignore')
  if (info.runner === 'ts') {
    if (info.shouldThrow) badges.push('should-throw')
  } else {
    if (info.mode !== 'run') badges.push(info.mode)
    if (info.edition) badges.push(`edition${info.edition}`)
    badges.push(...info.errorCodes)
  }
  return badges
}
