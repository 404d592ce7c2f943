import { XMLParser } from 'fast-xml-parser'
import { describe, expect, test } from 'vitest'
import { productionToSvg } from '../../../tools/ferrule/grammar/index.ts'
import { only } from './helpers.ts'

const href = (name: string) => (name === 'Missing' ? undefined : `#grammar-${name}`)

interface XmlNode {
  [key: string]: XmlNode[] | string | Record<string, string>
}

/** Parses SVG text with a real XML parser, keeping order, and fails on malformed XML. */
function parse(svg: string): XmlNode[] {
  return new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: true, htmlEntities: true }).parse(svg, true) as XmlNode[]
}

/** Every element named `tag`, depth first, with its attributes and its text. */
function elements(nodes: XmlNode[], tag: string, found: Array<{ attributes: Record<string, string>; text: string; children: XmlNode[] }> = []) {
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@' || key === '#text' || !Array.isArray(value)) continue
      if (key === tag) found.push({ attributes: (node[':@'] as Record<string, string>) ?? {}, text: textOf(value), children: value })
      elements(value, tag, found)
    }
  }
  return found
}

function textOf(nodes: XmlNode[]): string {
  return nodes.map((node) => ('#text' in node ? String(node['#text']) : Object.entries(node).filter(([key]) => key !== ':@').map(([, value]) => (Array.isArray(value) ? textOf(value) : '')).join(''))).join('')
}

describe('productionToSvg', () => {
  const production = only('Function -> `fn` Name Params? (`->` Type)? Missing _except Other_\n    | <prose text> [`a`-`z` LF]+ `&<`')
  const svg = productionToSvg(production, { href })
  const tree = parse(svg)

  test('is one well-formed <svg> of the railroad-diagram class, with a size', () => {
    const [root] = elements(tree, 'svg')
    expect(elements(tree, 'svg')).toHaveLength(1)
    expect(root!.attributes.class).toBe('railroad-diagram grammar-diagram')
    expect(Number(root!.attributes.width)).toBeGreaterThan(100)
    expect(root!.attributes.viewBox).toMatch(/^0 0 \d+(\.\d+)? \d+(\.\d+)?$/)
  })

  test('each defined nonterminal is a link with the href given, around its box and name', () => {
    const links = elements(tree, 'a')
    expect(links.map((link) => [link.attributes.href, link.text])).toEqual([
      ['#grammar-Name', 'Name'],
      ['#grammar-Params', 'Params'],
      ['#grammar-Type', 'Type'],
      ['#grammar-LF', 'LF'],
    ])
    for (const link of links) expect(elements(link.children, 'rect')).toHaveLength(1)
  })

  test('an undefined nonterminal is a box without a link, in the grammar-undefined class', () => {
    const undefinedGroups = elements(tree, 'g').filter((group) => group.attributes.class === 'non-terminal grammar-undefined')
    expect(undefinedGroups.map((group) => group.text)).toEqual(['Missing'])
    expect(elements(undefinedGroups[0]!.children, 'a')).toEqual([])
  })

  test('terminals, ranges, prose and suffixes appear as text; markup in terminals is escaped, not interpreted', () => {
    const texts = elements(tree, 'text').map((text) => text.text)
    expect(texts).toEqual(['fn', 'Name', 'Params', '->', 'Type', 'Missing', 'except Other', 'prose text', 'a to z', 'LF', '&<'])
    const terminals = elements(tree, 'g').filter((group) => group.attributes.class?.startsWith('terminal')).map((group) => group.text)
    expect(terminals).toEqual(['fn', '->', 'a to z', '&<'])
  })

  test('has no colours of its own: only currentColor, so light and dark themes both read it', () => {
    expect(svg).not.toMatch(/style=|#[0-9a-f]{3,6}\b|rgb\(|black|white/i)
    const [root] = elements(tree, 'svg')
    expect(root!.attributes.stroke).toBe('currentColor')
    for (const text of elements(tree, 'text')) expect(text.attributes.fill).toBe('currentColor')
  })

  test('is deterministic: the same production gives the same bytes', () => {
    expect(productionToSvg(only('Function -> `fn` Name Params? (`->` Type)? Missing _except Other_\n    | <prose text> [`a`-`z` LF]+ `&<`'), { href })).toBe(svg)
  })

  test('repetitions loop back, optional parts can be skipped, and ranges say how often in words', () => {
    const ranged = parse(productionToSvg(only('P -> `#`{n:1..=255} `x`{n} A{..4}'), { href }))
    const comments = elements(ranged, 'text').filter((text) => text.attributes.class === 'comment').map((text) => text.text)
    expect(comments).toEqual(['1 to 255 times, counted as n', 'exactly n times', 'at most 3 times'])
  })

  test('control characters, which XML cannot hold, are shown by code point', () => {
    const svgText = productionToSvg(only('P -> `a\u0001b`'), { href })
    expect(() => parse(svgText)).not.toThrow()
    expect(elements(parse(svgText), 'text').map((text) => text.text)).toEqual(['aU+0001b'])
  })
})
