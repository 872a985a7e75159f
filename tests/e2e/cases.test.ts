import type { Browser, Page } from 'playwright-core'
import type { RunningServer } from '../helpers/server.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'

const SOON = { timeout: 20_000 }

// The admin brings a historical case in through the console: the template, a check, the import.
describe('the case import section', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    await ensureClientBuilt()
    server = await startServer({ port: 3841 })
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage()
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('checks the template, then imports its example case', async () => {
    const template = Buffer.from(await (await authed(`${server.url}/api/cases/template.xlsx`, await signIn(server.url, 'admin'))).arrayBuffer())
    await page.goto(`${server.url}/admin`)
    await page.locator('input[name="username"]').fill('admin')
    await page.locator('input[name="password"]').fill(demoPassword('admin'))
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('section-cases').click()
    await page.getByTestId('admin-cases').waitFor(SOON)
    await page.getByTestId('cases-file').setInputFiles({ name: 'template.xlsx', mimeType: 'application/octet-stream', buffer: template })
    await page.getByTestId('cases-check').click()
    await expect.poll(() => page.getByTestId('cases-result').textContent(), SOON).toContain('可导入 1 件')
    await page.getByTestId('cases-import').click()
    await expect.poll(() => page.getByTestId('cases-result').textContent(), SOON).toContain('导入完成')
    await page.screenshot({ path: '/tmp/cases-import.png' })
  }, 120_000)

  it('offers the desk\'s tab and filters as an export', async () => {
    const desk = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage()
    await desk.goto(`${server.url}/desk`)
    await desk.locator('input[name="username"]').fill('operator')
    await desk.locator('input[name="password"]').fill(demoPassword('operator'))
    await desk.getByTestId('sign-in-submit').click()
    await desk.getByTestId('desk-queue').waitFor(SOON)
    await desk.getByTestId('tab-all').click()
    await desk.getByTestId('filter-channel').selectOption('hotline_12345')
    await desk.getByTestId('desk-export').locator('summary').click()
    const href = await desk.getByTestId('desk-export-xlsx').getAttribute('href')
    expect(href).toBe('/api/cases/export?format=xlsx&tab=all&channel=hotline_12345')
    const res = await desk.request.get(`${server.url}${href}`)
    expect(res.status()).toBe(200)
    // Every page of what the queue lists with the same tab and filters.
    const queue = await (await desk.request.get(`${server.url}/api/desk/queue?${new URL(href!, server.url).searchParams.toString().replace('format=xlsx&', '')}`)).json() as { total: number }
    expect(Number(res.headers()['x-total-count'])).toBe(queue.total)
    expect(queue.total, 'the case imported above').toBe(1)
    await desk.screenshot({ path: '/tmp/desk-export.png' })
  }, 120_000)
})
