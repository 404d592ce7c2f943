import { describe, expect, test } from 'vitest'
import { rustToDisplay, rustToProgram } from '../../../tools/ferrule/examples/rust-source.ts'

const lines = (...text: string[]) => text.join('\n')

describe('rustToDisplay', () => {
  test('hides `# ` lines and lone `#` lines, indented or not', () => {
    const code = lines('# use std::fmt;', '    # let hidden = 1;', 'let shown = 2;', '#', '  #  ', 'shown;')
    expect(rustToDisplay(code)).toBe(lines('let shown = 2;', 'shown;'))
  })

  test('shows attributes: `#` followed by `[` or `!` is code', () => {
    const code = lines('#![allow(dead_code)]', '#[derive(Debug)]', 'struct S;', '    #[inline]', '    fn f() {}')
    expect(rustToDisplay(code)).toBe(code)
  })

  test('`##` escapes a line that starts with `#`: one `#` is removed', () => {
    const code = lines('let s = r"', '## heading', '  ### deeper', '";')
    expect(rustToDisplay(code)).toBe(lines('let s = r"', '# heading', '  ## deeper', '";'))
  })

  test('`#` followed by anything but a space is shown, as rustdoc does', () => {
    expect(rustToDisplay(lines('#foo', '#\tbar'))).toBe(lines('#foo', '#\tbar'))
  })

  test('ignores one final newline and `\\r\\n` line ends', () => {
    expect(rustToDisplay('# hidden\r\nshown\r\n')).toBe('shown')
  })
})

describe('rustToProgram', () => {
  test('wraps code without `fn main` in one, after `#![allow(unused)]`', () => {
    const { program, lineMap } = rustToProgram(lines('let x = 1;', 'assert_eq!(x, 1);'))
    expect(program).toBe(lines('#![allow(unused)]', 'fn main() {', 'let x = 1;', 'assert_eq!(x, 1);', '}'))
    expect(lineMap).toEqual([undefined, undefined, 0, 1, undefined])
  })

  test('leaves code with its own `fn main` unwrapped', () => {
    const code = lines('fn helper() {}', '', 'fn main() {', '    helper();', '}')
    const { program, lineMap } = rustToProgram(code)
    expect(program).toBe(lines('#![allow(unused)]', code))
    expect(lineMap).toEqual([undefined, 0, 1, 2, 3, 4])
  })

  test('finds `fn main` by text, but not in comments or longer names', () => {
    expect(rustToProgram('fn main_loop() {}').program).toContain('fn main() {')
    expect(rustToProgram('// fn main() is not needed').program).toContain('fn main() {')
    expect(rustToProgram('# fn main() {\nlet x = 1;\n# }').program).toBe(lines('#![allow(unused)]', 'fn main() {', 'let x = 1;', '}'))
  })

  test('compiles hidden lines without their marker and indentation; `##` loses one `#`', () => {
    const code = lines('# fn helper() -> i32 { 1 }', '    # let y = helper();', '#', '#[derive(Debug)]', 'struct S;', '## x')
    const { program, lineMap, columnShift } = rustToProgram(code)
    expect(program).toBe(
      lines('#![allow(unused)]', 'fn main() {', 'fn helper() -> i32 { 1 }', 'let y = helper();', '', '#[derive(Debug)]', 'struct S;', '# x', '}'),
    )
    expect(lineMap).toEqual([undefined, undefined, 0, 1, 2, 3, 4, 5, undefined])
    // Column 1 of `let y` is column 7 of `    # let y`.
    expect(columnShift).toEqual([0, 0, 2, 6, 0, 0, 0, 1, 0])
  })

  test('keeps inner attributes and `extern crate` at the crate root, above `fn main`', () => {
    const code = lines(
      '#![allow(dead_code)]',
      '// a comment among the attributes',
      '#![cfg_attr(',
      '    all(),',
      '    allow(unused_mut)',
      ')]',
      '',
      'extern crate core;',
      '#[macro_use] extern crate std as other;',
      '',
      'let x = 1;',
      '',
    )
    const { program, lineMap } = rustToProgram(code)
    expect(program).toBe(
      lines(
        '#![allow(unused)]',
        '#![allow(dead_code)]',
        '// a comment among the attributes',
        '#![cfg_attr(',
        '    all(),',
        '    allow(unused_mut)',
        ')]',
        '',
        'extern crate core;',
        '#[macro_use] extern crate std as other;',
        '',
        'fn main() {',
        'let x = 1;',
        '}',
      ),
    )
    expect(lineMap).toEqual([undefined, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, undefined, 10, undefined])
  })

  test('an inner attribute after the first item stays where it is', () => {
    expect(rustToProgram(lines('let x = 1;', '#![allow(x)]')).program).toBe(
      lines('#![allow(unused)]', 'fn main() {', 'let x = 1;', '#![allow(x)]', '}'),
    )
  })

  test('hidden inner attributes are hoisted too', () => {
    expect(rustToProgram(lines('# #![allow(dead_code)]', 'let x = 1;')).program).toBe(
      lines('#![allow(unused)]', '#![allow(dead_code)]', 'fn main() {', 'let x = 1;', '}'),
    )
  })

  test('code ending in `(())` runs in an inner function returning a Result, so `?` works', () => {
    const code = lines('let n: i32 = "5".parse()?;', 'Ok::<(), std::num::ParseIntError>(())  ', '')
    const { program, lineMap } = rustToProgram(code)
    expect(program).toBe(
      lines(
        '#![allow(unused)]',
        'fn main() { fn _inner() -> core::result::Result<(), impl core::fmt::Debug> {',
        'let n: i32 = "5".parse()?;',
        'Ok::<(), std::num::ParseIntError>(())',
        '} _inner().unwrap() }',
      ),
    )
    expect(lineMap).toEqual([undefined, undefined, 0, 1, undefined])
  })

  test('blank lines at the end are dropped; indentation of the first body line is kept for true columns', () => {
    // Leading blank lines stay above `fn main`, with the (absent) crate attributes, as in rustdoc.
    const { program, lineMap } = rustToProgram(lines('', '    let x = 1;', '', '    x;', '', ''))
    expect(program).toBe(lines('#![allow(unused)]', '', 'fn main() {', '    let x = 1;', '', '    x;', '}'))
    expect(lineMap).toEqual([undefined, 0, undefined, 1, 2, 3, undefined])
  })

  test('a `#![no_std]` example is not wrapped', () => {
    expect(rustToProgram(lines('#![no_std]', 'pub fn f() {}')).program).toBe(lines('#![allow(unused)]', '#![no_std]', 'pub fn f() {}'))
  })

  test('an attribute that never closes is passed to rustc unchanged, for rustc to report', () => {
    const code = lines('#![allow(', 'let x = 1;')
    expect(rustToProgram(code)).toEqual({ program: code, lineMap: [0, 1], columnShift: [0, 0] })
  })

  test('an empty example compiles as an empty `main`', () => {
    expect(rustToProgram('').program).toBe(lines('#![allow(unused)]', 'fn main() {', '}'))
  })
})
