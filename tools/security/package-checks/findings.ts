/**
 * The package checks' names, as findings and `cratesec check-package --json` report them.
 *
 * To add a new check:
 * 1. Write `checks/NAME.ts` exporting `ruleId` and a function from an archive entry (or the parsed
 *    manifest) to its findings.
 * 2. Add NAME here, and call the function at its phase in `check-package.ts`.
 * 3. Specify it as its own rule with a running example in `spec/security/package-checks.md`, link
 *    it from the threat it mitigates, and test it in `test/security/` under that rule's ID.
 */
export type PackageCheckName =
  | 'corrupt-archive'
  | 'too-many-entries'
  | 'too-large'
  | 'non-utf8-name'
  | 'unsafe-path'
  | 'outside-prefix'
  | 'entry-type'
  | 'pax-size-mismatch'
  | 'manifest-too-large'
  | 'missing-manifest'
  | 'duplicate-manifest'
  | 'manifest-case'
  | 'invalid-toml'
  | 'missing-package'
  | 'workspace-inheritance'
  | 'rust-version'
  | 'top-folder'
  | 'name-mismatch'
  | 'version-mismatch'
  | 'metadata-mismatch'

/** One reason to reject a package (`pkg.findings`). */
export interface Finding {
  check: PackageCheckName
  /** The archive entry concerned, as a report shows it (bytes that are not UTF-8 as `\xNN`). */
  path?: string
  /** The manifest or metadata field concerned, as a TOML key path (`dependencies.serde.version`). */
  field?: string
  /** A sentence for a person: what was found, and what was expected. */
  message: string
}

/**
 * Findings of one run, at most `limit` per check; the rest are counted, so that a crate of 100,000
 * bad entries gives a report of bounded size that still says how many there were
 * (`sec.malformed.report`).
 */
export class FindingList {
  readonly findings: Finding[] = []
  readonly suppressed: Partial<Record<PackageCheckName, number>> = {}
  private readonly counts = new Map<PackageCheckName, number>()

  constructor(private readonly limit: number) {}

  add(finding: Finding): void {
    const count = (this.counts.get(finding.check) ?? 0) + 1
    this.counts.set(finding.check, count)
    if (count <= this.limit) this.findings.push(finding)
    else this.suppressed[finding.check] = count - this.limit
  }
}
