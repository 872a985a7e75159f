import type { AppContext } from '../../../server/context.ts'
import type { TestSmsc } from '../../../server/notify/test-smsc.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../server/app.ts'
import { ensureAccounts } from '../../../server/auth/accounts.ts'
import { configFromEnv } from '../../../server/config.ts'
import { createContext } from '../../../server/context.ts'
import { createSqliteStore } from '../../../server/db/sqlite/store.ts'
import { runDrill } from '../../../server/drill/run.ts'
import { startNotifyClock } from '../../../server/notify/clock.ts'
import { startTestSmsc } from '../../../server/notify/test-smsc.ts'
import { testConfig } from '../../helpers/app.ts'

// The drill with "offline" responders: their phones never connect, the ladder's SMS on the loopback SMSC reach
// them, and their handsets answer by the link or a reply "1". A small run: 8 responders, half offline.

let smsc: TestSmsc
let ctx: AppContext
let url: string
let stop: () => Promise<void>

beforeAll(async () => {
  smsc = await startTestSmsc()
  const store = createSqliteStore({ file: ':memory:' })
  ctx = await createContext(testConfig({ loginAttemptsPerMinute: 500, notify: { ...configFromEnv({}).notify, sms: smsc.url } }), { store })
  await ensureAccounts(ctx)
  const { app } = await buildApp(ctx)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  ctx.notify.setPublicUrl(url)
  const stopClock = startNotifyClock(ctx, 100)
  stop = async () => {
    stopClock()
    await ctx.notify.close()
    await app.close()
    ctx.presence.close()
    await store.close()
  }
})
afterAll(async () => {
  await stop()
  await smsc.close()
})

describe('the drill with offline responders', () => {
  it('reaches them by SMS only, and every one answers by the link or a reply', async () => {
    const report = await runDrill({ url, responders: 8, speed: 300, seed: 'offline', silentShare: 0, lateShare: 0, out: null, offline: { smsc, share: 0.5 } })
    expect(report.errors).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.reach).toMatchObject({ offline: 4, sms: 4, app: 4, push: 0, none: 0 })
    expect(report.reach!.links + report.reach!.replies).toBe(4)
    expect(report.reach!.links).toBeGreaterThan(0)
    expect(report.reach!.replies).toBeGreaterThan(0)
    expect(report.reach!.offlineAckedMs).not.toBeNull()
    expect(report.figures.lost).toEqual([])
    expect(report.rows.filter(r => r.serverAckAt === null).map(r => r.name)).toEqual([])
  }, 60_000)
})
