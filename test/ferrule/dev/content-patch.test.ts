import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { contentPatch } from '../../../tools/ferrule/dev/content-patch.ts'
import type { ContentBlock } from '../../../tools/ferrule/render/content-blocks.ts'

/** An element block with an `id`, a line break, a paragraph, raw HTML of the book. */
const anchor = (id: string, text = id): ContentBlock => ({ html: `<div id="${id}">${text}</div>`, id, selfContained: true })
const gap: ContentBlock = { html: '\n', id: null, selfContained: true }
const para = (text: string): ContentBlock => ({ html: `<p>${text}</p>`, id: null, selfContained: true })
const raw = (html: string): ContentBlock => ({ html, id: null, selfContained: false })

/** Blocks as a chapter has them: a line break between each two. */
const blocks = (...list: ContentBlock[]) => list.flatMap((block, index) => (index === 0 ? [block] : [gap, block]))

describe('the patch of a chapter’s content', () => {
  test('replaces what lies between the nearest unchanged elements with an id on each side', () => {
    const old = blocks(anchor('a'), para('one'), anchor('b'), para('two'), para('three'), anchor('c'), anchor('d'))
    const next = blocks(anchor('a'), para('one'), anchor('b'), para('two, edited'), para('three'), anchor('c'), anchor('d'))
    expect(contentPatch(old, next)).toEqual({ after: 'b', before: 'c', html: '\n<p>two, edited</p>\n<p>three</p>\n' })
  })

  test('an edited element with an id is itself replaced, between its neighbours', () => {
    const old = blocks(anchor('a'), anchor('b', 'old text'), anchor('c'))
    const next = blocks(anchor('a'), anchor('b', 'new text'), anchor('c'))
    expect(contentPatch(old, next)).toEqual({ after: 'a', before: 'c', html: '\n<div id="b">new text</div>\n' })
  })

  test('blocks added or removed between two anchors', () => {
    const old = blocks(anchor('a'), anchor('c'))
    const added = blocks(anchor('a'), anchor('b'), para('new'), anchor('c'))
    expect(contentPatch(old, added)).toEqual({ after: 'a', before: 'c', html: '\n<div id="b">b</div>\n<p>new</p>\n' })
    expect(contentPatch(added, old)).toEqual({ after: 'a', before: 'c', html: '\n' })
  })

  test('no patch without an anchor on each side: the first or the last blocks changed', () => {
    const old = blocks(anchor('a'), para('one'), anchor('b'), para('two'))
    expect(contentPatch(old, blocks(anchor('a', 'renamed'), para('one'), anchor('b'), para('two')))).toBeUndefined()
    expect(contentPatch(old, blocks(anchor('a'), para('one'), anchor('b'), para('two, edited')))).toBeUndefined()
    expect(contentPatch(old, [...old, gap, anchor('z')])).toBeUndefined()
  })

  test('no patch for the same content, nor when new raw HTML of the book is in the change', () => {
    const old = blocks(anchor('a'), para('one'), anchor('b'))
    expect(contentPatch(old, old)).toBeUndefined()
    expect(contentPatch(old, blocks(anchor('a'), raw('<div class="open">'), anchor('b')))).toBeUndefined()
    // Raw HTML outside the change is left where it is.
    expect(contentPatch(blocks(raw('<hr>'), anchor('a'), para('one'), anchor('b')), blocks(raw('<hr>'), anchor('a'), para('two'), anchor('b')))).toEqual({
      after: 'a',
      before: 'b',
      html: '\n<p>two</p>\n',
    })
  })

  test('an id found twice in either content is no anchor: the page could find the wrong one', () => {
    const old = blocks(anchor('a'), anchor('b'), para('one'), anchor('c'), anchor('b'))
    const next = blocks(anchor('a'), anchor('b'), para('two'), anchor('c'), anchor('b'))
    expect(contentPatch(old, next)).toEqual({ after: 'a', before: 'c', html: '\n<div id="b">b</div>\n<p>two</p>\n' })
  })

  test('applied to the old blocks, a patch gives the new ones, for any edit of any content', () => {
    const block = fc.oneof(
      fc.constantFrom(...'abcdefghijklmnop').map((id) => anchor(id)),
      fc.constantFrom('one', 'two', 'three').map(para),
      fc.constant(gap),
      fc.constantFrom('<hr>', '<div>').map(raw),
    )
    let patched = 0
    fc.assert(
      fc.property(fc.array(block, { minLength: 3, maxLength: 16 }), fc.nat(), fc.nat(3), fc.array(block, { maxLength: 4 }), (old, at, removed, inserted) => {
        const next = [...old]
        next.splice(at % (old.length + 1), removed, ...inserted)
        const patch = contentPatch(old, next)
        if (patch === undefined) return
        patched++
        const html = (list: readonly ContentBlock[]) => list.map((b) => b.html).join('')
        // The page finds each anchor once, in this order, and keeps what is outside them.
        const after = old.findIndex((b) => b.id === patch.after)
        const before = old.findIndex((b) => b.id === patch.before)
        expect(old.filter((b) => b.id === patch.after)).toHaveLength(1)
        expect(old.filter((b) => b.id === patch.before)).toHaveLength(1)
        expect(after).toBeLessThan(before)
        expect(html(old.slice(0, after + 1)) + patch.html + html(old.slice(before))).toBe(html(next))
      }),
      { numRuns: 2000 },
    )
    // Not a property that holds by never making a patch.
    expect(patched).toBeGreaterThan(40)
  })
})
