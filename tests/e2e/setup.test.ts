import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from '../helpers/server.ts'
import { mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildJialingPackage } from '../../scripts/make-jialing.ts'
import { buildCuntanPackage } from '../../server/territory/cuntan/package.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { editSheet, folder } from '../server/setup/helpers.ts'
import { ensureClientBuilt } from './client-build.ts'
import { phone } from './phone-helpers.ts'

const SOON = { timeout: 15_000 }
const LONG = 90_000
const SHOTS = '/tmp/setup-shots'
const PASSWORD = 'jialing-admin-2026'
const JIALING = path.join(import.meta.dirname, '../fixtures/packages/jialing')

// A subdistrict that is not Cuntan: an install started with ONESCREEN_DEMO=0, set up through the screens from the
// Jialing package's files alone; a later change reaches an open wall and an open phone without a reload.
describe('setting up a subdistrict from its files', () => {
  let server: RunningServer
  let browser: Browser
  let admin: BrowserContext
  let page: Page
  const pkg = buildJialingPackage()
  const title = pkg.reference.territory.subdistrict.wallTitle || `${pkg.reference.territory.subdistrict.name}基层治理指挥中心`

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    await ensureClientBuilt()
    server = await startServer({ env: { ONESCREEN_DEMO: '0', ONESCREEN_ADMIN_PASSWORD: PASSWORD } })
    browser = await launchBrowser()
    admin = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    page = await admin.newPage()
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('tells a wall nobody has signed in what to do, rather than that the connection is lost', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const wall = await context.newPage()
    await wall.goto(`${server.url}/`)
    await wall.getByTestId('signin-banner').waitFor(SOON)
    await wall.waitForTimeout(2000)
    expect({ signIn: await wall.getByTestId('signin-banner').textContent(), lost: await wall.getByTestId('feed-banner').count() }).toEqual({ signIn: expect.stringContaining('大屏未登录'), lost: 0 })
    await context.close()
  }, LONG)

  it('imports Jialing on the setup page of an empty install, and the wall shows its title and grids, no Cuntan', async () => {
    await page.goto(`${server.url}/admin`)
    await page.locator('input[name="username"]').fill('admin')
    await page.locator('input[name="password"]').fill(PASSWORD)
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('setup-empty').waitFor(SOON)
    await page.getByTestId('template-file').nth(6).waitFor(SOON)
    const offered = (await page.getByTestId('template-file').allTextContents()).map(t => t.replace(/\s*\(.*\)$/, ''))
    expect(offered.sort(), 'the template: Cuntan\'s files, its sensor stations among them').toEqual(['communities.geojson', 'facilities.geojson', 'grids.geojson', 'plans.json', 'scoring.json', 'sensors.json', 'subdistrict.xlsx'])

    await page.getByTestId('package-files').setInputFiles(readdirSync(JIALING).map(f => path.join(JIALING, f)))
    await page.getByTestId('package-check').click()
    await page.getByTestId('package-diff').waitFor(SOON)
    expect(await page.locator('[data-section="grids"] td').nth(1).textContent()).toBe(String(pkg.reference.territory.grids.length))
    await page.screenshot({ path: `${SHOTS}/setup-dry-run.png`, fullPage: true })
    await page.getByTestId('package-apply').click()
    await page.getByTestId('package-applied').waitFor(SOON)
    // The console reloads the territory when the new version is announced; the admin stays where they are.
    await page.locator('.adm-header__title', { hasText: title }).waitFor(SOON)
    expect({ section: new URL(page.url()).searchParams.get('s'), applied: await page.getByTestId('package-applied').isVisible() }).toEqual({ section: 'setup', applied: true })
    await page.screenshot({ path: `${SHOTS}/setup-applied.png`, fullPage: true })

    const wall = await admin.newPage()
    await wall.setViewportSize({ width: 1920, height: 1080 })
    await wall.goto(`${server.url}/`)
    await wall.locator('.wall-header__title', { hasText: title }).waitFor(SOON)
    // The map fits the new territory and draws its grids.
    await wall.waitForFunction(() => {
      const h = (globalThis as unknown as { __onescreen?: { mapIdle: () => boolean, renderedFeatureCount: (l: string) => number } }).__onescreen
      return !!h && h.mapIdle() && h.renderedFeatureCount('grids-fill') > 0
    }, undefined, { timeout: 30_000 })
    await wall.screenshot({ path: `${SHOTS}/wall-jialing.png` })
    const text = (await wall.locator('body').textContent()) ?? ''
    const cuntan = buildCuntanPackage()
    const names = ['寸滩', ...cuntan.reference.territory.communities.map(c => c.name), ...cuntan.categories.map(c => c.name)]
    expect(names.filter(n => text.includes(n))).toEqual([])
    await wall.close()
  }, LONG)

  it('puts a change in force on an open wall and an open phone without a reload', async () => {
    const wall = await admin.newPage()
    await wall.setViewportSize({ width: 1920, height: 1080 })
    await wall.goto(`${server.url}/`)
    await wall.locator('.wall-header__title', { hasText: title }).waitFor(SOON)

    const worker = pkg.reference.org.people.find(p => p.roles.includes('grid_worker'))!
    const enrolled = await admin.request.post(`${server.url}/api/enrolments`, { data: { personId: worker.id }, headers: { 'x-csrf-token': await csrf(admin, server.url) } })
    expect(enrolled.status()).toBe(201)
    const handset = await phone(browser)
    expect((await handset.context.request.post(`${server.url}/api/auth/device`, { data: { token: (await enrolled.json()).token } })).status()).toBe(200)
    await handset.page.goto(`${server.url}/field`)
    const category = pkg.categories[0]!
    await handset.page.locator(`[data-testid="category-select"] option[value="${category.code}"]`, { hasText: category.name }).waitFor({ state: 'attached', ...SOON })
    await Promise.all([wall, handset.page].map(p => p.evaluate(() => ((globalThis as unknown as { __kept: boolean }).__kept = true))))

    // The next version renames the wall and a category.
    let files = await editSheet(folder(JIALING), '街道', (ws) => {
      ws.eachRow((row) => {
        if (row.getCell(1).value === '大屏标题')
          row.getCell(2).value = '嘉陵街道智慧治理指挥中心'
      })
    })
    files = await editSheet(files, '事项类别', (ws) => {
      ws.eachRow((row) => {
        if (row.getCell(1).value === category.code)
          row.getCell(2).value = `${category.name}（新）`
      })
    })
    const body = { files: files.map(f => ({ name: f.name, data: f.data.toString('base64') })) }
    const applied = await admin.request.post(`${server.url}/api/setup/apply`, { data: body, headers: { 'x-csrf-token': await csrf(admin, server.url) } })
    expect(applied.status()).toBe(201)

    await wall.locator('.wall-header__title', { hasText: '嘉陵街道智慧治理指挥中心' }).waitFor(SOON)
    await handset.page.locator(`[data-testid="category-select"] option[value="${category.code}"]`, { hasText: `${category.name}（新）` }).waitFor({ state: 'attached', ...SOON })
    const kept = await Promise.all([wall, handset.page].map(p => p.evaluate(() => (globalThis as unknown as { __kept?: boolean }).__kept === true)))
    expect(kept).toEqual([true, true])
    await handset.page.screenshot({ path: `${SHOTS}/phone-jialing.png` })
    await handset.context.close()
    await wall.close()
  }, LONG)
})

/** The CSRF token of the context's session. */
async function csrf(context: BrowserContext, url: string): Promise<string> {
  return (await (await context.request.get(`${url}/api/auth/me`)).json()).csrf as string
}
