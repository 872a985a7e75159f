import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createPool } from '../../../server/db/postgres/pool.ts'
import { newSchemaName, pgUrl } from '../../helpers/pg.ts'

// `npm run cluster` end to end: two nodes on the test PostgreSQL (a new tenant schema), the proxy in front, then
// SIGTERM, after which no node and no proxy may be left.

const root = new URL('../../..', import.meta.url).pathname
const tenant = newSchemaName('cluster')
const dataDir = mkdtempSync(join(tmpdir(), 'onescreen-cluster-'))
let script: ChildProcess | null = null

afterAll(async () => {
  if (script && script.exitCode === null)
    script.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
  const pool = createPool({ url: pgUrl(), schema: 'public', max: 1 })
  await pool.query(`DROP SCHEMA IF EXISTS ${tenant} CASCADE`).finally(() => pool.end())
})

interface Started { proxy: string, nodes: { url: string, pid: number }[], output: () => string, exited: Promise<number | null> }

async function startCluster(): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/cluster.ts'), '--nodes', '2', '--port', '0', '--node-port', '0'], {
    cwd: root,
    env: {
      ...process.env,
      ONESCREEN_DATABASE_URL: pgUrl(),
      ONESCREEN_TENANT: tenant,
      ONESCREEN_STATIC_DIR: '',
      ONESCREEN_SIMULATE: '0',
      ONESCREEN_DATA_DIR: dataDir,
      ONESCREEN_LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  script = child
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d))
  child.stderr!.on('data', (d: Buffer) => (output += d))
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cluster did not start in 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', () => {
      if (output.includes('stops everything')) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(code => reject(new Error(`the cluster script exited with ${code}:\n${output}`)))
  })
  const proxy = /OneScreen cluster on (http:\/\/\S+)/.exec(output)![1]!
  const nodes = [...output.matchAll(/node \d+ {2}(http:\/\/\S+) {2}pid (\d+)/g)].map(m => ({ url: m[1]!, pid: Number(m[2]) }))
  return { proxy, nodes, output: () => output, exited }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch {
    return false
  }
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname)
    s.on('connect', () => {
      s.destroy()
      resolve(false)
    })
    s.on('error', () => resolve(true))
  })
}

describe('npm run cluster', () => {
  it('starts two nodes on PostgreSQL behind the proxy and stops them all', async () => {
    const cluster = await startCluster()
    expect(cluster.nodes, `two nodes listed:\n${cluster.output()}`).toHaveLength(2)

    const ready = await fetch(`${cluster.proxy}/api/health/ready`)
    expect(ready.status, 'ready through the proxy').toBe(200)
    expect(ready.headers.getSetCookie().join(), 'the proxy gave a node').toMatch(/onescreen_node=[12];/)
    for (const node of cluster.nodes) {
      const health = await (await fetch(`${node.url}/api/health`)).json() as { store: string, demo: boolean }
      expect(health, node.url).toMatchObject({ store: 'postgres', demo: true })
    }

    script!.kill('SIGTERM')
    expect(await cluster.exited, `the script's exit code:\n${cluster.output()}`).toBe(0)
    expect(cluster.nodes.filter(n => alive(n.pid)), 'no node process is left').toEqual([])
    expect(await refused(cluster.proxy), 'the proxy is closed').toBe(true)
  })
})
