import { spawn } from 'node:child_process'
import path from 'node:path'

const repository = path.resolve(import.meta.dirname ?? '.', '../../..')

/**
 * Run the TypeScript file `script` (relative to the repository) with `args` in a child process, wait
 * until it prints `signal` (the point it stops at, half-way through its work), kill it with SIGKILL
 * and give the signal it died of. Rejects when the child ends before it gets there.
 */
export async function killMidway(script: string, args: readonly string[], signal: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repository, script), ...args], { cwd: repository, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, died) => resolve(died)))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk
      if (stdout.includes(signal)) resolve()
    })
    child.on('exit', () => reject(new Error(`the child ended before it printed \`${signal}\`: ${stdout}${stderr}`)))
  })
  child.kill('SIGKILL')
  return exited
}
