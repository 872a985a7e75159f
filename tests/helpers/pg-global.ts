import type { TestProject } from 'vitest/node'
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { freePort } from '../../scripts/free-port.ts'
import './pg.ts'

// The PostgreSQL the tests use: ONESCREEN_TEST_PG_URL when set (CI may start one of its own), else a throwaway
// cluster started here with scripts/pg-local.sh on a free port and stopped after the run. Every project of the run
// (vitest.config.ts) calls this in the one main process: they share one cluster, stopped when the last is done.

let started: Promise<{ dir: string, url: string }> | null = null
let users = 0

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.ONESCREEN_TEST_PG_URL
  if (given) {
    project.provide('pgUrl', given)
    return () => {}
  }
  const script = resolve(import.meta.dirname, '../../scripts/pg-local.sh')
  started ??= (async () => {
    // Without fsync: a test's database never outlives the machine, and commits cost a third (the benches keep it on).
    const out = execFileSync('bash', [script, String(await freePort())], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PG_FSYNC: 'off' } }).trim().split('\n')
    const [dir, url] = out.slice(-2) as [string, string]
    return { dir, url }
  })()
  users++
  const { dir, url } = await started
  project.provide('pgUrl', url)
  return () => {
    if (--users > 0)
      return
    started = null
    execFileSync('bash', [script, 'stop', dir], { stdio: 'ignore' })
  }
}
