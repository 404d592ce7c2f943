import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RustMode } from '../ferrule/syntax/types.ts'

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
  /** Rust blocks by how they are tested. */
  rustModes: Record<RustMode, number>
  crossLinks: number
}

/** A small deterministic PRNG (mulberry32), so that every run benchmarks the same corpus. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Random draws from `seed`: a number, an item, a sentence of `count` of the corpus's words. */
function prose(seed: number) {
  const next = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  const sentence = (count: number) => {
    const chosen = Array.from({ length: count }, () => pick(words))
    chosen[0] = chosen[0]!.charAt(0).toUpperCase() + chosen[0]!.slice(1)
    return chosen.join(' ') + '.'
  }
  return { next, pick, sentence }
}

const words = (
  'value place type trait lifetime borrow reference pointer slice array tuple struct enum union variant field ' +
  'method function closure expression statement pattern binding scope module crate item path generic bound ' +
  'implementation receiver argument parameter operand result panic unwind drop move copy clone layout alignment ' +
  'size niche discriminant representation allocation provenance validity safety invariant evaluation order ' +
  'constant static mutable shared exclusive variance subtyping coercion inference unification projection'
).split(' ')

/** Blocks that compile and run to a normal exit; most of a reference's examples are like these. */
const runSnippets = [
  'fn add(a: u32, b: u32) -> u32 {\n    a.checked_add(b).expect("overflow")\n}\n\nlet total = add(2, 3);\nassert_eq!(total, 5);',
  'struct Point { x: i32, y: i32 }\n\nimpl Point {\n    fn norm1(&self) -> i32 {\n        self.x.abs() + self.y.abs()\n    }\n}\n\nlet p = Point { x: -3, y: 4 };\nassert_eq!(p.norm1(), 7);',
  'let v: Vec<u64> = (1..=10).map(|i| i * i).filter(|n| n % 2 == 0).collect();\nlet sum: u64 = v.iter().sum();\nprintln!("{sum}");',
  'enum Shape { Circle(f64), Square(f64) }\n\nfn area(s: &Shape) -> f64 {\n    match s {\n        Shape::Circle(r) => std::f64::consts::PI * r * r,\n        Shape::Square(side) => side * side,\n    }\n}',
  'trait Speak { fn speak(&self) -> String; }\n\nstruct Dog;\nimpl Speak for Dog {\n    fn speak(&self) -> String { String::from("woof") }\n}\n\nlet animals: Vec<Box<dyn Speak>> = vec![Box::new(Dog)];\nfor a in &animals { println!("{}", a.speak()); }',
  'use std::collections::HashMap;\n\nlet mut counts: HashMap<&str, usize> = HashMap::new();\nfor word in "a b a c b a".split_whitespace() {\n    *counts.entry(word).or_insert(0) += 1;\n}\nassert_eq!(counts["a"], 3);',
]

/** Blocks with a real type error, and the error codes rustc gives for it (checked by the runner). */
const compileFailSnippets: ReadonlyArray<{ codes: string; code: string }> = [
  { codes: ',E0308', code: 'let count: u32 = "three";' },
  { codes: ',E0308', code: 'fn greet(name: &str) -> String {\n    format!("hello {name}")\n}\n\nlet message = greet(42);' },
  { codes: ',E0277', code: 'struct Meters(f64);\n\nlet distance = Meters(3.0);\nprintln!("{}", distance);' },
  { codes: ',E0277', code: 'let values = vec![1, 2, 3];\nlet total: i32 = values.iter().map(|v| v * 2).collect();' },
  { codes: '', code: 'trait Area { fn area(&self) -> f64; }\n\nstruct Square(f64);\nimpl Area for Square {\n    fn area(&self) -> u32 { 0 }\n}' },
]

/** Blocks that compile but must not run in a test: they wait for the network, stdin or forever. */
const noRunSnippets = [
  'use std::net::TcpListener;\n\nlet listener = TcpListener::bind("0.0.0.0:80").unwrap();\nfor stream in listener.incoming() {\n    let _ = stream.unwrap();\n}',
  'use std::io::BufRead;\n\nfor line in std::io::stdin().lock().lines() {\n    println!("{}", line.unwrap().to_uppercase());\n}',
  'use std::time::Duration;\n\nlet mut ticks = 0u64;\nloop {\n    std::thread::sleep(Duration::from_secs(60));\n    ticks += 1;\n}',
]

