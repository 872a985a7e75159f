// `npm start`: builds the client when it is missing or older than its sources, then runs the server
// (TypeScript through tsx's loader, so there is no separate server build to forget).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const built = join(root, 'dist', 'index.html')

function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const sources = Math.max(newest(join(root, 'client')), newest(join(root, 'shared')))
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Building the client (vite build)…')
  const res = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: root, stdio: 'inherit' })
  if (res.status !== 0)
    process.exit(res.status ?? 1)
}

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/index.ts')], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => server.kill(sig))
server.on('exit', code => process.exit(code ?? 0))
