import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { PageWatch } from '../helpers/browser.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { GridFeature } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'
import { counter, freePort, hooks, insideGrid, report } from './wall-helpers.ts'

const SHOTS = 'artifacts/screenshots'

describe('the wall', () => {
  let server: RunningServer
  let port: number
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let watch: PageWatch
  let grids: GridFeature[]
  let category: string

  beforeAll(async () => {
    await ensureClientBuilt()
    port = await freePort()
    server = await startServer({ port })
    const territory = await (await authed(`${server.url}/api/territory`, await signIn(server.url, 'operator'))).json() as { grids: { features: GridFeature[] } }
    grids = territory.grids.features
    category = 'garbage'
    // A few reports spread over the grids, so the wall has something to show.
    for (const [n, grid] of grids.slice(0, 8).entries())
      await report(server, { category, description: `测试上报 ${n + 1}`, location: insideGrid(grid) })

    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    watch = await watchPage(context)
    page = await context.newPage()
    await page.goto(`${server.url}/`)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('connects, draws the grids and incidents, and fills the panels', async () => {
    await page.getByTestId('connection-state').and(page.locator('[data-state="connected"]')).waitFor({ timeout: 20_000 })
    await hooks(page).mapReady()
    await page.waitForFunction(() => (globalThis as unknown as { __onescreen: { renderedFeatureCount: (l: string) => number } }).__onescreen.renderedFeatureCount('incidents-circle') + (globalThis as unknown as { __onescreen: { renderedFeatureCount: (l: string) => number } }).__onescreen.renderedFeatureCount('incidents-cluster') > 0)
    expect(await counter(page, 'counter-open')).toBeGreaterThanOrEqual(8)
    expect(await counter(page, 'counter-today')).toBeGreaterThanOrEqual(8)
    await expect.poll(() => page.getByTestId('clock').textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/)
    // Figures from /api/stats, the headline comparison, and the honest ranking placeholder.
    await expect.poll(() => page.getByTestId('closure-rate').textContent(), { timeout: 10_000 }).toMatch(/\d+(\.\d)?%|—/)
    await expect.poll(() => page.getByTestId('forces').textContent(), { timeout: 10_000 }).toContain('志愿者')
    expect(await page.getByTestId('ranking').textContent()).toContain('本月评比数据待生成')
    expect(await page.getByTestId('mode').textContent()).toContain('平时')
  })

  it('shows a new report in the counters and the feed within a second', async () => {
    const today = await counter(page, 'counter-today')
    const text = `井盖缺失，行人有跌落风险 ${Date.now()}`
    await report(server, { category: 'missing_manhole', description: text, location: insideGrid(grids.at(-1)!) })
    const shown = Date.now()
    await page.getByTestId('feed-desc').filter({ hasText: text }).waitFor({ timeout: 1000 })
    await expect.poll(() => counter(page, 'counter-today'), { timeout: 1000 - (Date.now() - shown), interval: 50 }).toBeGreaterThanOrEqual(today + 1)
  })

  it('switches to English and back', async () => {
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('Command Center')
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('寸滩街道')
  })

  it('says the feed is interrupted when the server stops, and catches up when it is back', async () => {
    const dataDir = server.dataDir
    await server.stop()
    await page.getByTestId('feed-banner').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('feed-banner').textContent()).toContain('连接中断')
    // While the wall is cut off, a report lands through another process on the same store.
    const side = await startServer({ dataDir, port: await freePort() })
    const missed = `断线期间上报 ${Date.now()}`
    await report(side, { category, description: missed, location: insideGrid(grids[3]!) })
    await side.stop()
    server = await startServer({ dataDir, port })
    await page.getByTestId('feed-banner').waitFor({ state: 'detached', timeout: 20_000 })
    await page.getByTestId('feed-desc').filter({ hasText: missed }).waitFor({ timeout: 5000 })
  }, 90_000)

  it('leaves screenshots at 1920×1080 and 3840×2160, with no console error and no foreign request', async () => {
    mkdirSync(SHOTS, { recursive: true })
    await hooks(page).idle()
    await page.screenshot({ path: `${SHOTS}/wall-1920x1080.png` })
    const big = await context.newPage()
    await big.setViewportSize({ width: 3840, height: 2160 })
    await big.goto(`${server.url}/`)
    await big.getByTestId('connection-state').and(big.locator('[data-state="connected"]')).waitFor({ timeout: 20_000 })
    await hooks(big).mapReady()
    await expect.poll(() => big.getByTestId('closure-rate').textContent(), { timeout: 10_000 }).toMatch(/%/)
    await big.waitForTimeout(500)
    await big.screenshot({ path: `${SHOTS}/wall-3840x2160.png` })
    expect(await big.getByTestId('stage').getAttribute('data-scale')).toBe('2.000')
    await big.close()
    // The deliberate outage above makes Chromium log the refused reconnection attempts; nothing else may appear.
    expect(watch.errors.filter(e => !/ERR_CONNECTION_REFUSED|502|503/.test(e))).toEqual([])
    expect(watch.foreignRequests).toEqual([])
  }, 60_000)
})
