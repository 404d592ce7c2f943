import { defineConfig } from './tools/ferrule/config.ts'

export default defineConfig({
  root: 'spec',
  outDir: 'dist',
  title: 'The Ferrule Specification',
  kinds: { 'threat.': 'threat', 'term.': 'term' },
  owners: ['T-lang', 'T-types', 'T-opsem', 'T-libs-api', 'T-crates-io'],
})
