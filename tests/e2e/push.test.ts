import type { Browser } from 'playwright-core'
import type { TestApp } from '../helpers/app.ts'
import type { PushServiceHandle } from '../helpers/push-service.ts'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testConfig } from '../helpers/app.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startPushService } from '../helpers/push-service.ts'
import { ensureClientBuilt } from './client-build.ts'
import { cookieOf, phone, SHOTS, signInContext } from './phone-helpers.ts'

// A closed page still rings: the server encrypts a task for the loopback push service, and what that service
// decrypted is handed to the phone's real service worker (Chromium's DevTools protocol stands in for the push
// service's connection to the browser, which headless Chromium does not have). The worker shows the task and
// sends the receipt that marks the delivery delivered.

/** What the service worker showed (evaluated in the page). */
interface Shown { title: string, body: string, tag: string, requireInteraction: boolean, actions: string[] }
const SHOWN = `navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n => ({
  title: n.title, body: n.body, tag: n.tag, requireInteraction: n.requireInteraction, actions: (n.actions || []).map(a => a.title),
})))`

let t: TestApp
let url: string
let pushService: PushServiceHandle
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  await ensureClientBuilt()
  t = await buildTestApp({ config: { staticDir: resolve('dist'), push: { ...testConfig().push, allowHttp: true } } })
  url = await t.listen()
  pushService = await startPushService()
  browser = await launchBrowser()
}, 240_000)
afterAll(async () => {
  await browser?.close()
  await t?.close()
  await pushService?.close()
})

describe('task alerts on the phone', () => {
  it('shows a pushed task that stays until touched, with 收到, and confirms it was shown', async () => {
    const p = await phone(browser)
    await p.context.grantPermissions(['notifications'], { origin: url })
    await signInContext(p.context, url, 'grid_worker')
    await p.page.goto(`${url}/field?tab=tasks`)
    const toggle = p.page.getByTestId('push-alerts')
    await expect.poll(() => toggle.getAttribute('data-state'), { timeout: 20_000 }).toBe('off')
    expect(await p.page.getByTestId('push-on').textContent()).toContain('开启任务提醒')
    await p.page.screenshot({ path: `${SHOTS}/phone-push-alerts.png` })
    await p.page.evaluate('navigator.serviceWorker.ready.then(() => true)')

    // The worker's browser, subscribed at the loopback push service (headless Chromium has no push service).
    const me = await (await fetch(`${url}/api/auth/me`, { headers: { cookie: await cookieOf(p.context) } })).json() as { csrf: string, principal: { personId: string } }
    const sub = pushService.subscription()
    const made = await fetch(`${url}/api/push/subscriptions`, { method: 'POST', headers: { 'cookie': await cookieOf(p.context), 'x-csrf-token': me.csrf, 'content-type': 'application/json' }, body: JSON.stringify(sub) })
    expect(made.status).toBe(201)

    const sent = await t.ctx.push.channel.send({ deliveryId: 'e2e-1', personId: me.principal.personId, subject: { kind: 'task', id: 'task-e2e' }, title: '防汛任务：巡查', body: '请到寸滩码头巡查', link: null, ack: true })
    expect(sent.status).toBe('sent')
    const [got] = await pushService.waitFor(1)

    const cdp = await p.context.newCDPSession(p.page)
    const registration = new Promise<string>(done => cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const r = e.registrations.find(x => x.scopeURL === `${url}/` && !x.isDeleted)
      if (r)
        done(r.registrationId)
    }))
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: url, registrationId: await registration, data: JSON.stringify(got!.payload) })

    const shown = () => p.page.evaluate<Shown[]>(SHOWN)
    await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title: '防汛任务：巡查', body: '请到寸滩码头巡查', tag: 'task:task-e2e', requireInteraction: true, actions: ['收到'] }])
    await expect.poll(async () => (await t.ctx.store.channels.send('push', 'e2e-1'))?.state, { timeout: 10_000 }).toBe('delivered')
  }, 60_000)
})
