import { main } from '../../../tools/security/cli/index.ts'

/** Run `cratesec` with `argv` in this process: its exit status and everything it printed. */
export async function runCratesec(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const status = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) })
  return { status, stdout, stderr }
}
