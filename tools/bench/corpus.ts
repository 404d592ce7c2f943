import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** The size of a real language reference, as the core issue asks the benchmark to use. */
export const corpusShape = {
  parts: 6,
  topLevelPerPart: 5,
  childrenPerTopLevel: 3,
  sectionsPerChapter: 5,
  rulesPerSection: 5,
  rustBlocksPerChapter: 5,
  crossLinks: 2000,
} as const

export interface CorpusStats {
  chapters: number
  rules: number
  bytes: number
  rustBlocks: number
  crossLinks: number
}

/** A small deterministic PRNG (mulberry32), so that every run benchmarks the same corpus. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const words = (
  'value place type trait lifetime borrow reference pointer slice array tuple struct enum union variant field ' +
  'method function closure expression statement pattern binding scope module crate item path generic bound ' +
  'implementation receiver argument parameter operand result panic unwind drop move copy clone layout alignment ' +
  'size niche discriminant representation allocation provenance validity safety invariant evaluation order ' +
  'constant static mutable shared exclusive variance subtyping coercion inference unification projection'
).split(' ')

const rustSnippets = [
  'fn add(a: u32, b: u32) -> u32 {\n    a.checked_add(b).expect("overflow")\n}\n\nlet total = add(2, 3);\nassert_eq!(total, 5);',
  'struct Point { x: i32, y: i32 }\n\nimpl Point {\n    fn norm1(&self) -> i32 {\n        self.x.abs() + self.y.abs()\n    }\n}\n\nlet p = Point { x: -3, y: 4 };\nassert_eq!(p.norm1(), 7);',
  'let v: Vec<u64> = (1..=10).map(|i| i * i).filter(|n| n % 2 == 0).collect();\nlet sum: u64 = v.iter().sum();\nprintln!("{sum}");',
  'enum Shape { Circle(f64), Square(f64) }\n\nfn area(s: &Shape) -> f64 {\n    match s {\n        Shape::Circle(r) => std::f64::consts::PI * r * r,\n        Shape::Square(side) => side * side,\n    }\n}',
  'trait Speak { fn speak(&self) -> String; }\n\nstruct Dog;\nimpl Speak for Dog {\n    fn speak(&self) -> String { String::from("woof") }\n}\n\nlet animals: Vec<Box<dyn Speak>> = vec![Box::new(Dog)];\nfor a in &animals { println!("{}", a.speak()); }',
  'use std::collections::HashMap;\n\nlet mut counts: HashMap<&str, usize> = HashMap::new();\nfor word in "a b a c b a".split_whitespace() {\n    *counts.entry(word).or_insert(0) += 1;\n}\nassert_eq!(counts["a"], 3);',
]

/**
 * Write a generated book under `folder`: parts of chapters with nested chapters, each chapter with
 * sections of rules, Rust blocks, admonitions, a table and cross-chapter rule links.
 */
export async function writeCorpus(folder: string, seed = 2026): Promise<CorpusStats> {
  const next = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const sentence = (count: number) => {
    const chosen = Array.from({ length: count }, () => pick(words))
    chosen[0] = chosen[0]!.charAt(0).toUpperCase() + chosen[0]!.slice(1)
    return chosen.join(' ') + '.'
  }

  // The outline first, so every chapter's rule IDs are known before links are drawn.
  const chapters: Array<{ path: string; title: string; prefix: string; depth: number }> = []
  const summary = ['# Summary', '']
  for (let part = 0; part < corpusShape.parts; part++) {
    summary.push(`# Part ${part + 1}`, '')
    for (let top = 0; top < corpusShape.topLevelPerPart; top++) {
      const prefix = `p${part}.c${top}`
      chapters.push({ path: `part-${part}/chapter-${top}.md`, title: `Chapter ${part}.${top}`, prefix, depth: 0 })
      summary.push(`- [Chapter ${part}.${top}](part-${part}/chapter-${top}.md)`)
      for (let child = 0; child < corpusShape.childrenPerTopLevel; child++) {
        const childPath = `part-${part}/chapter-${top}/section-${child}.md`
        chapters.push({ path: childPath, title: `Section ${part}.${top}.${child}`, prefix: `${prefix}.s${child}`, depth: 1 })
        summary.push(`    - [Section ${part}.${top}.${child}](${childPath})`)
      }
    }
    summary.push('')
  }
  const ruleIds = chapters.map((chapter) =>
    Array.from({ length: corpusShape.sectionsPerChapter * corpusShape.rulesPerSection }, (_, n) => `${chapter.prefix}.r${n}`),
  )
  const linksPerChapter = Math.ceil(corpusShape.crossLinks / chapters.length)

  let bytes = 0
  let crossLinks = 0
  let rustBlocks = 0
  const write = async (relative: string, text: string) => {
    bytes += Buffer.byteLength(text)
    await mkdir(path.dirname(path.join(folder, relative)), { recursive: true })
    await writeFile(path.join(folder, relative), text)
  }
  await write('SUMMARY.md', summary.join('\n'))

  for (const [index, chapter] of chapters.entries()) {
    let linksLeft = Math.min(linksPerChapter, corpusShape.crossLinks - crossLinks)
    const lines = ['---', 'owner: T-lang', 'status: draft', '---', '', `# ${chapter.title}`, '']
    let rule = 0
    for (let section = 0; section < corpusShape.sectionsPerChapter; section++) {
      lines.push(`## Section ${section + 1}: ${pick(words)} and ${pick(words)}`, '')
      for (let n = 0; n < corpusShape.rulesPerSection; n++, rule++) {
        let text = `${sentence(16)} A \`${pick(words)}\` is *${pick(words)}* when ${sentence(14).toLowerCase()}`
        if (linksLeft > 0 && (n + section) % 2 === 0) {
          let target = Math.floor(next() * chapters.length)
          if (target === index) target = (target + 1) % chapters.length
          text += ` See [the ${pick(words)} rule][${pick(ruleIds[target]!)}].`
          linksLeft--
          crossLinks++
        }
        text += ` ${sentence(12)}`
        lines.push(`r[${ruleIds[index]![rule]}]`, text, '')
        if (n === 1 && section < corpusShape.rustBlocksPerChapter) {
          lines.push('```rust', pick(rustSnippets), '```', '')
          rustBlocks++
        }
      }
      lines.push('> [!NOTE]', `> ${sentence(16)}`, '')
      if (section === 2) {
        lines.push('| Kind | Meaning |', '|---|---|', ...Array.from({ length: 4 }, () => `| \`${pick(words)}\` | ${sentence(8)} |`), '')
      }
    }
    // Top up the links so that the corpus has exactly the number asked for.
    while (linksLeft-- > 0) {
      let target = Math.floor(next() * chapters.length)
      if (target === index) target = (target + 1) % chapters.length
      lines.push(`See also [${pick(ruleIds[target]!)}].`, '')
      crossLinks++
    }
    await write(chapter.path, lines.join('\n'))
  }
  const rules = ruleIds.reduce((sum, ids) => sum + ids.length, 0)
  return { chapters: chapters.length, rules, bytes, rustBlocks, crossLinks }
}
