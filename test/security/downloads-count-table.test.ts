import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { CountTable, hashDay, keyHash } from '../../tools/security/downloads/count-table.ts'

const same = (text: string) => text

describe('CountTable', () => {
  // Few names, so that keys repeat; a table made for 1 key, so that it grows and its slots collide.
  const key = fc.record({ day: fc.constantFrom('2024-01-15', '2024-01-16'), crate: fc.constantFrom('a', 'b', 'a1', 'serde', 'serde_json', 'x'), version: fc.constantFrom('1.0.0', '.0.0', '1.0.0+b', '0.1.0') })

  test('[dl.counts] counts each (day, crate, version) once, in the order first counted, however it grows and batches are taken', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 9, arbitrary: key }, { weight: 1, arbitrary: fc.constant('take' as const) }), { maxLength: 300 }), (steps) => {
        const table = new CountTable(1)
        let expected = new Map<string, number>()
        const check = () => {
          const taken = table.take()
          expect(taken.map((count) => [`${count.day} ${count.crate} ${count.version}`, count.count])).toEqual([...expected])
          expected = new Map()
          expect(table.size).toBe(0)
        }
        for (const step of steps) {
          if (step === 'take') check()
          else {
            expect(table.add(hashDay(step.day), step.day, step.crate, step.version, undefined, same)).toBe(true)
            const name = `${step.day} ${step.crate} ${step.version}`
            expected.set(name, (expected.get(name) ?? 0) + 1)
            expect(table.size).toBe(expected.size)
          }
        }
        check()
      }),
    )
  })

  test('[dl.cli.count] merge adds counts by key, into copies, in the order first merged', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key, count: fc.integer({ min: 1, max: 1000 }) }), { maxLength: 200 }), (steps) => {
        const table = new CountTable(1)
        const expected = new Map<string, number>()
        const given = steps.map(({ key: { day, crate, version }, count }) => ({ day, crate, version, count }))
        for (const count of given) {
          table.merge(hashDay(count.day), count)
          const name = `${count.day} ${count.crate} ${count.version}`
          expected.set(name, (expected.get(name) ?? 0) + count.count)
        }
        const merged = table.take()
        expect(merged.map((count) => [`${count.day} ${count.crate} ${count.version}`, count.count])).toEqual([...expected])
        for (const count of merged) expect(given).not.toContain(count)
      }),
    )
  })

  test('[dl.counts] keys whose hashes agree are counted apart', () => {
    // Two crate names of the same hash, found by trying names (some 2^16 tries for 32 bits).
    const day = hashDay('2024-01-15')
    const seen = new Map<number, string>()
    let pair: [string, string] | undefined
    for (let n = 0; pair === undefined; n++) {
      const crate = `c${n}`
      const hash = keyHash(day, crate, '1.0.0')
      const other = seen.get(hash)
      if (other === undefined) seen.set(hash, crate)
      else pair = [other, crate]
    }
    const table = new CountTable(4)
    for (const crate of [pair[0], pair[1], pair[1]]) table.add(day, '2024-01-15', crate, '1.0.0', undefined, same)
    expect(table.take().map((count) => [count.crate, count.count])).toEqual([[pair[0], 1], [pair[1], 2]])
  })

  test('[dl.counts] a key new to the table is refused when `accept` says no, and one already counted is not asked again', () => {
    const table = new CountTable(4)
    const asked: string[] = []
    const accept = (crate: string) => {
      asked.push(crate)
      return crate !== 'bad'
    }
    const day = hashDay('2024-01-15')
    expect(table.add(day, '2024-01-15', 'good', '1.0.0', accept, same)).toBe(true)
    expect(table.add(day, '2024-01-15', 'bad', '1.0.0', accept, same)).toBe(false)
    expect(table.add(day, '2024-01-15', 'good', '1.0.0', accept, same)).toBe(true)
    expect(asked).toEqual(['good', 'bad'])
    expect(table.take()).toEqual([{ day: '2024-01-15', crate: 'good', version: '1.0.0', count: 2 }])
  })

  test('[dl.counts] copies the strings of a new key with `own`, and only those', () => {
    const table = new CountTable(4)
    const owned: string[] = []
    const own = (text: string) => {
      owned.push(text)
      return ` ${text}`.slice(1)
    }
    for (let run = 0; run < 3; run++) table.add(hashDay('2024-01-15'), '2024-01-15', 'serde', '1.0.0', undefined, own)
    expect(owned).toEqual(['serde', '1.0.0'])
    expect(table.take()).toEqual([{ day: '2024-01-15', crate: 'serde', version: '1.0.0', count: 3 }])
  })
})
