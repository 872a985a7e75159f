// `npm start`: builds the client when it is missing or older than its sources, then runs the server
// (TypeScript through tsx's loader, so there is no separate server build to forget).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
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

// better-sqlite3 12 is the line that runs on Node 20; on Node 24 it aborts when V8 collects a statement.
const nodeMajor = Number(process.versions.node.split('.')[0])
const sqliteMajor = Number(JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version.split('.')[0])
if (nodeMajor >= 24 && sqliteMajor < 13) {
  console.error('Node 24 needs better-sqlite3 13: run `npm install --no-save better-sqlite3@13` once, then `npm start`.')
  process.exit(1)
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
