import type { Browser, Page } from 'playwright-core'
import type { RunningServer } from '../helpers/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { startReceiver, waitFor } from '../server/webhooks/receiver.ts'
import { ensureClientBuilt } from './client-build.ts'

const SOON = { timeout: 15_000 }

// The console's webhooks section: the admin registers a key's callback, keeps the secret shown once, and reads
// the delivery of the key's next report in the log.
describe('the webhooks console', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let secret: string | null = null
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  beforeAll(async () => {
    await ensureClientBuilt()
    server = await startServer({ env: { ONESCREEN_WEBHOOK_EVERY_MS: '200' } })
    receiver = await startReceiver(() => secret)
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage()
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await receiver?.close()
  })

  it('registers a callback and shows the delivery in the log', async () => {
    const admin = await signIn(server.url, 'admin')
    const made = await (await authed(`${server.url}/api/api-keys`, admin, { body: { name: '12345 热线平台', scopes: ['incidents:report'] } })).json() as { id: string, token: string }

    await page.goto(`${server.url}/admin`)
    await page.locator('input[name="username"]').fill('admin')
    await page.locator('input[name="password"]').fill(demoPassword('admin'))
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('section-webhooks').click()
    const form = page.getByTestId('webhook-form')
    await form.locator('select[name="keyId"]').selectOption(made.id)
    await form.locator('input[name="url"]').fill(receiver.url())
    await page.getByTestId('webhook-save').click()
    secret = (await page.getByTestId('webhook-secret').locator('code').textContent())!.trim()
    expect(secret).toMatch(/^whsec_/)
    await page.locator(`[data-key="${made.id}"]`).waitFor(SOON)

    const ref = await (await authed(`${server.url}/api/territory`, admin)).json() as { subdistrict: { center: { lon: number, lat: number } } }
    const cat = await (await authed(`${server.url}/api/catalog`, admin)).json() as { categories: { code: string }[] }
    const rep = await fetch(`${server.url}/api/incidents`, { method: 'POST', headers: { 'authorization': `Bearer ${made.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ category: cat.categories[0]!.code, description: '热线来电：路灯不亮', location: ref.subdistrict.center }) })
    const id = ((await rep.json()) as { id: string }).id
    await waitFor('the report at the receiver', () => receiver.received.some(r => r.event.incident.id === id && r.signed))

    await page.locator(`[data-key="${made.id}"]`).getByRole('button', { name: '投递记录' }).click()
    const log = page.getByTestId('webhook-log')
    await log.locator('[data-delivered="true"]').first().waitFor(SOON)
    expect(await log.textContent()).toContain(id)
    await page.screenshot({ path: '/tmp/admin-webhooks.png' })
  }, 120_000)
})
