/**
 * The nodes Ferrule adds to mdast and the facts its plugins leave on `file.data`.
 * The syntax plugins write these; compile, render and trace only read them.
 */
import type { BlockContent, Code, DefinitionContent, Parent, PhrasingContent } from 'mdast'
import type { Position } from 'unist'
import type { Production } from '../grammar/index.ts'

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
  /** The link's label, lower-cased as micromark compares labels. */
  id: string
  /** The label as written, which tells productions apart whose names differ in case only (`LITERAL`, `Literal`). */
  label?: string | undefined
  children: PhrasingContent[]
}

/** A fenced ` ```grammar,CATEGORY ` block: its productions, parsed. */
export interface GrammarNode {
  type: 'ferruleGrammar'
  /** What groups the block's productions in the grammar summary: `lexer`, `expressions`... */
  category: string
  /** The block's text, as written. */
  value: string
  productions: Production[]
  /**
   * URL of each nonterminal the block uses, from this block's page, by name: set by the link phase;
   * a name without one is undefined (and reported).
   */
  hrefs?: Record<string, string> | undefined
  position?: Position | undefined
}

declare module 'mdast' {
  interface BlockContentMap {
    ferruleRule: RuleNode
    ferruleAdmonition: AdmonitionNode
    ferruleGrammar: GrammarNode
  }
  interface RootContentMap {
    ferruleRule: RuleNode
    ferruleAdmonition: AdmonitionNode
    ferruleRuleLink: RuleLinkNode
    ferruleGrammar: GrammarNode
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

/** A grammar production defined by a chapter, with its places in the chapter's file. */
export interface ProductionFact {
  name: string
  category: string
  /** Place of the production's name. */
  position: Position
  /** Marked as a root of the grammar in its block. */
  root: boolean
  /** The production's text, as written: its rule text in `rules.json`. */
  source: string
  /** Every nonterminal the production uses, in source order. */
  uses: Array<{ name: string; position: Position }>
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
    /** Grammar productions of the chapter's ` ```grammar ` blocks, in document order. */
    productions: ProductionFact[]
  }
}

/** The grammar of a rule ID: dot-separated segments of `[a-z0-9_-]`. */
export const ruleIdPattern = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/

/** The kind of the rules that grammar productions are. */
export const productionKind = 'production'

/** The prefix of a production's rule ID: production `Name` is traceable as `grammar.Name`. */
export const productionPrefix = 'grammar.'

/** The rule ID of production `name`. */
export function productionId(name: string): string {
  return productionPrefix + name
}

/** The name of a production's own anchor on its page: `grammar-Name`. */
export function productionAnchor(name: string): string {
  return `grammar-${name}`
}

/** What a test may name as verified: a rule ID, or a production's `grammar.Name`. */
export const traceableIdPattern = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|grammar\.[A-Za-z_][A-Za-z0-9_]*)$/

/**
 * The anchor of a rule on its page: `r-ID`, or for a production (`kind` production) `grammar-Name`.
 */
export function ruleAnchor(id: string, kind?: string): string {
  return kind === productionKind ? productionAnchor(id.slice(productionPrefix.length)) : `r-${id}`
}
