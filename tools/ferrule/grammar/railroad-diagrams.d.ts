// The package ships no types; this declares the part of its 1.0 API that `to-svg.ts` uses.
declare module 'railroad-diagrams' {
  /** A diagram element: laid out by `format`, serialised by `toString` without any DOM. */
  export interface FakeSvg {
    tagName: string
    attrs: Record<string, string | number>
    children: Array<FakeSvg | { toString(): string }> | string
    width: number
    up: number
    down: number
    format(x: number, y: number, width: number): FakeSvg
    toString(): string
  }
  /** The whole diagram, whose `format` takes its paddings (top, right, bottom, left). */
  export interface DiagramSvg extends Omit<FakeSvg, 'format'> {
    format(top?: number, right?: number, bottom?: number, left?: number): DiagramSvg
  }
  type Item = FakeSvg | string
  const railroad: {
    Diagram(...items: Item[]): DiagramSvg
    Sequence(...items: Item[]): FakeSvg
    Choice(normal: number, ...items: Item[]): FakeSvg
    Optional(item: Item, skip?: 'skip'): FakeSvg
    OneOrMore(item: Item, repeat?: Item): FakeSvg
    ZeroOrMore(item: Item, repeat?: Item, skip?: 'skip'): FakeSvg
    Terminal(text: string): FakeSvg
    NonTerminal(text: string): FakeSvg
    Comment(text: string): FakeSvg
    Skip(): FakeSvg
  }
  export default railroad
}
