/**
 * Vitest setup file added by `ferruleExamples`: before each test runs, record in its `meta.rules`
 * the rule IDs that its title and the titles of its suites name, so that vitest's JSON reporter
 * carries them to the traceability matrix. Spec examples set their own (and an `id`; the matrix
 * names ordinary tests by file and full title).
 */
import { beforeEach } from 'vitest'
import { ruleIdsInTitle } from '../trace/test-tags.ts'
import type {} from './runtime.ts'

beforeEach((context) => {
  const meta = context.task.meta
  if (meta.rules) return
  const titles: string[] = []
  for (let task: { name: string; suite?: typeof task } | undefined = context.task; task; task = task.suite) titles.unshift(task.name)
  meta.rules = ruleIdsInTitle(titles.join(' '))
})
