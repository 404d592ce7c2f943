import { isIdent, isPunct, matching, rustCode, STRING_KINDS, type Token } from '../sandpit/index.ts'

/** The counts of one crate (or one file), in the shape of `cratesec unsafe-stats --json`. */
export interface UnsafeCounts {
  functions: { safe: number; unsafe: number }
  blocks: { unsafe: number }
  impls: { safe: number; unsafe: number }
  traits: { safe: number; unsafe: number }
  methods: { safe: number; unsafe: number }
}

/** Counts of zero. */
export function emptyCounts(): UnsafeCounts {
  return { functions: { safe: 0, unsafe: 0 }, blocks: { unsafe: 0 }, impls: { safe: 0, unsafe: 0 }, traits: { safe: 0, unsafe: 0 }, methods: { safe: 0, unsafe: 0 } }
}

/** `into` plus `counts`, in place. */
export function addCounts(into: UnsafeCounts, counts: UnsafeCounts): UnsafeCounts {
  into.functions.safe += counts.functions.safe
  into.functions.unsafe += counts.functions.unsafe
  into.blocks.unsafe += counts.blocks.unsafe
  into.impls.safe += counts.impls.safe
  into.impls.unsafe += counts.impls.unsafe
  into.traits.safe += counts.traits.safe
  into.traits.unsafe += counts.traits.unsafe
  into.methods.safe += counts.methods.safe
  into.methods.unsafe += counts.methods.unsafe
  return into
}

/** What a `{` opens, as far as counting goes: where a `fn` is a method, a foreign function or a function. */
type Block = 'impl' | 'trait' | 'extern' | 'other'

// Tokens after which `impl` starts an item rather than an `impl Trait` type.
const itemStarts = new Set([';', '}', '{', ']'])
// Qualifiers that may stand before `fn` (`pub const unsafe extern "C" fn`).
const qualifiers = new Set(['const', 'async', 'unsafe', 'safe', 'extern', 'default'])

/**
 * Count the items of one Rust source file (`unsafe-stats.counts`) from its tokens, comments and
 * test-only items left out (the heuristics' tokenizer, `rustCode`), one token at a time with a
 * stack of what each open `{` belongs to:
 *
 * 1. `impl` in item position (not `-> impl Trait`) and `trait` are counted, safe or `unsafe`; the
 *    next `{` opens their body.
 * 2. `fn NAME` is a method when the innermost open block is an `impl` or `trait` body, a foreign
 *    function (unsafe to call unless marked `safe`) in an `extern` block, else a function; unsafe
 *    with `unsafe` among its qualifiers. `fn(...)` types are no items.
 * 3. `unsafe {` is an unsafe block.
 * 4. `macro_rules!` bodies are skipped: they are templates, counted nowhere.
 */
export function countUnsafe(text: string): UnsafeCounts {
  const { code } = rustCode(text)
  const counts = emptyCounts()
  const stack: Block[] = []
  let pending: Block | undefined
  for (let index = 0; index < code.length; index++) {
    const token = code[index]!
    const previous = code[index - 1]
    if (token.kind === 'punct') {
      if (token.text === '{') {
        stack.push(pending ?? 'other')
        pending = undefined
      } else if (token.text === '}') stack.pop()
      else if (token.text === ';') pending = undefined
      continue
    }
    if (token.kind !== 'ident' || token.raw) continue
    // 4.
    if (token.value === 'macro_rules' && isPunct(code[index + 1], '!')) {
      const open = code.findIndex((candidate, at) => at > index && (isPunct(candidate, '{') || isPunct(candidate, '(') || isPunct(candidate, '[')))
      if (open !== -1) index = matching(code, open)
      continue
    }
    const isUnsafe = isIdent(previous, 'unsafe') || (isIdent(previous, 'auto') && isIdent(code[index - 2], 'unsafe'))
    switch (token.value) {
      // 1.
      case 'impl':
        if (previous === undefined || (previous.kind === 'punct' && itemStarts.has(previous.text)) || isIdent(previous, 'unsafe') || isIdent(previous, 'default')) {
          counts.impls[isUnsafe ? 'unsafe' : 'safe']++
          pending = 'impl'
        }
        break
      case 'trait':
        counts.traits[isUnsafe ? 'unsafe' : 'safe']++
        pending = 'trait'
        break
      case 'extern':
        // `extern "C" {` or `extern {`: a block of foreign items.
        if (isPunct(code[index + 1], '{') || (STRING_KINDS.has(code[index + 1]?.kind ?? 'unknown') && isPunct(code[index + 2], '{'))) pending = 'extern'
        break
      // 2.
      case 'fn':
        if (code[index + 1]?.kind === 'ident') countFunction(counts, code, index, stack.at(-1))
        break
      // 3.
      case 'unsafe':
        if (isPunct(code[index + 1], '{')) counts.blocks.unsafe++
        break
    }
  }
  return counts
}

function countFunction(counts: UnsafeCounts, code: readonly Token[], index: number, block: Block | undefined): void {
  let unsafe = false
  let safe = false
  for (let back = index - 1; back >= 0; back--) {
    const token = code[back]!
    if (STRING_KINDS.has(token.kind)) continue
    if (token.kind !== 'ident' || !qualifiers.has(token.value)) break
    if (token.value === 'unsafe') unsafe = true
    if (token.value === 'safe') safe = true
  }
  if (block === 'impl' || block === 'trait') counts.methods[unsafe ? 'unsafe' : 'safe']++
  else if (block === 'extern') counts.functions[safe ? 'safe' : 'unsafe']++
  else counts.functions[unsafe ? 'unsafe' : 'safe']++
}
