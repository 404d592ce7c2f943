import { createHighlighter, createJavaScriptRegexEngine, type HighlighterGeneric } from 'shiki'

/** Languages highlighted in code blocks; any other falls back to plain text. */
export const languages = ['rust', 'typescript', 'javascript', 'toml', 'json', 'yaml', 'shellscript', 'c'] as const
export const themes = { light: 'github-light', dark: 'github-dark' } as const

export type Highlighter = HighlighterGeneric<string, string>

/**
 * The build's one highlighter. Shiki's JavaScript regex engine runs these grammars faster than the
 * Oniguruma WebAssembly engine here, and needs no WebAssembly.
 */
export async function createFerruleHighlighter(): Promise<Highlighter> {
  return createHighlighter({
    themes: Object.values(themes),
    langs: [...languages],
    engine: createJavaScriptRegexEngine(),
  }) as Promise<Highlighter>
}
