import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RunningServer {
  url: string
  dataDir: string
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop: () => Promise<void>
  /** SIGKILL: the process dies with no chance to flush anything. */
  kill: () => Promise<void>
  process: ChildProcess
  /** What the server printed (stdout and stderr) until it was listening. */
  startupOutput: string
}

const root = new URL('../..', import.meta.url).pathname

/**
 * Starts the real server as a child process on a free port with its own data directory.
 * Pass the same `dataDir` again to restart on the same store.
 */
export async function startServer(opts: { dataDir?: string, env?: Record<string, string>, port?: number } = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'onescreen-test-'))
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/index.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(opts.port ?? 0),
      HOST: '127.0.0.1',
      ONESCREEN_DATA_DIR: dataDir,
      ONESCREEN_DEMO: '1',
      ONESCREEN_SIMULATE: '0',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', (d: Buffer) => {
      output += d
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!.replace('localhost', '127.0.0.1'))
      }
    })
    child.stderr!.on('data', (d: Buffer) => (output += d))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening:\n${output}`))
    })
  })
  const exited = new Promise<void>(resolve => child.on('exit', () => resolve()))
  return {
    url,
    dataDir,
    process: child,
    startupOutput: output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGTERM')
      await exited
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL')
      await exited
    },
  }
}
