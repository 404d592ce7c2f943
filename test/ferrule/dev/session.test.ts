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

  test('gives way to a real edit: asked to stop, it stops after the edit at hand, the book as it was', async () => {
    const before = session.page('lib/boxes.html')
    let asked = 0
    await session.warmUp(() => ++asked >= 2)
    expect(asked).toBe(2)
    expect(session.build).toBe(1)
    expect(session.page('lib/boxes.html')).toBe(before)
    const boxes = path.join(work, 'book/lib/boxes.md')
    await writeFile(boxes, `${await readFile(boxes, 'utf8')}\nMore prose.\n`)
    expect(await session.update([boxes])).toMatchObject({ build: 2, rendered: ['lib/boxes.md'], pages: ['lib/boxes.html'] })
  })
})

describe('a live preview session’s patches', () => {
  const boxes = () => path.join(work, 'book/lib/boxes.md')
  const rules = Array.from({ length: 4 }, (_, n) => `r[boxes.r${n}]\nRule ${n} of the boxes.\n`).join('\n')

  test('an edit between two rules is the new HTML between them; applied to the old content it gives the new', async () => {
    await writeFile(boxes(), `# Boxes\n\n${rules}`)
    await session.update([boxes()])
    const old = session.page('lib/boxes.html')!
    await writeFile(boxes(), `# Boxes\n\n${rules.replace('Rule 2 of', 'Rule two of')}`)
    const rebuild = await session.update([boxes()])
    const patch = rebuild.patches['lib/boxes.html']!
    expect(patch).toMatchObject({ after: 'r-boxes.r1', before: 'r-boxes.r3' })
    expect(patch.html).toContain('Rule two of')
    expect(patch.html).not.toContain('Rule 1 of')
    // The page as a browser had it, with what lay between the two elements replaced.
    const start = old.indexOf('</div>', old.indexOf('<div class="rule" id="r-boxes.r1">'))
    const end = old.indexOf('<div class="rule" id="r-boxes.r3">')
    expect(old.slice(0, start + '</div>'.length) + patch.html + old.slice(end)).toBe(session.page('lib/boxes.html'))
  })

  test('none when the rest of the page changed too, or the edit is past the last rule', async () => {
    await writeFile(boxes(), `# Boxes\n\n${rules}`)
    await session.update([boxes()])
    await writeFile(boxes(), `# Boxes\n\n${rules}\nA last paragraph.\n`)
    expect((await session.update([boxes()])).patches).toEqual({})
    // A chapter added to the outline changes every page's sidebar.
    await writeFile(path.join(work, 'book/lib/cells.md'), '# Cells\n\nr[cells]\nA cell.\n')
    const summary = path.join(work, 'book/SUMMARY.md')
    await writeFile(summary, (await readFile(summary, 'utf8')).replace('- [Boxes](lib/boxes.md)', '- [Boxes](lib/boxes.md)\n- [Cells](lib/cells.md)'))
    await writeFile(boxes(), `# Boxes\n\n${rules.replace('Rule 2 of', 'Rule two of')}`)
    const rebuild = await session.update([boxes(), summary, path.join(work, 'book/lib/cells.md')])
    expect(rebuild.navigation).toBe(true)
    expect(rebuild.patches).toEqual({})
  })
})
