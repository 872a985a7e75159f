import type { AppContext } from '../../../server/context.ts'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../server/app.ts'
import { ensureAccounts } from '../../../server/auth/accounts.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { runDrill } from '../../../server/drill/run.ts'
import { loadCuntanPackage } from '../../../server/setup/packages.ts'
import { startWartimeClock } from '../../../server/wartime/clock.ts'
import { testConfig } from '../../helpers/app.ts'

// The drill against a real install (demo off): its own accounts, a chosen plan and group, declared as an exercise.

const ADMIN = { username: 'admin', password: 'a-long-admin-password-2026' }
const COMMANDER = { username: 'zhang.cmd', password: 'zhang-commander-2026' }
const store = createSqliteStore({ file: ':memory:' })
const out = mkdtempSync(join(tmpdir(), 'onescreen-real-drill-'))
let ctx: AppContext
let app: Awaited<ReturnType<typeof buildApp>>['app']
let url: string
let stopClock: () => void
let community: { id: string, name: string }

beforeAll(async () => {
  ctx = await createContext(testConfig({ demo: false, loginAttemptsPerMinute: 500 }), { store })
  await ensureAccounts(ctx, { ONESCREEN_ADMIN_PASSWORD: ADMIN.password })
  await ctx.setup.seed(await loadCuntanPackage(), 'imported by the admin')
  await ctx.auth.createAccount({ ...COMMANDER, name: '张指挥', roles: ['commander'] })
  community = ctx.reference.territory.communities[0]!
  ;({ app } = await buildApp(ctx))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  stopClock = startWartimeClock(ctx, 250)
})
afterAll(async () => {
  stopClock()
  await app.close()
  ctx.presence.close()
  await store.close()
  rmSync(out, { recursive: true, force: true })
})

describe('the drill on a real install', () => {
  it('is started from the wall with a plan and a group, and by the commander only', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: ADMIN })
    const headers = { 'cookie': `os_sid=${login.cookies.find(c => c.name === 'os_sid')!.value}`, 'x-csrf-token': login.json().csrf }
    expect((await app.inject({ method: 'POST', url: '/api/drill', headers, payload: { planId: 'rainstorm-red' } })).json()).toMatchObject({ field: 'group' })
    expect((await app.inject({ method: 'POST', url: '/api/drill', headers, payload: { planId: 'rainstorm-red', group: community.id } })).statusCode).toBe(403)
  })

  it('runs the chosen plan for the chosen community only, as an exercise, with simulated phones', async () => {
    const report = await runDrill({ url, login: { commander: COMMANDER, admin: ADMIN }, planId: 'rainstorm-red', group: community.id, responders: 5, speed: 600, seed: 'real', silentShare: 0, lateShare: 0, out: null })
    expect(report.errors).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.warning).toBeNull()
    expect(report.group).toEqual({ id: community.id, name: community.name, kind: 'community' })
    const tasks = await ctx.wartime.tasks(report.operationId!)
    expect(tasks).toHaveLength(5)
    const communityOf = new Map(ctx.reference.territory.grids.map(g => [g.id, g.communityId]))
    expect(tasks.filter(t => communityOf.get(t.gridId!) !== community.id).map(t => t.assigneeName), 'tasks outside the group').toEqual([])
    const op = await store.getEntity('operation', report.operationId!)
    expect(op).toMatchObject({ exercise: true, active: false })
    // Kept for the exercise's report, offered no more.
    expect((await ctx.wartime.plans()).map(p => p.id)).not.toContain('rainstorm-red-drill')
    const kept = await store.afterAction.get(report.operationId!)
    expect(kept?.report.figures).toMatchObject({ tasks: 5, acknowledged: 5 })
  }, 60_000)

  it('with the group\'s own phones, waits for them and saves the server\'s after-action report', async () => {
    const report = await runDrill({ url, login: { commander: COMMANDER }, planId: 'landslide', group: community.id, responders: 3, out, capMs: 1500 })
    expect(report.endedBy).toBe('time-cap')
    expect(report.rows.map(r => r.temper)).toEqual(['person', 'person', 'person'])
    expect(report.files).not.toBeNull()
    expect(existsSync(report.files!.xlsx)).toBe(true)
    const html = readFileSync(report.files!.html, 'utf8')
    expect(html).toContain('演练 EXERCISE')
    expect(html).toContain('3 人始终未确认')
  }, 30_000)
})
