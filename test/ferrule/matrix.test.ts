import { createHash, generateKeyPairSync } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { main, type Io } from '../../tools/ferrule/cli.ts'
import { matrixToReqif, testIdentifier } from '../../tools/ferrule/trace/exporters/reqif.ts'
import { matrixToXlsx } from '../../tools/ferrule/trace/exporters/xlsx.ts'
import type { Matrix } from '../../tools/ferrule/trace/types.ts'
import { fixturesRoot } from '../helpers/fixtures.ts'

let work: string
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-matrix-'))
  await cp(path.join(fixturesRoot, 'matrix/book'), work, { recursive: true })
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

const inputs = ['--root', 'spec', '--results', 'results/vitest.json', '--results', 'results/junit.xml', '--tests', 'tests']
const readMatrix = async (): Promise<Matrix> => JSON.parse(await readFile(path.join(work, 'dist/matrix/matrix.json'), 'utf8')) as Matrix
const edit = async (file: string, from: string, to: string) => {
  const full = path.join(work, file)
  await writeFile(full, (await readFile(full, 'utf8')).replaceAll(from, to))
}

describe('ferrule matrix', () => {
  test('traces every rule to its tests (titles, //@ reference tags, JUnit) with a verdict, in every format', async () => {
    const { status, stdout } = await run('matrix', ...inputs)
    expect(status).toBe(0)
    expect(stdout).toMatch(/matrix of 8 rules \(2 verified, 1 failing, 1 untested, 1 uncovered, 1 waived, 1 mitigated, 1 unmitigated\), coverage 50%/)
    const matrix = await readMatrix()
    expect(Object.fromEntries(matrix.rules.map((row) => [row.id, row.verdict]))).toEqual({
      'lex.comment': 'uncovered',
      'lex.ident': 'verified',
      'lex.keyword': 'failing',
      'lex.number': 'untested',
      'lex.space': 'verified',
      'lex.unicode': 'waived',
      'threat.confusion': 'mitigated',
      'threat.smuggling': 'unmitigated',
    })
    expect(matrix.rules.find((row) => row.id === 'lex.space')!.tests).toEqual([
      expect.objectContaining({ id: 'junit:lexer/lexer::tests::spaces_separate', via: 'reference', status: 'passed' }),
    ])
    expect(matrix.rules.find((row) => row.id === 'threat.confusion')).toMatchObject({ owner: 'T-crates-io', kind: 'threat', mitigatedBy: ['lex.ident', 'lex.unicode'], href: '../site/threats.html#r-threat.confusion' })
    expect(matrix.findings.map((finding) => finding.rule)).toEqual(['ferrule:failing-test'])
    expect((await readdir(path.join(work, 'dist/matrix'))).sort()).toEqual([
      'evidence.json', 'matrix.csv', 'matrix.html', 'matrix.json', 'matrix.reqif', 'matrix.schema.json', 'matrix.xlsx', 'rules.json',
    ])
  })

  test('every export lists the test that verifies no rule', async () => {
    expect((await run('matrix', ...inputs)).status).toBe(0)
    const id = 'junit:lexer/lexer::tests::unrelated'
    const folder = path.join(work, 'dist/matrix')
    const matrix = await readMatrix()
    expect(matrix.tests.map((test) => test.id)).toContain(id)
    expect(matrix.rules.some((row) => row.tests.some((test) => test.id === id))).toBe(false)
    const csv = parse(await readFile(path.join(folder, 'matrix.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>
    expect(csv.filter((record) => record.test_id === id)).toEqual([expect.objectContaining({ rule: '', test_title: 'lexer > lexer::tests::unrelated', test_status: 'passed', test_via: '' })])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await readFile(path.join(folder, 'matrix.xlsx'))) as unknown as ExcelJS.Buffer)
    const rows = workbook.getWorksheet('Tests')!.getSheetValues().filter((row) => Array.isArray(row) && row[2] === id)
    expect(rows.map((row) => (row as unknown[]).slice(1, 7))).toEqual([[undefined, id, 'lexer > lexer::tests::unrelated', 'lexer', undefined, 'passed']])
    const reqif = await readFile(path.join(folder, 'matrix.reqif'), 'utf8')
    const unlinked = reqif.slice(reqif.indexOf('IDENTIFIER="ferrule-specification-unlinked-tests"'))
    expect(unlinked.slice(0, unlinked.indexOf('</SPECIFICATION>'))).toContain(`<SPEC-OBJECT-REF>${testIdentifier(id)}</SPEC-OBJECT-REF>`)
    expect(await readFile(path.join(folder, 'matrix.html'), 'utf8')).toContain('Tests linked to no rule (1)</h2><ul class="tests"><li><span class="title">lexer > lexer::tests::unrelated</span>')
  })

  test('the same inputs give byte-identical exports', async () => {
    await run('matrix', ...inputs)
    const folder = path.join(work, 'dist/matrix')
    const first = await Promise.all((await readdir(folder)).sort().map((name) => readFile(path.join(folder, name))))
    await run('matrix', ...inputs)
    const second = await Promise.all((await readdir(folder)).sort().map((name) => readFile(path.join(folder, name))))
    expect(second).toEqual(first)
  })

  test('XLSX and ReqIF, made in worker threads, are the bytes their exporters give for matrix.json', async () => {
    await run('matrix', ...inputs)
    const matrix = await readMatrix()
    const folder = path.join(work, 'dist/matrix')
    expect(new Uint8Array(await readFile(path.join(folder, 'matrix.xlsx')))).toEqual(await matrixToXlsx(matrix))
    expect(await readFile(path.join(folder, 'matrix.reqif'), 'utf8')).toBe(matrixToReqif(matrix))
  })

  test('against a baseline: added, removed and changed rules; links to a changed rule are suspect until the test passes again', async () => {
    await run('matrix', ...inputs)
    await cp(path.join(work, 'dist/matrix/rules.json'), path.join(work, 'old-rules.json'))
    await edit('spec/lex.md', 'followed by letters, digits and underscores', 'followed by letters, digits, underscores and marks')
    await edit('spec/lex.md', 'r[lex.comment]\nA comment is white space.\n', 'r[lex.doc]\nA doc comment is an attribute.\n')
    const { status, stdout, stderr } = await run('matrix', ...inputs, '--baseline', 'old-rules.json', '--fail-on', 'suspect')
    expect(status).toBe(1)
    expect(stdout).toContain('since old-rules.json: 1 added, 1 removed, 1 changed, 1 suspect links, coverage 50% -> 25%')
    expect(stderr).toContain('gate: 1 suspect link (--fail-on suspect)')
    const matrix = await readMatrix()
    expect(matrix.impact).toMatchObject({ added: ['lex.doc'], removed: [{ id: 'lex.comment', chapter: 'lex.md' }], changed: ['lex.ident'], suspectLinks: 1 })
    expect(matrix.rules.find((row) => row.id === 'lex.ident')).toMatchObject({ verdict: 'untested', change: 'changed', tests: [expect.objectContaining({ suspect: true })] })

    const diff = await run('diff', 'old-rules.json', 'dist/matrix/rules.json')
    expect(diff.stdout).toBe('1 added, 1 removed, 1 changed\n+ lex.doc\n- lex.comment (lex.md)\n~ lex.ident\n')
  })


  test("with no baseline, the results folder's rules.json says which texts its tests ran against: a link by title or by tag to a rule edited since is suspect", async () => {
    // A tag in the vitest test's own file links that test to a second rule.
    await mkdir(path.join(work, 'test'))
    await writeFile(path.join(work, 'test/lexer.test.ts'), "describe('lexer', () => {\n  //@ reference: lex.comment\n  test('reads identifiers [lex.ident]', () => {})\n})\n")
    const tagged = [...inputs, '--tests', 'test']
    await run('matrix', ...tagged)
    const verdicts = (matrix: Matrix) => Object.fromEntries(matrix.rules.filter((row) => row.tests.length > 0).map((row) => [row.id, row.verdict]))
    expect(verdicts(await readMatrix())).toMatchObject({ 'lex.comment': 'verified', 'lex.ident': 'verified', 'lex.keyword': 'failing' })
    // The tests ran against the rules as they are now; then both rules are edited.
    await cp(path.join(work, 'dist/matrix/rules.json'), path.join(work, 'results/rules.json'))
    await edit('spec/lex.md', 'followed by letters, digits and underscores', 'followed by letters, digits, underscores and marks')
    await edit('spec/lex.md', 'A comment is white space.', 'A comment is white space, even a doc comment.')

    const { status, stdout } = await run('matrix', ...tagged)
    expect(status).toBe(0)
    expect(stdout).not.toContain('since')
    const matrix = await readMatrix()
    expect(matrix.impact).toBeNull()
    const links = matrix.rules.flatMap((row) => row.tests.map((test) => `${row.id} ${test.via} ${test.status}${test.suspect ? ' suspect' : ''}`))
    expect(links).toEqual([
      'lex.comment reference passed suspect',
      'lex.ident title passed suspect',
      'lex.keyword title failed',
      'lex.number title skipped',
      'lex.space reference passed',
    ])
    expect(verdicts(matrix)).toMatchObject({ 'lex.comment': 'untested', 'lex.ident': 'untested', 'lex.space': 'verified' })
  })
  test('gates: --min-coverage and --fail-on exit 1; bad usage and unreadable input exit 2 naming the file', async () => {
    expect((await run('matrix', ...inputs, '--min-coverage', '50')).status).toBe(0)
    const low = await run('matrix', ...inputs, '--min-coverage', '80', '--fail-on', 'failing,uncovered')
    expect(low.status).toBe(1)
    expect(low.stderr).toContain('gate: coverage 50% (4 of 8 rules) is below --min-coverage 80%')
    expect(low.stderr).toContain('gate: 1 failing rule (--fail-on failing)')
    expect(low.stderr).toContain('gate: 1 uncovered rule (--fail-on uncovered)')
    expect((await run('matrix', ...inputs, '--fail-on', 'broken')).status).toBe(2)
    expect((await run('matrix', ...inputs, '--format', 'pdf')).status).toBe(2)
    const missing = await run('matrix', '--root', 'spec', '--results', 'results/nope.json')
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/cannot read the results file `results\/nope\.json`/)
    await writeFile(path.join(work, 'results/bad.json'), '{"hello": 1}')
    const bad = await run('matrix', '--root', 'spec', '--results', 'results/bad.json')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/results\/bad\.json: expected the rust\.json/)
  })

  test('a test file or suite that failed outside its tests, and a JUnit test listed twice, are findings; a failure in any result file counts', async () => {
    await writeFile(path.join(work, 'results/crash.json'), JSON.stringify({ testResults: [{ name: path.join(work, 'test/parser.test.ts'), status: 'failed', message: 'Failed to load', assertionResults: [] }] }))
    await writeFile(
      path.join(work, 'results/again.xml'),
      '<testsuites>\n<testsuite name="build"><error message="could not compile"/></testsuite>\n<testsuite name="z">\n<testcase name="dup" classname="z"/>\n<testcase name="dup" classname="z"><failure/></testcase>\n</testsuite>\n</testsuites>\n',
    )
    const { status, stderr } = await run('matrix', ...inputs, '--results', 'results/crash.json', '--results', 'results/again.xml')
    expect(status).toBe(1)
    expect(stderr).toMatch(/test\/parser\.test\.ts\n\s*error +Test file `test\/parser\.test\.ts` failed outside its tests \(Failed to load\).* +failed-suite/)
    expect(stderr).toMatch(/results\/again\.xml\n\s*2:\d+ +error +Suite `build` failed outside its tests \(could not compile\).* +failed-suite/)
    expect(stderr).toMatch(/5:1 +warning +Test `junit:z\/dup` appears again \(first at line 4\); it failed if either failed.* +duplicate-test/)
    expect((await readMatrix()).tests.find((test) => test.id === 'junit:z/dup')).toMatchObject({ status: 'failed' })
  })

  test('the gate reads the counts, not the rounded percentage; a misspelt --tests folder, a bad --min-coverage or --out exit 2', async () => {
    expect((await run('matrix', ...inputs, '--min-coverage', '50.0001')).status).toBe(1)
    for (const value of ['', '0x10', '1e2']) {
      const bad = await run('matrix', ...inputs, '--min-coverage', value)
      expect(bad.status, value).toBe(2)
      expect(bad.stderr).toContain(`--min-coverage takes a percentage from 0 to 100, not \`${value}\``)
    }
    const folder = await run('matrix', '--root', 'spec', '--results', 'results/vitest.json', '--tests', 'tset')
    expect(folder.status).toBe(2)
    expect(folder.stderr).toContain('no test folder `tset` to scan for `//@ reference:` tags')
    await writeFile(path.join(work, 'a-file'), '')
    const out = await run('matrix', ...inputs, '--out', 'a-file')
    expect(out.status).toBe(2)
    expect(out.stderr).toContain('cannot write into the output folder `a-file`')
  })

  test('a rules inventory older than the chapters is refused, naming the chapter; built again, it is taken', async () => {
    expect((await run('build', '--root', 'spec')).status).toBe(0)
    const inventory = JSON.parse(await readFile(path.join(work, 'dist/rules.json'), 'utf8'))
    expect(inventory.sources.map((source: { file: string }) => source.file)).toEqual(['SUMMARY.md', 'lex.md', 'threats.md'])
    const fromInventory = ['--root', 'spec', '--results', 'results/vitest.json', '--results', 'results/junit.xml', '--tests', 'tests']
    expect((await run('matrix', ...fromInventory)).status).toBe(0)
    await edit('spec/lex.md', 'followed by letters, digits and underscores', 'followed by letters, digits, underscores and marks')
    const stale = await run('matrix', ...fromInventory)
    expect(stale.status).toBe(2)
    expect(stale.stderr).toContain('dist/rules.json is out of date: `lex.md` changed since it was made; run `ferrule build` (`npm run build`) again')
    expect((await run('build', '--root', 'spec')).status).toBe(0)
    expect((await run('matrix', ...fromInventory)).status).toBe(0)
    expect((await readMatrix()).rules.find((row) => row.id === 'lex.ident')!.summary).toContain('underscores and marks')
  })

  test('a waiver without a reason, or a test naming an unknown rule, is an error at its place', async () => {
    await edit('spec/waivers.yaml', '  reason: Checked by review against the Unicode normalization tables.\n', '')
    await edit('results/vitest.json', 'reads identifiers [lex.ident]', 'reads identifiers [lex.idnet]')
    const { status, stderr } = await run('matrix', ...inputs)
    expect(status).toBe(1)
    expect(stderr).toMatch(/spec\/waivers\.yaml\n\s*2:1 +error .*waiver-without-reason/)
    expect(stderr).toMatch(/test\/lexer\.test\.ts\n\s*3:1 +error +Test `lexer reads identifiers \[lex\.idnet\]` names the unknown rule `lex\.idnet` +unknown-rule-in-test/)
  })

  test('--sign adds an Ed25519 signature; verify checks it and every digest, and detects a tampered input', async () => {
    const keys = generateKeyPairSync('ed25519')
    await writeFile(path.join(work, 'signing.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    await writeFile(path.join(work, 'public.pem'), keys.publicKey.export({ type: 'spki', format: 'pem' }))
    expect((await run('matrix', ...inputs, '--sign', 'signing.pem')).status).toBe(0)
    const evidence = JSON.parse(await readFile(path.join(work, 'dist/matrix/evidence.json'), 'utf8'))
    expect(evidence.inputs.map((entry: { path: string }) => entry.path)).toEqual([
      'results/junit.xml', 'results/vitest.json', 'spec/SUMMARY.md', 'spec/lex.md', 'spec/threats.md', 'spec/waivers.yaml', 'tests/lexer.rs',
    ])
    expect(evidence.outputs.map((entry: { path: string }) => entry.path)).toContain('matrix.reqif')
    expect(evidence.signature.algorithm).toBe('ed25519')

    expect(await run('verify', '--key', 'public.pem')).toMatchObject({ status: 0 })
    expect((await run('verify')).stdout).toContain('; it is signed, and the signature matches the key it names')
    // The signature taken off: the digests still match, so verify says that the manifest is unsigned,
    // and with --key refuses it.
    const evidenceFile = path.join(work, 'dist/matrix/evidence.json')
    const signed = await readFile(evidenceFile, 'utf8')
    const { signature: _signature, ...unsigned } = evidence
    await writeFile(evidenceFile, JSON.stringify(unsigned, null, 2) + '\n')
    expect(await run('verify')).toMatchObject({ status: 0, stdout: expect.stringContaining('; it is not signed (pass --key to require a signature)') })
    expect(await run('verify', '--key', 'public.pem')).toMatchObject({ status: 1, stderr: expect.stringContaining('ferrule: verify: the manifest is not signed') })
    await writeFile(evidenceFile, signed)
    await edit('results/vitest.json', '"status": "failed"', '"status": "passed"')
    const tampered = await run('verify', '--key', 'public.pem')
    expect(tampered.status).toBe(1)
    expect(tampered.stderr).toContain('input results/vitest.json: SHA-256 differs from the manifest (the file changed)')
    // What cannot be checked at all is unreadable input: status 2.
    expect(await run('verify', '--key', 'nope.pem')).toMatchObject({ status: 2, stderr: expect.stringContaining('ferrule: verify: cannot read the key nope.pem') })
    expect(await run('verify', 'no-such-folder')).toMatchObject({ status: 2, stderr: expect.stringContaining('ferrule: verify: cannot read no-such-folder/evidence.json') })
  })

  test('an input that is not all UTF-8 is recorded by its bytes, so that verify and sha256sum agree with the manifest', async () => {
    // A Latin-1 é in a comment of a test file: read as text it becomes U+FFFD, whose bytes differ.
    const file = path.join(work, 'tests/lexer.rs')
    await writeFile(file, Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\n'), await readFile(file)]))
    expect((await run('matrix', ...inputs)).status).toBe(0)
    const evidence = JSON.parse(await readFile(path.join(work, 'dist/matrix/evidence.json'), 'utf8'))
    const entry = evidence.inputs.find((input: { path: string }) => input.path === 'tests/lexer.rs')
    expect(entry.sha256).toBe(createHash('sha256').update(await readFile(file)).digest('hex'))
    expect(await run('verify')).toMatchObject({ status: 0 })
  })
})
