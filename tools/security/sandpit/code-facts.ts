import path from 'node:path'
import { argumentsAt, bindings, environmentReads, expand, isIdent, isPath, isPunct, type RustCode, rustCode } from './lexer/code.ts'
import { STRING_KINDS, type Token } from './lexer/token.ts'
import { type StringSource, stringSources } from './strings.ts'

/** A use of a named API on a line. */
export interface NamedUse {
  line: number
  name: string
}

/** A place that starts a process, with the programs it may start. */
export interface Spawn {
  line: number
  /** The programs as found: literals, `$NAME` for a program named by an environment variable, else the last identifier of the argument. */
  programs: string[]
}

/** A place that creates or writes a file, and where its path comes from. */
export interface Write {
  line: number
  call: string
  /** The path is built from `OUT_DIR`. */
  fromOutDir: boolean
  /** The path is known not to be built from `OUT_DIR`: a literal path, a home, temporary or manifest folder. */
  known: boolean
}

/** An `include_bytes!` of a literal path, resolved against the including file's folder. */
export interface Include {
  line: number
  target: string
}

/** What one Rust file's code does, as far as the heuristics ask. */
export interface CodeFacts {
  path: string
  rust: RustCode
  strings: StringSource[]
  /** Identifiers, with their lines, that name APIs (matched by the heuristics against their lists). */
  identifiers: NamedUse[]
  spawns: Spawn[]
  writes: Write[]
  includes: Include[]
  /** Environment variables read by name (`env::var("X")`, `env!("X")`). */
  environment: NamedUse[]
  /** The text of a line (1-based), for evidence. */
  line(line: number): string
}

// Native calls that start a program without `Command`.
const nativeSpawns = new Set(['execv', 'execvp', 'execve', 'execvpe', 'posix_spawn', 'ShellExecuteA', 'ShellExecuteW', 'ShellExecuteExW', 'CreateProcessA', 'CreateProcessW', 'WinExec'])

// Calls that create or write a file: the path and which argument holds it.
const writeCalls: readonly { path: readonly string[]; argument: number }[] = [
  { path: ['fs', 'write'], argument: 0 },
  { path: ['File', 'create'], argument: 0 },
  { path: ['File', 'create_new'], argument: 0 },
  { path: ['fs', 'create_dir_all'], argument: 0 },
  { path: ['fs', 'create_dir'], argument: 0 },
  { path: ['fs', 'copy'], argument: 1 },
  { path: ['fs', 'rename'], argument: 1 },
  { path: ['fs', 'hard_link'], argument: 1 },
  { path: ['fs', 'symlink'], argument: 1 },
]

// Where a path that is not the build's own output folder comes from.
const outsideVariables = new Set(['HOME', 'USERPROFILE', 'TEMP', 'TMP', 'TMPDIR', 'APPDATA', 'LOCALAPPDATA', 'CARGO_HOME', 'CARGO_MANIFEST_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME'])
const outsideFunctions = new Set(['home_dir', 'temp_dir', 'current_dir', 'cache_dir', 'config_dir', 'data_dir', 'data_local_dir', 'executable_dir'])

/** Tokenize the Rust file `file` (its path from the package root) and collect its {@link CodeFacts}. */
export function codeFacts(file: string, text: string): CodeFacts {
  const rust = rustCode(text)
  const { code } = rust
  const bound = bindings(code)
  const facts: CodeFacts = {
    path: file,
    rust,
    strings: stringSources(rust),
    identifiers: [],
    spawns: [],
    writes: [],
    includes: [],
    environment: [],
    line: lineReader(text),
  }
  for (let index = 0; index < code.length; index++) {
    const token = code[index]!
    if (token.kind !== 'ident') continue
    facts.identifiers.push({ line: token.line, name: token.value })
    // `Command::new(program)`
    if (isPath(code, index, ['Command', 'new']) && isPunct(code[index + 3], '(')) {
      const [argument = []] = argumentsAt(code, index + 3)
      facts.spawns.push({ line: token.line, programs: programsOf(argument, bound) })
    } else if (nativeSpawns.has(token.value) || (isPath(code, index, ['libc', 'system']) && isPunct(code[index + 3], '('))) {
      facts.spawns.push({ line: token.line, programs: [`<${token.value === 'libc' ? 'system' : token.value}>`] })
    }
    for (const call of writeCalls) {
      if (!isPath(code, index, call.path) || !isPunct(code[index + 3], '(')) continue
      const argument = argumentsAt(code, index + 3)[call.argument] ?? []
      facts.writes.push({ line: token.line, call: call.path.join('::'), ...pathOrigin(argument, bound) })
    }
    // `OpenOptions::new().write(true).open(path)`: the `.open(` of a statement that names OpenOptions.
    if (isIdent(token, 'open') && isPunct(code[index - 1], '.') && isPunct(code[index + 1], '(') && opensWithOptions(code, index)) {
      const [argument = []] = argumentsAt(code, index + 1)
      facts.writes.push({ line: token.line, call: 'OpenOptions::open', ...pathOrigin(argument, bound) })
    }
    if (isIdent(token, 'include_bytes') && isPunct(code[index + 1], '!') && isPunct(code[index + 2], '(')) {
      const argument = argumentsAt(code, index + 2)[0] ?? []
      if (argument.length === 1 && STRING_KINDS.has(argument[0]!.kind)) {
        facts.includes.push({ line: token.line, target: path.posix.normalize(path.posix.join(path.posix.dirname(file), argument[0]!.value.replaceAll('\\', '/'))) })
      }
    }
  }
  for (const name of environmentReads(code)) {
    const token = code.find((candidate) => STRING_KINDS.has(candidate.kind) && candidate.value === name)
    facts.environment.push({ line: token?.line ?? 1, name })
  }
  return facts
}

