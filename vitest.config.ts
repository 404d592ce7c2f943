import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Shiki's highlighter takes a moment to create; whole-book builds take a few seconds on 2 cores.
    testTimeout: 30_000,
  },
})
