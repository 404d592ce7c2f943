import { defineConfig } from 'vitest/config'
import ferruleExamples from './tools/ferrule/examples/vite-plugin.ts'
import ferrule from './ferrule.config.ts'

export default defineConfig({
  // Every chapter with ```ts or ```rust examples becomes a test module; see the plugin.
  plugins: [ferruleExamples(ferrule)],
  test: {
    include: ['test/**/*.test.ts'],
    // Shiki's highlighter takes a moment to create; whole-book builds take a few seconds on 2 cores.
    testTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'dist/test-results/vitest.json' }]],
  },
})