/**
 * The programs that `Command::new`'s argument may name, following bindings back: `$NAME` for each
 * environment variable read (or passed by name to a helper: an upper-case literal such as
 * `"RUSTC"`), each other literal that could be a program (no white space, not the message of an
 * `expect`), else the argument's last identifier (`self.rustc` is `rustc`).
 */
function programsOf(argument: readonly Token[], bound: ReadonlyMap<string, Token[][]>): string[] {
  const expanded = expand(argument, bound)
  const variables = environmentReads(expanded)
  const programs = new Set(variables.map((name) => `$${name}`))
  expanded.forEach((token, index) => {
    if (!STRING_KINDS.has(token.kind) || variables.includes(token.value)) return
    const callee = expanded[index - 2]
    if (isPunct(expanded[index - 1], '(') && callee?.kind === 'ident' && messageCalls.has(callee.value)) return
    if (/^[A-Z][A-Z0-9_]*$/.test(token.value)) programs.add(`$${token.value}`)
    else if (!/\s/.test(token.value) && token.value !== '') programs.add(programName(token.value))
  })
  if (programs.size === 0) {
    const last = argument.filter((token) => token.kind === 'ident' && token.value !== 'self').at(-1)
    programs.add(last === undefined ? '<expression>' : last.value)
  }
  return [...programs].sort()
}

// Calls whose string argument is a message, not a value.
const messageCalls = new Set(['expect', 'expect_err', 'context', 'with_context', 'panic', 'unreachable', 'todo', 'eprintln', 'println'])

/** A program's name without its folder or `.exe`. */
function programName(program: string): string {
  const base = program.split(/[\\/]/).at(-1) ?? program
  return base.replace(/\.exe$/i, '') || program
}

/** Whether a path argument comes from `OUT_DIR`, or is known to come from elsewhere. */
function pathOrigin(argument: readonly Token[], bound: ReadonlyMap<string, Token[][]>): { fromOutDir: boolean; known: boolean } {
  const expanded = expand(argument, bound)
  const variables = environmentReads(expanded)
  const fromOutDir = variables.includes('OUT_DIR') || expanded.some((token) => STRING_KINDS.has(token.kind) && token.value === 'OUT_DIR')
  const known =
    expanded.some((token) => STRING_KINDS.has(token.kind) && !variables.includes(token.value)) ||
    variables.some((name) => outsideVariables.has(name)) ||
    expanded.some((token) => token.kind === 'ident' && outsideFunctions.has(token.value))
  return { fromOutDir, known }
}

/** Whether the statement holding the `.open(` at `index` names `OpenOptions` before it. */
function opensWithOptions(code: readonly Token[], index: number): boolean {
  for (let back = index - 1; back >= 0 && index - back < 40; back--) {
    if (isPunct(code[back], ';') || isPunct(code[back], '{') || isPunct(code[back], '}')) return false
    if (isIdent(code[back], 'OpenOptions')) return true
  }
  return false
}

function lineReader(text: string): (line: number) => string {
  let lines: string[] | undefined
  return (line) => {
    lines ??= text.split('\n')
    return lines[line - 1] ?? ''
  }
}
