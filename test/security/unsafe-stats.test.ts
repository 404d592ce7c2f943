import { describe, expect, test } from 'vitest'
import { crateFromFiles } from '../../tools/security/sandpit/index.ts'
import { countUnsafe, crateUnsafeStats, unsafeShare, unsafeStatsTable } from '../../tools/security/unsafe-stats/index.ts'

describe('countUnsafe', () => {
  test('[unsafe-stats.functions] free functions, safe and unsafe, whatever their other qualifiers; fn types are not items', () => {
    expect(countUnsafe('fn a() {}\npub fn b() {}\nconst fn c() {}\nasync fn d() {}\npub unsafe fn e() {}\npub const unsafe extern "C" fn f() {}\nunsafe extern "system" fn g() {}\ntype F = unsafe fn(u8) -> u8;\nfn h(callback: fn()) {}').functions).toEqual({ safe: 5, unsafe: 3 })
  })

  test('[unsafe-stats.functions] a function nested in a function or method body is a function, not a method', () => {
    const counts = countUnsafe('impl S { fn m(&self) { fn helper() {} unsafe fn raw() {} } }\nfn outer() { fn inner() {} }')
    expect(counts.functions).toEqual({ safe: 3, unsafe: 1 })
    expect(counts.methods).toEqual({ safe: 1, unsafe: 0 })
  })

  test('[unsafe-stats.functions] functions in extern blocks are unsafe to call, unless declared `safe`', () => {
    expect(countUnsafe('extern "C" { fn strlen(s: *const u8) -> usize; pub fn free(p: *mut u8); }\nunsafe extern "C" { pub safe fn sqrt(x: f64) -> f64; }\nextern crate alloc;').functions).toEqual({ safe: 1, unsafe: 2 })
  })

  test('[unsafe-stats.methods] functions in impl and trait bodies, declared or defined', () => {
    const counts = countUnsafe('impl S { pub fn a(&self) {} pub unsafe fn b(&self) {} }\nimpl<T: Clone> Tr for Vec<T> where T: Default { fn c(&self) {} }\ntrait Tr { fn c(&self); unsafe fn d(&self); fn e(&self) {} }')
    expect(counts.methods).toEqual({ safe: 4, unsafe: 2 })
    expect(counts.functions).toEqual({ safe: 0, unsafe: 0 })
  })

  test('[unsafe-stats.blocks] `unsafe {` blocks, wherever they are; not `unsafe fn`, `unsafe impl` or unsafe attributes', () => {
    expect(countUnsafe('fn f() { unsafe { g() }; let x = unsafe { *p }; }\nconst C: u8 = unsafe { X };\n#[unsafe(no_mangle)] pub extern "C" fn h() {}\nunsafe impl Send for S {}').blocks).toEqual({ unsafe: 3 })
  })

  test('[unsafe-stats.impls] impl items, safe and unsafe, not `impl Trait` in types', () => {
    const counts = countUnsafe('impl S {}\nunsafe impl Send for S {}\nunsafe impl<T> Sync for W<T> {}\n#[cfg(unix)] impl Drop for S { fn drop(&mut self) {} }\nfn f() -> impl Iterator<Item = u8> { std::iter::empty() }\nfn g(x: impl Fn()) {}\nfn h() { impl Inner {} }')
    expect(counts.impls).toEqual({ safe: 3, unsafe: 2 })
  })

  test('[unsafe-stats.traits] trait items, safe and unsafe, auto traits too', () => {
    expect(countUnsafe('pub trait A {}\npub unsafe trait B {}\nunsafe auto trait C {}\ntrait D = A + Send;').traits).toEqual({ safe: 2, unsafe: 2 })
  })

  test('[unsafe-stats.tokens] nothing is counted in comments, strings, macro definitions or test-only items', () => {
    const source = [
      '// unsafe fn commented() {}',
      '/* unsafe { } /* unsafe impl Send for X {} */ */',
      '/// unsafe trait Doc {}',
      'const S: &str = "unsafe fn in_a_string() { unsafe {} }";',
      'const R: &str = r#"impl X { unsafe fn y() {} }"#;',
      "fn lifetimes<'a>(x: &'a str) -> &'a str { x }",
      'macro_rules! make { () => { unsafe fn templated() {} unsafe impl Send for T {} }; }',
      '#[cfg(test)] mod tests { unsafe fn only_in_tests() {} }',
    ].join('\n')
    expect(countUnsafe(source)).toEqual({ functions: { safe: 1, unsafe: 0 }, blocks: { unsafe: 0 }, impls: { safe: 0, unsafe: 0 }, traits: { safe: 0, unsafe: 0 }, methods: { safe: 0, unsafe: 0 } })
  })
})

