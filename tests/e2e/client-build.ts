import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../..', import.meta.url).pathname

function newestMtime(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory())
    return st.mtimeMs
  let newest = st.mtimeMs
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/**
 * Browser tests run against the client the server serves from dist/. Rebuild it when it is missing
 * or older than anything it is built from, so a test never passes against yesterday's client.
 */
export async function ensureClientBuilt(): Promise<void> {
  // Test files run in parallel workers: one builds, the others wait for it. A crashed build's lock goes stale
  // after ten minutes: a build slowed by a loaded machine must never be taken for a crashed one, or a second
  // build would rewrite dist/ under the servers of the files already running.
  const lock = join(root, 'node_modules/.onescreen-build.lock')
  const deadline = Date.now() + 900_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    }
    catch {
      const held = statSync(lock, { throwIfNoEntry: false })
      if (held && Date.now() - held.mtimeMs > 600_000)
        rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline)
        throw new Error('timed out waiting for another client build')
      await new Promise(r => setTimeout(r, 500))
    }
  }
  try {
    if (!isFresh())
      // The production build, whoever asks: Vitest sets NODE_ENV=test, which would give Vue's and vue-i18n's
      // development builds (+60 KiB to /m) to the browser tests and to a benchmark that reuses this dist/.
      execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  }
  finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function isFresh(): boolean {
  const index = join(root, 'dist/index.html')
  const inputs = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map(p => join(root, p))
  const built = existsSync(index) ? statSync(index).mtimeMs : 0
  return built > Math.max(...inputs.map(newestMtime))
}
