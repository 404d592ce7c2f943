// The semantic-versioning grammar (semver.org, "Is there a suggested regular expression?").
const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/

/**
 * Name and version from a package's top folder, `{name}-{version}` (`pkg.identity`). Names may hold
 * `-` and versions may too (`1.0.0-rc.1`), so the folder is split at the first `-` after which a
 * valid semantic version follows. Undefined when there is none.
 */
export function splitTopFolder(folder: string): { name: string; version: string } | undefined {
  for (let index = folder.indexOf('-'); index > 0; index = folder.indexOf('-', index + 1)) {
    const version = folder.slice(index + 1)
    if (semver.test(version)) return { name: folder.slice(0, index), version }
  }
  return undefined
}
