/**
 * The nodes Ferrule adds to mdast and the facts its plugins leave on `file.data`.
 * The syntax plugins write these; compile, render and trace only read them.
 */
import type { BlockContent, Code, DefinitionContent, Parent, PhrasingContent } from 'mdast'
import type { Position } from 'unist'

/** A block identified by an `r[ID]` marker. Its one child is the block. */
export interface RuleNode extends Parent {
  type: 'ferruleRule'
  id: string
  children: BlockContent[]
  /**
   * The rules whose own text links to this one, with the URL of each from this rule's page: set by
   * the link phase, shown as the rule's "Referenced by" list.
   */
  referencedBy?: Array<{ id: string; url: string }> | undefined
}

/** A GFM alert (`> [!NOTE]`), rendered as a labelled box. */
export interface AdmonitionNode extends Parent {
  type: 'ferruleAdmonition'
  /** Lower-case kind: `note`, `warning`, `edition-2024`... */
  kind: string
  /** Label shown to readers: `Note`, `2024 Edition differences`... */
  label: string
  children: Array<BlockContent | DefinitionContent>
}

/** A link to a rule, `[text][ID]` or `[ID]`, before the index resolves it. */
export interface RuleLinkNode extends Parent {
  type: 'ferruleRuleLink'
  id: string
  children: PhrasingContent[]
}

declare module 'mdast' {
  interface BlockContentMap {
    ferruleRule: RuleNode
    ferruleAdmonition: AdmonitionNode
  }
  interface RootContentMap {
    ferruleRule: RuleNode
    ferruleAdmonition: AdmonitionNode
    ferruleRuleLink: RuleLinkNode
  }
  interface PhrasingContentMap {
    ferruleRuleLink: RuleLinkNode
  }
}

/** Chapter metadata from YAML front matter. */
export interface FrontMatter {
  owner?: string
  status?: 'draft' | 'stable'
  [key: string]: unknown
}

/** A rule defined by a chapter. */
export interface RuleFact {
  id: string
  /** Place of the `r[ID]` marker. */
  position: Position
  /** Plain text of the block the rule identifies. */
  text: string
  /** mdast type of that block. */
  block: string
  /** Rule IDs that the block links to, sorted, set by the rule links plugin. */
  links?: string[]
  /** Text of the last heading before the rule (or of the heading it identifies), if any. */
  section?: string | undefined
  /** Text of the first emphasis in the block: the word a definition defines (`A *crate* is ...`). */
  defines?: string | undefined
}

/** A reference to a rule: a rule link, or bracketed text that looks like one but names no rule. */
export interface RuleRefFact {
  id: string
  position: Position | undefined
  /** `false` for `[a.b]` text that no rule marker anywhere defines. */
  linked: boolean
}

/** A fenced code block and the rule it stands in. */
export interface ExampleFact {
  lang: string | undefined
  /** Words after the language: `ignore`, `should-throw`, `rule=ID`... */
  attributes: string[]
  /**
   * The rule this block verifies: `rule=ID` from its info string, else the rule it stands in (the
   * innermost rule marker before it in its section), if any.
   */
  rule: string | undefined
  position: Position | undefined
  node: Code
  /** What an executable example (`ts`, `rust`) asks for; absent for other blocks. */
  info?: ExampleInfo | undefined
}

/** Which runner executes an example. */
export type ExampleRunner = 'ts' | 'rust'

/** rustdoc's ways of testing a block. */
export type RustMode = 'run' | 'no_run' | 'compile_fail' | 'should_panic'

/** The meaning of an executable example's info string. */
export interface ExampleInfo {
  runner: ExampleRunner
  /** `rule=ID`, which wins over the rule the block stands in. */
  rule: string | undefined
  /** Why the example is never run, when it says `ignore`; `''` when no reason follows. */
  ignore: string | undefined
  /** `ts`: the example passes only if it throws. */
  shouldThrow: boolean
  /** `rust`: compile and run, compile only, expect a compile error, or expect a panic. */
  mode: RustMode
  /** `rust`: `editionNNNN`. */
  edition: string | undefined
  /** `rust`: error codes a `compile_fail` block must produce (`E0382`). */
  errorCodes: string[]
  /** Words this runner does not know. */
  unknownWords: string[]
}

declare module 'vfile' {
  interface DataMap {
    frontMatter: FrontMatter
    /** Rules this chapter defines, in document order. */
    rules: RuleFact[]
    /** Rule links and would-be rule links this chapter makes. */
    ruleRefs: RuleRefFact[]
    /** Every anchor a link may target in this chapter: heading IDs, `r-ID`, raw HTML `id`s. */
    anchors: Set<string>
    /** Fenced code blocks. */
    examples: ExampleFact[]
  }
}

/** The grammar of a rule ID: dot-separated segments of `[a-z0-9_-]`. */
export const ruleIdPattern = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/

/** The anchor of a rule on its page. */
export function ruleAnchor(id: string): string {
  return `r-${id}`
}
