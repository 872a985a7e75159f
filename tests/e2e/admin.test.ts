import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from '../helpers/server.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'

const SOON = { timeout: 15_000 }
const LONG = 60_000
const SHOTS = '/tmp/admin-shots'

// One server, one browser: the admin works through the console in order.
describe('the admin console', () => {
  let server: RunningServer
  let browser: Browser
  let admin: BrowserContext
  let page: Page
  const username = 'lanxi.worker'

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    await ensureClientBuilt()
    server = await startServer()
    browser = await launchBrowser()
    admin = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    page = await admin.newPage()
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  const section = async (id: string) => {
    await page.getByTestId(`section-${id}`).click()
    await page.getByTestId(`admin-${id}`).waitFor(SOON)
  }

  it('signs the admin in at /admin and creates an account for a person, who then signs in', async () => {
    await page.goto(`${server.url}/admin`)
    await page.locator('input[name="username"]').fill('admin')
    await page.locator('input[name="password"]').fill(demoPassword('admin'))
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('admin-nav').waitFor(SOON)
    expect(new URL(page.url()).pathname).toBe('/admin')
    await page.locator('[data-username="admin"]').waitFor(SOON)
    await page.screenshot({ path: `${SHOTS}/accounts.png` })

    const ref = await (await authed(`${server.url}/api/reference`, await signIn(server.url, 'admin'))).json() as { org: { people: { id: string, name: string, roles: string[] }[] } }
    const worker = ref.org.people.find(p => p.roles.includes('grid_worker'))!
    await page.getByTestId('account-new').click()
    const form = page.getByTestId('account-form')
    await form.locator('input[name="username"]').fill(username)
    await form.locator('input[name="password"]').fill('Lanxi-grid-2026')
    await form.locator('select[name="personId"]').selectOption(worker.id)
    await form.locator('input[name="role-operator"]').uncheck()
    await form.locator('input[name="role-grid_worker"]').check()
    await page.screenshot({ path: `${SHOTS}/account-form.png` })
    await page.getByTestId('account-save').click()
    await page.locator(`[data-username="${username}"]`).waitFor(SOON)
    await page.locator(`[data-username="${username}"] [data-testid="account-enrol"]`).click()
    await page.getByTestId('admin-qr').waitFor(SOON)
    await page.screenshot({ path: `${SHOTS}/account-enrol.png` })

    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Lanxi-grid-2026' }) })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { principal: { personId: string } }).principal.personId).toBe(worker.id)
  }, LONG)

  it('creates a scoped API key whose token reads but does not report', async () => {
    await section('api-keys')
    const form = page.getByTestId('key-form')
    await form.locator('input[name="name"]').fill('区城运中心只读')
    await form.locator('input[name="scope-incidents:report"]').uncheck()
    await form.locator('input[name="scope-incidents:read"]').check()
    await form.locator('input[name="scope-changes:read"]').check()
    await page.getByTestId('key-create').click()
    const token = (await page.getByTestId('admin-token').textContent())!.trim()
    await page.locator('[data-name="区城运中心只读"]').waitFor(SOON)
    await page.screenshot({ path: `${SHOTS}/api-keys.png` })
    const key = { authorization: `Bearer ${token}` }
    expect((await fetch(`${server.url}/api/changes?since=0`, { headers: key })).status).toBe(200)
    const report = await fetch(`${server.url}/api/incidents`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: '{}' })
    expect(report.status).toBe(403)
  }, LONG)

  it('filters the audit trail and shows the rows; every section opens', async () => {
    await section('share-links')
    await page.getByTestId('share-create').click()
    await page.getByTestId('admin-qr').waitFor(SOON)
    await page.screenshot({ path: `${SHOTS}/share-links.png` })
    await section('devices')
    await page.locator('[data-testid="device-form"] input[name="name"]').fill('指挥大厅副屏')
    await page.getByTestId('device-create').click()
    await page.getByTestId('admin-qr').waitFor(SOON)
    await page.screenshot({ path: `${SHOTS}/devices.png` })

    await section('audit')
    await page.locator('[data-testid="audit-filters"] input[name="action"]').fill('account:create')
    await page.getByTestId('audit-search').click()
    await page.locator(`[data-testid="audit-table"] tr[data-action="account:create"]`).first().waitFor(SOON)
    await expect.poll(() => page.locator('[data-testid="audit-table"] tbody tr').evaluateAll(rows => rows.map(r => r.getAttribute('data-action'))), SOON).toEqual(['account:create'])
    expect(await page.getByTestId('audit-table').textContent()).toContain(username)
    await page.screenshot({ path: `${SHOTS}/audit.png` })
  }, LONG)
})
