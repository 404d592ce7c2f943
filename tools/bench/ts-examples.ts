/**
 * Run the ```` ```ts ```` examples of one book through vitest and Ferrule's plugin, as a project's
 * `vitest run` would, for the per-example overhead figure.
 *
 * 1. Start vitest on the repository, with no config file of its own and a silent reporter, and
 *    the plugin pointed at the book.
 * 2. Check that every test ran and passed: a failing example would time the wrong work.
 * 3. Print `{"tests": N, "seconds": S}` on stdout, S being the wall time of the vitest run.
 *
 * Usage: node --import tsx tools/bench/ts-examples.ts BOOK
 */
import { fileURLToPath } from 'node:url'
import { startVitest } from 'vitest/node'
import ferruleExamples from '../ferrule/examples/vite-plugin.ts'

const [book] = process.argv.slice(2)
if (!book) throw new Error('Usage: ts-examples.ts BOOK')
const repository = fileURLToPath(new URL('../../', import.meta.url))

const started = performance.now()
const vitest = await startVitest(
  'test',
  [],
  { watch: false, config: false, reporters: [{ onInit() {} }], root: repository },
  { plugins: [ferruleExamples({ root: book })] },
)
const failures: string[] = []
let tests = 0
try {
  for (const module of vitest.state.getTestModules()) {
    for (const test of module.children.allTests()) {
      tests++
      const result = test.result()
      if (result.state !== 'passed') failures.push(`${test.name}: ${result.state} ${result.state === 'failed' ? result.errors.map((error) => error.message).join('; ') : ''}`)
    }
  }
  // Errors outside any test: a chapter module that did not load, say.
  for (const error of vitest.state.getUnhandledErrors()) failures.push(`unhandled: ${(error as Error).message ?? String(error)}`)
} finally {
  await vitest.close()
}
const seconds = (performance.now() - started) / 1000

if (failures.length > 0 || tests === 0) {
  process.stderr.write(`${failures.length} of ${tests} examples did not pass:\n${failures.join('\n')}\n`)
  process.exitCode = 1
} else {
  console.log(JSON.stringify({ tests, seconds }))
  process.exitCode = 0
}
