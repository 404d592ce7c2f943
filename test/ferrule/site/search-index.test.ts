import { describe, expect, test } from 'vitest'
import { ruleIdShards } from '../../../tools/ferrule/site/search-index.ts'
import { compileBook } from '../../helpers/book.ts'

/** A chapter of `count` rules `prefix.N`, and a grammar block of `productions` productions. */
function chapter(prefix: string, count: number, productions = 0): string {
  const rules = Array.from({ length: count }, (_, n) => `r[${prefix}.r${n}]\nRule ${n}.\n`)
  const grammar = productions === 0 ? [] : ['```grammar,test', ...Array.from({ length: productions }, (_, n) => `P${n} -> \`p${n}\`\n`), '```']
  return [`# ${prefix}`, '', ...rules, ...grammar, ''].join('\n')
}

async function shardsOf(chapters: Record<string, string>) {
  const summary = ['# Summary', '', ...Object.keys(chapters).map((name) => `- [${name}](${name})`), ''].join('\n')
  const spec = await compileBook({ 'SUMMARY.md': summary, ...chapters })
  const files = ruleIdShards(spec)
  const ranges = JSON.parse(files.get('search/ids.json')!) as Array<[string, string]>
  const shards = ranges.map((_, index) => JSON.parse(files.get(`search/ids/${index}.json`)!) as Array<[string, string, string, string]>)
  return { spec, files, ranges, shards }
}

/** What the reader's script fetches for `query`: the shards whose range meets the IDs that start with it. */
function wanted(ranges: Array<[string, string]>, query: string): number[] {
  return ranges.flatMap(([first, last], index) => (first < `${query}\uffff` && last >= query ? [index] : []))
}

describe('shards of rule IDs', () => {
  test('hold every rule once, at most 200 to a shard, in lower-cased order, with their first and last ID in ids.json', async () => {
    const { spec, files, ranges, shards } = await shardsOf({ 'a.md': chapter('alpha', 30), 'b.md': chapter('beta', 450), 'g.md': chapter('gamma', 5, 600) })
    expect(files.size).toBe(ranges.length + 1)
    expect(shards.flat().map((row) => row[0]).sort()).toEqual([...spec.index.ids].sort())
    for (const shard of shards) expect(shard.length).toBeLessThanOrEqual(200)
    const keys = shards.flat().map((row) => row[0].toLowerCase())
    expect(keys).toEqual([...keys].sort())
    shards.forEach((shard, index) => expect(ranges[index]).toEqual([shard[0]![0].toLowerCase(), shard.at(-1)![0].toLowerCase()]))
    // 600 productions under one first segment take 3 shards, not a file each.
    expect(shards.filter((shard) => shard.some((row) => row[0].startsWith('grammar.'))).length).toBeLessThanOrEqual(4)
  })

  test('a small group shares its shard; a query fetches only the shards that may hold its IDs', async () => {
    const { ranges, shards } = await shardsOf({ 'a.md': chapter('alpha', 30), 'b.md': chapter('beta', 450), 'g.md': chapter('gamma', 5, 600) })
    const holding = (query: string) => shards.flatMap((shard, index) => (shard.some((row) => row[0].toLowerCase().startsWith(query)) ? [index] : []))
    for (const query of ['alpha', 'alpha.r1', 'beta.r4', 'beta.r44', 'grammar.p5', 'grammar.p59', 'gamma.r0', 'zzz']) {
      expect(wanted(ranges, query)).toEqual(holding(query))
    }
    expect(wanted(ranges, 'beta.r449')).toHaveLength(1)
    // A production's ID is found in any case: the reader types it lower-cased.
    const row = shards[wanted(ranges, 'grammar.p599')[0]!]!.find((candidate) => candidate[0] === 'grammar.P599')!
    expect(row[1]).toBe('g.html#grammar-P599')
  })
})
