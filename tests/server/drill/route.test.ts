import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../server/app.ts'
import { ensureAccounts } from '../../../server/auth/accounts.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { startWartimeClock } from '../../../server/wartime/clock.ts'
import { buildTestApp, testConfig } from '../../helpers/app.ts'

let t: TestApp
let stopClock: () => void
beforeAll(async () => {
  t = await buildTestApp()
  stopClock = startWartimeClock(t.ctx, 250)
  await t.listen()
})
afterAll(async () => {
  stopClock()
  await t.close()
})

const post = async (as: string, payload?: object) => t.app.inject({ method: 'POST', url: '/api/drill', headers: await t.as(as), payload: payload ?? {} })
const status = async () => (await t.app.inject({ method: 'GET', url: '/api/drill', headers: await t.as('leader') })).json()

describe('starting the drill from the wall', () => {
  it('refuses roles without drill:start, and refuses while wartime is declared', async () => {
    expect((await post('leader')).statusCode).toBe(403)
    expect((await post('grid_worker')).statusCode).toBe(403)
    await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '真实预警' } })
    const res = await post('operator')
    expect(res.statusCode).toBe(409)
    expect(res.json().message).toMatch(/wartime/)
    await t.app.inject({ method: 'POST', url: '/api/wartime/end', headers: await t.as('commander'), payload: { reason: '解除' } })
    expect((await status()).state).toBe('idle')
  })

  it('runs one drill at a time in the background and keeps its summary and report', async () => {
    const res = await post('operator', { responders: 6, speed: 600, seed: 'wall' })
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ state: 'running', startedBy: expect.any(String) })
    expect((await post('commander')).statusCode).toBe(409)
    const start = Date.now()
    while ((await status()).state === 'running' && Date.now() - start < 30_000)
      await new Promise(r => setTimeout(r, 200))
    const done = await status()
    expect(done, done.error ?? '').toMatchObject({ state: 'done', ok: true, report: true })
    expect(done.figures).toMatchObject({ tasks: 6, delivered: 6, lost: [] })
    expect(done.summary.join('\n')).toMatch(/无任务遗漏/)
    expect(await t.ctx.wartime.active()).toBeNull()
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/drill/report.xlsx', headers: await t.as('leader') })
    expect(xlsx.statusCode).toBe(200)
    expect(xlsx.headers['content-disposition']).toMatch(/attachment; filename="drill-\d+\.xlsx"/)
  }, 40_000)
})

describe('outside the demo', () => {
  it('has no drill', async () => {
    const store = createSqliteStore({ file: ':memory:' })
    const ctx = await createContext(testConfig({ demo: false }), { store })
    await ensureAccounts(ctx, { ONESCREEN_ADMIN_PASSWORD: 'a-long-admin-password-2026' })
    const { app } = await buildApp(ctx)
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'a-long-admin-password-2026' } })
      const cookie = `os_sid=${login.cookies.find(c => c.name === 'os_sid')!.value}`
      const res = await app.inject({ method: 'POST', url: '/api/drill', headers: { cookie, 'x-csrf-token': login.json().csrf }, payload: {} })
      expect(res.statusCode).toBe(404)
    }
    finally {
      await app.close()
      ctx.presence.close()
      await store.close()
    }
  })
})
