import { execFile, spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { main, type Io } from '../../tools/ferrule/cli.ts'
import { fixturesRoot } from '../helpers/fixtures.ts'

let work: string
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-cli-'))
  await cp(path.join(fixturesRoot, 'books/basic'), path.join(work, 'book'), { recursive: true })
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

async function run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: Io = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: work, color: false }
  const status = await main(argv, io)
  return { status, stdout, stderr }
}

async function breakBook(): Promise<void> {
  await writeFile(path.join(work, 'book/lib/boxes.md'), '# Boxes\n\nr[boxes.drop]\nSee [values.cpoy].\n')
}

describe('ferrule command', () => {
  test('--help lists the commands and options', async () => {
    const { status, stdout } = await run('--help')
    expect(status).toBe(0)
    expect(stdout).toMatch(/Usage: ferrule <command>/)
    for (const word of ['build', 'check', '--root', '--out', '--strict', '--format', '--quiet', '--verbose']) expect(stdout).toContain(word)
  })

  test('an unknown command or option is a usage error (exit 2)', async () => {
    expect((await run('publish')).status).toBe(2)
    expect((await run('build', '--nope')).status).toBe(2)
    expect((await run('check', '--format', 'xml')).status).toBe(2)
  })

  test('check prints file:line:column diagnostics to stderr and exits 1 on an error', async () => {
    await breakBook()
    const { status, stdout, stderr } = await run('check', '--root', 'book')
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/book\/lib\/boxes\.md\n4:5-4:18 +error Unknown rule ID `values.cpoy` in a rule link +unknown-rule +ferrule/)
    expect(stderr).toContain('Did you mean `values.copy` or `values`?')
    expect(stderr).toMatch(/checked 4 files: 1 error, 0 warnings/)
  })

  test('check --format json prints the diagnostics as JSON on stdout', async () => {
    await breakBook()
    const { status, stdout } = await run('check', '--root', 'book', '--format', 'json')
    expect(status).toBe(1)
    expect(JSON.parse(stdout)).toEqual([
      {
        file: 'book/lib/boxes.md',
        line: 4,
        column: 5,
        endLine: 4,
        endColumn: 18,
        severity: 'error',
        rule: 'ferrule:unknown-rule',
        reason: 'Unknown rule ID `values.cpoy` in a rule link',
        hint: 'Did you mean `values.copy` or `values`?',
      },
    ])
  })

  test('check --strict turns warnings into errors', async () => {
    await writeFile(path.join(work, 'book/extra.md'), '# Not listed\n')
    expect((await run('check', '--root', 'book')).status).toBe(0)
    expect((await run('check', '--root', 'book', '--strict')).status).toBe(1)
  })

  test('check --quiet prints errors and no warnings', async () => {
    await writeFile(path.join(work, 'book/extra.md'), '# Not listed\n')
    expect((await run('check', '--root', 'book')).stderr).toContain('unlisted-chapter')
    expect((await run('check', '--root', 'book', '--quiet')).stderr).not.toContain('unlisted-chapter')
    await breakBook()
    const { status, stderr } = await run('check', '--root', 'book', '--quiet')
    expect(status).toBe(1)
    expect(stderr).toMatch(/book\/lib\/boxes\.md\n4:5-4:18 +error Unknown rule ID `values.cpoy`/)
    expect(stderr).not.toContain('unlisted-chapter')
  })

  test('build --root --out builds any book and ends with one summary line', async () => {
    const { status, stdout, stderr } = await run('build', '--root', 'book', '--out', 'out')
    expect(status).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^ferrule: built 4 chapters, 6 rules, 0 errors, 0 warnings into out in \d+\.\d\d s\n$/)
    expect(JSON.parse(await readFile(path.join(work, 'out/rules.json'), 'utf8')).rules).toHaveLength(6)
  })

  test('build --format json keeps stdout for the JSON alone', async () => {
    await writeFile(path.join(work, 'book/extra.md'), '# Not listed\n')
    const { status, stdout, stderr } = await run('build', '--root', 'book', '--format', 'json')
    expect(status).toBe(0)
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ file: 'book/extra.md', rule: 'ferrule:unlisted-chapter', severity: 'warning' })])
    expect(stderr).toMatch(/^ferrule: built 4 chapters/)
  })

  test('--root accepts an mdBook book folder: chapters from book.toml\'s src, title from its book.title', async () => {
    await cp(path.join(work, 'book'), path.join(work, 'mdbook/source'), { recursive: true })
    await writeFile(path.join(work, 'mdbook/book.toml'), '[book]\ntitle = "An mdBook"\nsrc = "source"\n')
    const { status, stdout } = await run('build', '--root', 'mdbook', '--out', 'out')
    expect(status).toBe(0)
    expect(stdout).toMatch(/built 4 chapters, 6 rules/)
    expect(await readFile(path.join(work, 'out/site/index.html'), 'utf8')).toContain('<title>An mdBook</title>')
  })

  test('build --quiet prints nothing on success; --verbose reports each phase', async () => {
    expect((await run('build', '--root', 'book', '--quiet')).stdout).toBe('')
    const verbose = await run('build', '--root', 'book', '--verbose')
    for (const phase of ['outline', 'parse', 'index', 'link', 'render', 'write']) expect(verbose.stderr).toContain(`${phase} done`)
  })

  test('build refuses a spec with errors: exit 1, errors on stderr, nothing written', async () => {
    await breakBook()
    const { status, stdout, stderr } = await run('build', '--root', 'book', '--out', 'out')
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/build failed: 4 chapters, 6 rules, 1 error, 0 warnings; nothing written/)
    await expect(readFile(path.join(work, 'out/rules.json'))).rejects.toThrow(/ENOENT/)
  })

  test('dev serves the book until interrupted, on 127.0.0.1 unless told otherwise; a bad --port is a usage error', async () => {
    expect((await run('dev', '--root', 'book', '--port', 'eighty')).status).toBe(2)
    const bin = path.resolve(import.meta.dirname ?? '.', '../../bin/ferrule.js')
    const child = spawn(process.execPath, [bin, 'dev', '--root', 'book', '--port', '0'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk
        const found = /ferrule dev: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)
        if (found) resolve(found[1]!)
      })
      child.once('exit', (code) => reject(new Error(`ferrule dev exited (${code}) before serving:\n${stderr}`)))
    })
    const page = await fetch(new URL('lib/boxes.html', url))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('id="r-boxes.drop"')
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(stderr).toContain(`ferrule dev: serving book at ${url}`)
  })

  test('the installed bin runs from source with no compile step', async () => {
    const bin = path.resolve(import.meta.dirname ?? '.', '../../bin/ferrule.js')
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help'])
    expect(stdout).toMatch(/Usage: ferrule <command>/)
  })
})
