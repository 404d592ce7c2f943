import { defineConfig } from 'vitest/config'
import RustResultsReporter from './tools/ferrule/examples/rust-results-reporter.ts'
import ferruleExamples from './tools/ferrule/examples/vite-plugin.ts'
import RulesSnapshotReporter from './tools/ferrule/trace/rules-snapshot-reporter.ts'
import ferrule from './ferrule.config.ts'

export default defineConfig({
  // Every chapter with ```ts or ```rust examples becomes a test module; see the plugin.
  plugins: [ferruleExamples(ferrule)],
  test: {
    include: ['test/**/*.test.ts'],
    // Shiki's highlighter takes a moment to create; whole-book builds take a few seconds on 2 cores.
    testTimeout: 30_000,
    // A hook may launch Chromium: its first launch on a fresh machine, under a full run, once took
    // more than vitest's default 10 s (the browser tests of ferrule dev then failed unrun).
    hookTimeout: 60_000,
    // Results for the traceability matrix: every test, the Rust examples in `ferrule test-rust`'s
    // format, and the rules as the tests saw them.
    reporters: ['default', ['json', { outputFile: 'dist/test-results/vitest.json' }], new RustResultsReporter(), new RulesSnapshotReporter(ferrule)],
  },
})
