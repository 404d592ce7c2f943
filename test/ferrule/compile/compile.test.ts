import { describe, expect, test } from 'vitest'
import { compileBook, messageList } from '../../helpers/book.ts'

describe('compiling a book', () => {
  test('a chapter in the outline whose file is missing is an error at its outline entry', async () => {
    const spec = await compileBook({ 'SUMMARY.md': '# Summary\n\n- [A](a.md)\n  - [Gone](gone.md)\n', 'a.md': '# A\n' })
    expect(messageList(spec.files)).toEqual(['SUMMARY.md:4:5 error ferrule:missing-chapter'])
  })

  test('a chapter file that is not in the outline is a warning', async () => {
    const spec = await compileBook({ 'SUMMARY.md': '- [A](a.md)\n', 'a.md': '# A\n', 'drafts/b.md': '# B\n', 'notes.txt': 'x' })
    expect(messageList(spec.files)).toEqual(['drafts/b.md:1:1 warning ferrule:unlisted-chapter'])
  })

  test('a book without SUMMARY.md is an error that says where it looked', async () => {
    const spec = await compileBook({ 'a.md': '# A\n' })
    expect(messageList(spec.files)).toEqual(['SUMMARY.md:?:? error ferrule:missing-outline'])
    expect(spec.chapters).toEqual([])
  })

  test('README.md chapters become index pages, as in mdBook; a chapter may not take a generated page', async () => {
    const spec = await compileBook({
      'SUMMARY.md': '[Intro](README.md)\n\n- [Rules](rules.md)\n- [Sub](sub/README.md)\n',
      'README.md': '# Intro\n',
      'rules.md': '# Rules\n',
      'sub/README.md': '# Sub\n',
    })
    expect([...spec.index.pages.values()]).toEqual(['index.html', 'sub/index.html'])
    expect(messageList(spec.files)).toEqual(['SUMMARY.md:3:3 error ferrule:page-conflict'])
  })
})
