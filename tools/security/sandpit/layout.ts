import { parse as parseToml } from 'smol-toml'
import type { CrateFile } from './crate-files.ts'

/** What a crate's manifest says about which of its code runs when, as cargo reads it. */
export interface CrateLayout {
  /** `package.name` and `package.version`, when the manifest gives them as strings. */
  name: string | undefined
  version: string | undefined
  /** The build script's path (`package.build`, default `build.rs` when that file exists), or undefined. */
  buildScript: string | undefined
  /** Whether the library is a procedural macro (`lib.proc-macro = true`). */
  procMacro: boolean
  /** Names of the crates in `[build-dependencies]`, and in `[dependencies]` (with `package = ` renames resolved). */
  buildDependencies: string[]
  dependencies: string[]
  /** Why the manifest could not be read, when it could not (the crate is still scanned, with cargo's defaults). */
  problem: string | undefined
}

/** Parse `Cargo.toml` (if any) of `files` into a {@link CrateLayout}. */
export function crateLayout(files: readonly CrateFile[]): CrateLayout {
  const manifest = files.find((file) => file.path === 'Cargo.toml')
  const exists = (file: string) => files.some((candidate) => candidate.path === file)
  let toml: Record<string, unknown> = {}
  let problem: string | undefined
  if (manifest?.text === undefined) problem = manifest === undefined ? 'no Cargo.toml' : 'Cargo.toml not read'
  else {
    try {
      toml = parseToml(manifest.text) as Record<string, unknown>
    } catch (error) {
      problem = `Cargo.toml is not valid TOML: ${(error as Error).message.split('\n')[0]}`
    }
  }
  const pkg = table(toml.package)
  const lib = table(toml.lib)
  const build = pkg.build
  const buildScript = typeof build === 'string' ? normalize(build) : build === false ? undefined : exists('build.rs') ? 'build.rs' : undefined
  return {
    name: typeof pkg.name === 'string' ? pkg.name : undefined,
    version: typeof pkg.version === 'string' ? pkg.version : undefined,
    buildScript,
    procMacro: lib['proc-macro'] === true || lib.proc_macro === true,
    buildDependencies: dependencyNames(toml, 'build-dependencies'),
    dependencies: dependencyNames(toml, 'dependencies'),
    problem,
  }
}

/** Dependency names of a table, including target-specific ones (`[target.'cfg(unix)'.build-dependencies]`). */
function dependencyNames(toml: Record<string, unknown>, key: string): string[] {
  const names = new Set<string>()
  const collect = (dependencies: unknown) => {
    for (const [name, spec] of Object.entries(table(dependencies))) {
      const renamed = table(spec).package
      names.add(typeof renamed === 'string' ? renamed : name)
    }
  }
  collect(toml[key])
  collect(toml[key.replace('-', '_')])
  for (const target of Object.values(table(toml.target))) collect(table(target)[key])
  return [...names].sort()
}

function table(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) ? (value as Record<string, unknown>) : {}
}

function normalize(file: string): string {
  return file.replace(/^\.\//, '').replaceAll('\\', '/')
}
