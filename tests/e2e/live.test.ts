import type { Browser, Page } from 'playwright-core'
import type { PageWatch } from '../helpers/browser.ts'
import type { RunningServer } from '../helpers/server.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchBrowser, watchPage } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'

interface GridFeature { properties: { id: string }, geometry: { type: string, coordinates: number[][][] | number[][][][] } }
interface Hooks {
  seq: () => number | null
  renderedFeatureCount: (layer: string) => number
  mapIdle: () => boolean
}

const SCREENSHOT = 'artifacts/screenshots/live-1920.png'

/** A point safely inside a grid: the mean of its outer ring's vertices (the demo grids are convex). */
function insideGrid(grid: GridFeature): { lon: number, lat: number } {
  const rings = grid.geometry.type === 'Polygon'
    ? grid.geometry.coordinates as number[][][]
    : (grid.geometry.coordinates as number[][][][])[0]!
  const ring = rings[0]!.slice(0, -1)
  return {
    lon: ring.reduce((s, p) => s + p[0]!, 0) / ring.length,
    lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length,
  }
}

async function counter(page: Page, id: string): Promise<number> {
  const text = (await page.getByTestId(id).textContent())?.trim() ?? ''
  return /^\d+$/.test(text) ? Number(text) : Number.NaN
}

describe.skipIf(!hasChromium())('live wall', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let watch: PageWatch
  let grids: GridFeature[]
  let category: string

  async function report(description: string, at: { lon: number, lat: number }): Promise<void> {
    const res = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category, description, location: at }),
    })
    expect(res.status, await res.clone().text()).toBe(201)
  }

  beforeAll(async () => {
    await ensureClientBuilt()
    server = await startServer()
    const territory = await (await fetch(`${server.url}/api/territory`)).json() as { grids: { features: GridFeature[] } }
    grids = territory.grids.features
    const catalog = await (await fetch(`${server.url}/api/catalog`)).json() as { categories: { code: string }[] }
    category = catalog.categories[0]!.code
    // A few reports spread over the grids, so the wall has something to show.
    for (const [n, grid] of grids.slice(0, 8).entries())
      await report(`测试上报 ${n + 1}`, insideGrid(grid))

    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    watch = await watchPage(context)
    page = await context.newPage()
    await page.goto(`${server.url}/`)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('connects, draws the grids and counts the open incidents', async () => {
    await page.getByTestId('connection-state').and(page.locator('[data-state="connected"]')).waitFor({ timeout: 15_000 })
    await page.waitForFunction(() => {
      const hooks = (globalThis as unknown as { __onescreen?: Hooks }).__onescreen
      return !!hooks && hooks.mapIdle() && hooks.renderedFeatureCount('grids-fill') > 0 && hooks.renderedFeatureCount('incidents-circle') > 0
    }, undefined, { timeout: 20_000 })
    expect(await counter(page, 'counter-open')).toBeGreaterThanOrEqual(8)
    expect(await counter(page, 'counter-today')).toBeGreaterThanOrEqual(8)
    await expect.poll(() => page.getByTestId('clock').textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/)
  })

  it('counts a new report within 2 s', async () => {
    const before = await counter(page, 'counter-open')
    const today = await counter(page, 'counter-today')
    await report('井盖缺失，行人有跌落风险', insideGrid(grids[grids.length - 1]!))
    await expect.poll(() => counter(page, 'counter-open'), { timeout: 2000, interval: 100 }).toBe(before + 1)
    expect(await counter(page, 'counter-today')).toBe(today + 1)
  })

  it('switches to English and back', async () => {
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('Command Center')
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('h1').textContent()).toContain('寸滩街道')
  })

  it('logs no errors, reaches no foreign host, and leaves a screenshot', async () => {
    await page.waitForFunction(() => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.mapIdle())
    mkdirSync('artifacts/screenshots', { recursive: true })
    await page.screenshot({ path: SCREENSHOT })
    expect(watch.errors).toEqual([])
    expect(watch.foreignRequests).toEqual([])
  })
})
