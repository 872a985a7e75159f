import type { ChildProcess } from 'node:child_process'
import type { StickyProxy } from '../server/ops/sticky-proxy.ts'
// `npm run cluster [-- --nodes N] [--port P] [--node-port B]` (docs/cluster.md): a local cluster to try, N nodes
// (default 3) on one PostgreSQL behind the cookie-sticky proxy on P (default PORT or 3000); the nodes listen on
// B, B+1, … (default 3101; 0 = any free port). Starts a throwaway PostgreSQL unless ONESCREEN_DATABASE_URL names one.
// Ctrl-C (SIGINT) or SIGTERM stops the proxy, the nodes and the PostgreSQL it started.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { startStickyProxy } from '../server/ops/sticky-proxy.ts'
import { freePort } from './free-port.ts'

const root = resolve(import.meta.dirname, '..')
const { values: args } = parseArgs({
  options: {
    'nodes': { type: 'string', default: '3' },
    'port': { type: 'string', default: process.env.PORT ?? '3000' },
    'node-port': { type: 'string', default: '3101' },
  },
})
const count = Number(args.nodes)
const nodePort = Number(args['node-port'])
if (!Number.isInteger(count) || count < 1)
  fail(`--nodes must be a whole number of at least 1, not ${args.nodes}`)

interface Node { n: number, child: ChildProcess, url: string | null, exited: Promise<void> }
const nodes: Node[] = []
let proxy: StickyProxy | null = null
let pgDir: string | null = null
let stopping = false

for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => void stop(0, sig))
// A crash of this script must not leave nodes behind (they run in process groups of their own).
process.on('exit', () => {
  for (const { child } of nodes) {
    if (child.exitCode === null && child.signalCode === null)
      child.kill('SIGKILL')
  }
})

main().catch((e: unknown) => {
  console.error(`集群未能启动 / the cluster did not start: ${e instanceof Error ? e.message : String(e)}`)
  void stop(1)
})

async function main(): Promise<void> {
  const database = process.env.ONESCREEN_DATABASE_URL || await startPostgres()
  const tenant = process.env.ONESCREEN_TENANT || 'cuntan'
  if (process.env.ONESCREEN_STATIC_DIR === undefined)
    buildClient()
  const dataDir = resolve(process.env.ONESCREEN_DATA_DIR ?? join(root, 'data', 'cluster'))
  mkdirSync(dataDir, { recursive: true })
  const port = Number(args.port) || await freePort()
  const publicUrl = `http://localhost:${port}`
  const env = (n: number): NodeJS.ProcessEnv => ({
    ...process.env,
    PORT: String(nodePort ? nodePort + n - 1 : 0),
    HOST: '127.0.0.1',
    ONESCREEN_DATABASE_URL: database,
    ONESCREEN_TENANT: tenant,
    ONESCREEN_DEMO: process.env.ONESCREEN_DEMO ?? '1',
    // Photos and offline maps are files: on one machine the nodes share one directory.
    ONESCREEN_DATA_DIR: dataDir,
    // Client addresses (audit trail, sign-in limits) come from the proxy's X-Forwarded-For.
    ONESCREEN_TRUST_PROXY: process.env.ONESCREEN_TRUST_PROXY ?? '127.0.0.1',
    ONESCREEN_PUBLIC_URL: process.env.ONESCREEN_PUBLIC_URL ?? publicUrl,
    // One simulator per cluster: it writes as if it were many people, so a second one would double the demo.
    ...(n > 1 ? { ONESCREEN_SIMULATE: '0' } : {}),
  })
  // Node 1 first: it migrates the tenant's schema and applies the demo's package; the others find them done.
  await startNode(1, env(1))
  await Promise.all(Array.from({ length: count - 1 }, (_, i) => startNode(i + 2, env(i + 2))))
  if (stopping)
    return
  proxy = await startStickyProxy({ port, host: process.env.HOST ?? '0.0.0.0', targets: nodes.map(n => n.url!) })
  console.log(`\nOneScreen cluster on ${proxy.url} (一屏统揽集群, ${count} nodes, tenant ${tenant})`)
  const simulator = env(1).ONESCREEN_DEMO !== '0' && env(1).ONESCREEN_SIMULATE !== '0'
  for (const n of nodes)
    console.log(`  node ${n.n}  ${n.url}  pid ${n.child.pid}${n.n === 1 && simulator ? '  (the demo\'s simulator)' : ''}`)
  console.log(`  PostgreSQL ${database.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}${pgDir ? ' (started here, removed on stop)' : ''}`)
  console.log('Ctrl-C 停止全部 / stops everything.')
}

async function startNode(n: number, env: NodeJS.ProcessEnv): Promise<void> {
  // A process group of its own: Ctrl-C reaches this script, which stops the nodes in order.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/index.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const node: Node = { n, child, url: null, exited: new Promise(resolve => child.once('exit', () => resolve())) }
  nodes.push(node)
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const m = /listening on (http:\/\/\S+)/.exec(line)
        if (m)
          resolve(m[1]!.replace('localhost', '127.0.0.1'))
        process.stdout.write(`[node ${n}] ${line}\n`)
      })
    }
    child.once('exit', code => reject(new Error(`node ${n} exited with ${code} before it listened`)))
  })
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(`节点 ${n} 已退出 / node ${n} exited (${signal ?? code}); the proxy moves its clients to the others`)
  })
  node.url = await listening
  await ready(node)
}

/** Waits for the node's `/api/health/ready` (the store can commit). */
async function ready(node: Node): Promise<void> {
  for (;;) {
    if (node.child.exitCode !== null || stopping)
      throw new Error(`node ${node.n} stopped before it was ready`)
    const ok = await fetch(`${node.url}/api/health/ready`).then(r => r.ok, () => false)
    if (ok)
      return
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

async function stop(code: number, signal?: string): Promise<void> {
  if (stopping)
    return
  stopping = true
  if (signal)
    console.log(`${signal}: 停止集群 / stopping the cluster`)
  await proxy?.close()
  await Promise.all(nodes.map(async ({ child, exited }) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return
    child.kill('SIGTERM')
    const late = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(late)
  }))
  if (pgDir)
    await run(['stop', pgDir]).catch((e: unknown) => console.error(`PostgreSQL in ${pgDir} did not stop: ${String(e)}`))
  process.exit(code)
}

async function startPostgres(): Promise<string> {
  const out = (await run([String(await freePort())])).trim().split('\n')
  pgDir = out.at(-2)!
  return out.at(-1)!
}

/** scripts/pg-local.sh in a process group of its own, so the server it leaves running misses the terminal's Ctrl-C. */
function run(argv: string[]): Promise<string> {
  const child = spawn('bash', [join(root, 'scripts/pg-local.sh'), ...argv], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d))
  return new Promise((resolve, reject) => child.on('exit', code => code === 0 ? resolve(out) : reject(new Error(`scripts/pg-local.sh ${argv.join(' ')} exited with ${code}`))))
}

/** The built client, as `npm start` does it: built when missing or older than its sources. */
function buildClient(): void {
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true })
    .reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0)
  const built = join(root, 'dist', 'index.html')
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newest(join(root, 'client')), newest(join(root, 'shared'))))
    return
  console.log('Building the client (vite build)…')
  const res = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: root, stdio: 'inherit' })
  if (res.status !== 0)
    throw new Error('the client build failed')
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}