describe('crate statistics', () => {
  const crate = crateFromFiles([
    { path: 'Cargo.toml', content: '[package]\nname = "raw"\nversion = "0.3.0"\n' },
    { path: 'src/lib.rs', content: 'pub mod ptr;\npub fn safe() {}\nunsafe impl Send for X {}' },
    { path: 'src/ptr.rs', content: 'pub unsafe fn read(p: *const u8) -> u8 { unsafe { *p } }\nimpl X { pub unsafe fn get(&self) {} }' },
    { path: 'build.rs', content: 'fn main() { unsafe { std::env::set_var("A", "1") } }' },
    { path: 'tests/it.rs', content: 'unsafe fn in_tests() {}' },
    { path: 'examples/e.rs', content: 'unsafe fn in_examples() {}' },
    { path: 'README.md', content: 'unsafe fn in_markdown() {}' },
  ])

  test('[unsafe-stats.crate] the counts of every Rust source but tests, benches and examples, has_unsafe and total_unsafe', () => {
    expect(crateUnsafeStats(crate)).toEqual({
      crate: 'raw-0.3.0',
      functions: { safe: 2, unsafe: 1 },
      blocks: { unsafe: 2 },
      impls: { safe: 1, unsafe: 1 },
      traits: { safe: 0, unsafe: 0 },
      methods: { safe: 0, unsafe: 1 },
      has_unsafe: true,
      total_unsafe: 5,
    })
    const safe = crateUnsafeStats(crateFromFiles([{ path: 'src/lib.rs', content: 'pub fn f() {}' }]))
    expect([safe.has_unsafe, safe.total_unsafe]).toEqual([false, 0])
  })

  test('[unsafe-stats.share] over a set of crates, how many use unsafe and their share, to three decimals', () => {
    const safe = crateUnsafeStats(crateFromFiles([{ path: 'src/lib.rs', content: 'pub fn f() {}' }]))
    const raw = crateUnsafeStats(crate)
    expect(unsafeShare([raw, safe, safe])).toEqual({ crates: 3, withUnsafe: 1, share: '0.333' })
    expect(unsafeShare([raw, raw, safe])).toEqual({ crates: 3, withUnsafe: 2, share: '0.667' })
    expect(unsafeShare([])).toEqual({ crates: 0, withUnsafe: 0, share: '0.000' })
    expect(unsafeShare([raw])).toEqual({ crates: 1, withUnsafe: 1, share: '1.000' })
  })

  test('[unsafe-stats.cli] the table: a row per crate with safe/unsafe pairs, then the share', () => {
    const safe = crateUnsafeStats(crateFromFiles([{ path: 'Cargo.toml', content: '[package]\nname = "plain"\nversion = "1.0.0"\n' }, { path: 'src/lib.rs', content: 'pub fn f() {}' }]))
    expect(unsafeStatsTable([crateUnsafeStats(crate), safe])).toBe(
      [
        'crate        functions  methods  unsafe blocks  impls  traits  total unsafe',
        'raw-0.3.0          2/1      0/1              2    1/1     0/0             5',
        'plain-1.0.0        1/0      0/0              0    0/0     0/0             0',
        '',
        '(functions, methods, impls and traits as safe/unsafe)',
        '1 of 2 crates use unsafe (share 0.500)',
        '',
      ].join('\n'),
    )
  })
})
