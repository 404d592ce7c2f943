import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { resolveConfig } from '../../../tools/ferrule/config.ts'
import { createDevSession, type DevSession } from '../../../tools/ferrule/dev/session.ts'
import { fixturesRoot } from '../../helpers/fixtures.ts'

let work: string
let session: DevSession
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferrule-session-'))
  await cp(path.join(fixturesRoot, 'books/basic'), path.join(work, 'book'), { recursive: true })
  session = await createDevSession(resolveConfig(work, { root: 'book', title: 'Test book' }))
})
afterEach(async () => {
  session.close()
  await rm(work, { recursive: true, force: true })
})

describe('a live preview session warmed up', () => {
  test('serves the same pages at the same build, and its next edit renders the edited chapter only', async () => {
    const pages = ['index.html', 'rules.html', 'intro.html', 'lang/values.html', 'lang/moves.html', 'lib/boxes.html']
    const before = pages.map((page) => session.page(page))
    expect(before.every((html) => html !== undefined)).toBe(true)
    await session.warmUp()
    expect(session.build).toBe(1)
    expect(pages.map((page) => session.page(page))).toEqual(before)
    const boxes = path.join(work, 'book/lib/boxes.md')
    await writeFile(boxes, `${await readFile(boxes, 'utf8')}\nMore prose.\n`)
    const rebuild = await session.update([boxes])
    expect(rebuild).toMatchObject({ build: 2, rendered: ['lib/boxes.md'], pages: ['lib/boxes.html'] })
    expect(session.page('lib/boxes.html')).toContain('More prose.')
    expect(session.page('lang/values.html')).toBe(before[3])
  })
})
