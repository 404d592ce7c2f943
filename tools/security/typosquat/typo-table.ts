// The common-typo table (`typo.typos`): for each character a candidate may hold, the strings the
// imitated name may hold there instead.
//
// Its sources, in the order their replacements are tried:
// 1. Keyboard neighbours on the three layouts crates.io's own typo list covers (QWERTY, QWERTZ
//    and AZERTY), computed from the key positions below rather than typed in by hand, so that the
//    table is reviewable as geometry: two keys are neighbours when they touch in the same row, or
//    sit in adjacent rows less than one key width apart.
// 2. Look-alikes, including multi-character ones: `m` for `rn`, `w` for `vv`, `1` for `l`, ...
// 3. Separators: `-` and `_` for each other, and for nothing at all (a deletion).
// Characters outside the crate-name alphabet (`,`, `.`, `ü`, ...) are dropped: no crate name holds them.
import { isAlphabetCode } from './alphabet.ts'

interface Layout {
  name: string
  /** Rows from the digits down. */
  rows: readonly string[]
  /** Horizontal offset of each row's first key, in key widths (the usual stagger). */
  offsets: readonly number[]
}

const stagger = [0, 0.5, 0.75, 1.25]

/** The unshifted keys of each layout; AZERTY's digit row is the shifted one (its digits). */
export const KEYBOARD_LAYOUTS: readonly Layout[] = [
  { name: 'QWERTY', rows: ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'], offsets: stagger },
  { name: 'QWERTZ', rows: ['1234567890', 'qwertzuiop', 'asdfghjkl', 'yxcvbnm,.-'], offsets: stagger },
  { name: 'AZERTY', rows: ['1234567890', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'], offsets: stagger },
]

/** Look-alikes: a candidate's character, and what it may stand for in the imitated name. */
export const LOOK_ALIKES: readonly (readonly [string, readonly string[]])[] = [
  ['m', ['rn', 'nn']],
  ['w', ['vv']],
  ['l', ['1', 'i', 'I']],
  ['I', ['l', '1']],
  ['i', ['1', 'l']],
  ['1', ['l', 'i', 'I']],
  ['o', ['0']],
  ['0', ['o', 'O']],
  ['O', ['0']],
  ['s', ['5']],
  ['5', ['s']],
  ['z', ['2']],
  ['2', ['z']],
  ['u', ['v']],
  ['v', ['u']],
]

/** Separators: each stands for the other or for nothing. */
export const SEPARATOR_TYPOS: readonly (readonly [string, readonly string[]])[] = [
  ['-', ['_', '']],
  ['_', ['-', '']],
]

/** Keyboard neighbours of every key of `layout`. */
export function keyboardNeighbours(layout: Layout): Map<string, string[]> {
  const keys: { key: string; row: number; x: number }[] = []
  layout.rows.forEach((row, rowIndex) => {
    Array.from(row).forEach((key, column) => keys.push({ key, row: rowIndex, x: column + layout.offsets[rowIndex]! }))
  })
  const neighbours = new Map<string, string[]>()
  for (const a of keys) {
    const list: string[] = []
    for (const b of keys) {
      if (a === b) continue
      const sameRow = a.row === b.row && Math.abs(a.x - b.x) === 1
      const adjacentRow = Math.abs(a.row - b.row) === 1 && Math.abs(a.x - b.x) < 1
      if (sameRow || adjacentRow) list.push(b.key)
    }
    neighbours.set(a.key, list)
  }
  return neighbours
}

function buildTable(): ReadonlyMap<string, readonly string[]> {
  const table = new Map<string, Set<string>>()
  const add = (from: string, to: string) => {
    if (from === to || !isAlphabetCode(from.charCodeAt(0)) || from.length !== 1) return
    if (!Array.from(to).every((character) => isAlphabetCode(character.charCodeAt(0)))) return
    let set = table.get(from)
    if (!set) table.set(from, (set = new Set()))
    set.add(to)
  }
  for (const layout of KEYBOARD_LAYOUTS) {
    for (const [key, list] of keyboardNeighbours(layout)) for (const neighbour of list) add(key, neighbour)
  }
  for (const [from, list] of [...LOOK_ALIKES, ...SEPARATOR_TYPOS]) for (const to of list) add(from, to)
  return new Map([...table].map(([from, set]) => [from, Object.freeze([...set])]))
}

/** The table: a candidate's character, and the strings the imitated name may hold in its place. */
export const TYPO_TABLE: ReadonlyMap<string, readonly string[]> = buildTable()
