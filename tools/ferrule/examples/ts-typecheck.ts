import path from 'node:path'
import ts from 'typescript'

/** A TypeScript example to check, under a file name of its own beside its chapter. */
export interface ExampleSource {
  fileName: string
  code: string
}

/** A type error in an example, 0-based in the example's code. */
export interface TypeProblem {
  line: number
  column: number
  /** `TS2345: Argument of type ...` */
  message: string
}

/** Type-checks examples against the project's own modules and `tsconfig.json`. */
export type ExampleTypeChecker = (examples: readonly ExampleSource[]) => Map<string, TypeProblem[]>

/**
 * Create a checker for examples of the project in `projectRoot`, with the compiler options of its
 * `tsconfig.json` (module resolution included, so `ferrule/...` resolves through package.json
 * `exports`, as it does for a user). Unused names are allowed: an example may import more than it
 * asserts on.
 *
 * Library and project files are parsed once and kept across calls; each call builds a program from
 * the previous one, so checking another chapter's examples costs only those examples.
 */
export function createExampleTypeChecker(projectRoot: string): ExampleTypeChecker {
  const options = compilerOptions(projectRoot)
  const host = ts.createCompilerHost(options, true)
  const kept = new Map<string, ts.SourceFile>()
  let virtual = new Map<string, string>()
  let previous: ts.Program | undefined

  const realGetSourceFile = host.getSourceFile.bind(host)
  const realFileExists = host.fileExists.bind(host)
  const realReadFile = host.readFile.bind(host)
  host.fileExists = (fileName) => virtual.has(fileName) || realFileExists(fileName)
  host.readFile = (fileName) => virtual.get(fileName) ?? realReadFile(fileName)
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const code = virtual.get(fileName)
    if (code !== undefined) return ts.createSourceFile(fileName, code, languageVersion, true)
    const cached = kept.get(fileName)
    if (cached) return cached
    const file = realGetSourceFile(fileName, languageVersion, onError, shouldCreate)
    if (file) kept.set(fileName, file)
    return file
  }

  return (examples) => {
    virtual = new Map(examples.map((example) => [path.resolve(example.fileName), example.code]))
    const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host, oldProgram: previous })
    previous = program
    const problems = new Map<string, TypeProblem[]>()
    for (const example of examples) {
      const file = program.getSourceFile(path.resolve(example.fileName))
      if (!file) throw new Error(`Ferrule bug: the example ${example.fileName} is missing from its program`)
      const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
      problems.set(example.fileName, diagnostics.map((diagnostic) => toProblem(file, diagnostic)))
    }
    return problems
  }
}

function toProblem(file: ts.SourceFile, diagnostic: ts.Diagnostic): TypeProblem {
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
  return { line, column: character, message: `TS${diagnostic.code}: ${text}` }
}

function compilerOptions(projectRoot: string): ts.CompilerOptions {
  const configPath = ts.findConfigFile(projectRoot, ts.sys.fileExists)
  let options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    allowImportingTsExtensions: true,
  }
  if (configPath) {
    const read = ts.readConfigFile(configPath, ts.sys.readFile)
    if (read.error) throw new Error(`Cannot read ${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`)
    options = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath)).options
  }
  return { ...options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, skipLibCheck: true }
}
