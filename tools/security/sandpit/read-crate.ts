import { open, stat } from 'node:fs/promises'
import { CrateReadError, type CrateContents, type ReadCrateOptions, readCrateArchive, readSourceFolder } from './crate-files.ts'

/**
 * Read what `location` names: a crate's source folder, or a `.crate` file (any other file is read
 * as one, and fails as a corrupt archive when it is not). A location that cannot be read at all is
 * a {@link CrateReadError} that names it (`sec.offline.missing`).
 */
export async function readCrate(location: string, options?: ReadCrateOptions): Promise<CrateContents> {
  const info = await stat(location).catch((error: NodeJS.ErrnoException) => {
    throw new CrateReadError(`${location}: cannot read the crate (${error.code ?? error.message})`)
  })
  if (info.isDirectory()) return readSourceFolder(location, options)
  const handle = await open(location).catch((error: NodeJS.ErrnoException) => {
    throw new CrateReadError(`${location}: cannot read the crate (${error.code ?? error.message})`)
  })
  try {
    return await readCrateArchive(handle.createReadStream(), location, options)
  } finally {
    await handle.close().catch(() => undefined)
  }
}
