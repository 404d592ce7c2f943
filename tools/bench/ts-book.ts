import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Write a book of one chapter with `count` trivial ```` ```ts ```` examples, each under a rule of
 * its own and asserting a distinct number, so that the time of a vitest run over it is almost all
 * per-example overhead. The folder gets a `package.json` with `"type": "module"`, as a project's
 * book has, so that the examples are ES modules.
 */
export async function writeTsBook(folder: string, count: number): Promise<void> {
  const lines = ['# Examples', '']
  for (let n = 0; n < count; n++) {
    lines.push(
      `r[ts.example${n}]`,
      `Example ${n} holds.`,
      '',
      '```ts',
      "import assert from 'node:assert/strict'",
      `assert.equal(${n} + 1, ${n + 1})`,
      '```',
      '',
    )
  }
  await mkdir(folder, { recursive: true })
  await writeFile(path.join(folder, 'package.json'), JSON.stringify({ type: 'module' }) + '\n')
  await writeFile(path.join(folder, 'SUMMARY.md'), '# Summary\n\n- [Examples](examples.md)\n')
  await writeFile(path.join(folder, 'examples.md'), lines.join('\n'))
}