/** Blocks that panic when run, as `should_panic` asks. */
const shouldPanicSnippets = [
  'let items = [1, 2, 3];\nlet index = std::hint::black_box(7);\nlet _ = items[index];',
  'let parsed: u32 = "forty-two".parse().expect("not a number");',
  'fn divide(a: u32, b: u32) -> u32 {\n    a.checked_div(b).expect("division by zero")\n}\n\ndivide(10, 0);',
  'let mut stack: Vec<u8> = Vec::new();\nstack.pop().unwrap();',
  'use std::collections::HashMap;\n\nlet prices: HashMap<&str, u32> = HashMap::new();\nlet _ = prices["tea"];',
]

/**
 * The info string and code of Rust block number `index`. The mode follows the index (of every 20
 * blocks: 2 `compile_fail`, 1 `no_run`, 1 `should_panic`, 16 run), the snippet is drawn with `pickFrom`,
 * and a line with the index makes every program distinct, so that a cold run compiles them all.
 */
function rustBlock(index: number, pickFrom: <T>(items: readonly T[]) => T): { mode: RustMode; info: string; code: string } {
  const distinct = `println!("example ${index}");`
  switch (index % 20) {
    case 5:
    case 15: {
      const snippet = pickFrom(compileFailSnippets)
      return { mode: 'compile_fail', info: `rust,compile_fail${snippet.codes}`, code: `${snippet.code}\n${distinct}` }
    }
    case 10:
      return { mode: 'no_run', info: 'rust,no_run', code: `${pickFrom(noRunSnippets)}\n${distinct}` }
    case 19:
      // The line goes first, since nothing after the panic runs.
      return { mode: 'should_panic', info: 'rust,should_panic', code: `${distinct}\n${pickFrom(shouldPanicSnippets)}` }
    default:
      return { mode: 'run', info: 'rust', code: `${pickFrom(runSnippets)}\n${distinct}` }
  }
}

/**
 * Write a generated book under `folder`: parts of chapters with nested chapters, each chapter with
 * sections of rules, Rust blocks, admonitions, a table and cross-chapter rule links.
 */
export async function writeCorpus(folder: string, seed = 2026): Promise<CorpusStats> {
  const { next, pick, sentence } = prose(seed)

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
  const rustModes: Record<RustMode, number> = { run: 0, compile_fail: 0, no_run: 0, should_panic: 0 }
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
          // One draw per block, as before the modes: the rest of the corpus stays as it was.
          const block = rustBlock(rustBlocks, pick)
          lines.push('```' + block.info, block.code, '```', '')
          rustModes[block.mode]++
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
  return { chapters: chapters.length, rules, bytes, rustBlocks, rustModes, crossLinks }
}

/**
 * Write one large chapter at `relative` under `folder` and add it to the outline: about 75 KB with
 * 60 Rust blocks, like the largest chapter of the Rust Reference. Its rules are `large.r0`... and
 * link to rules of the corpus. Returns its size in bytes and its rule IDs.
 */
export async function writeLargeChapter(folder: string, relative: string, seed = 2028): Promise<{ bytes: number; rules: string[] }> {
  const { pick, sentence } = prose(seed)
  const lines = ['---', 'owner: T-lang', 'status: draft', '---', '', '# A large chapter', '']
  const rules: string[] = []
  for (let block = 0; block < 60; block++) {
    if (block % 6 === 0) lines.push(`## Section ${block / 6 + 1}: ${pick(words)} and ${pick(words)}`, '')
    for (let n = 0; n < 2; n++) {
      const id = `large.r${rules.length}`
      rules.push(id)
      const link = n === 0 ? ` See [the ${pick(words)} rule][p${block % 6}.c${block % 5}.r${block % 25}].` : ''
      lines.push(`r[${id}]`, `${sentence(24)} A \`${pick(words)}\` is *${pick(words)}* when ${sentence(18).toLowerCase()}${link} ${sentence(16)}`, '')
    }
    const rust = rustBlock(10_000 + block, pick)
    lines.push('```' + rust.info, rust.code, '```', '')
    if (block % 10 === 9) lines.push('> [!NOTE]', `> ${sentence(30)}`, '')
  }
  const text = lines.join('\n')
  await mkdir(path.dirname(path.join(folder, relative)), { recursive: true })
  await writeFile(path.join(folder, relative), text)
  const summary = path.join(folder, 'SUMMARY.md')
  await writeFile(summary, `${await readFile(summary, 'utf8')}\n# Large\n\n- [A large chapter](${relative})\n`)
  return { bytes: Buffer.byteLength(text), rules }
}
