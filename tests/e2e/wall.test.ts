import type { Page } from 'playwright-core'
import type { RunningServer } from '../helpers/server.ts'
import type { GridFeature, Hooks, Wall } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { startServer } from '../helpers/server.ts'
import { pngOf, tilesCovering, writeMbtiles } from '../helpers/tiles.ts'
import { reportToStore } from './store-report.ts'
import { closeWall, counter, hooks, insideGrid, openWall, report, SOON } from './wall-helpers.ts'

// One wall page, one server, through a sequence of tests. (Split into files that run side by side, the
// suite took more CPU, not less: each file starts its own server, Chromium and software-drawn map.)
const SHOTS = 'artifacts/screenshots'

describe('the wall', () => {
  let wall: Wall
  let page: Page
  let grids: GridFeature[]
  const category = 'garbage'
  let server: RunningServer

  beforeAll(async () => {
    wall = await openWall({ reports: 8 })
    ;({ page, grids, server } = wall)
  }, 180_000)

  afterAll(() => closeWall(wall))

  it('connects, draws the grids and incidents, and fills the panels', async () => {
    await page.getByTestId('connection-state').and(page.locator('[data-state="connected"]')).waitFor({ timeout: 20_000 })
    await hooks(page).mapReady()
    // An incident is drawn alone, in a zoomed-out cluster, or in a marker for a group of possible duplicates.
    await page.waitForFunction(() => {
      const h = (globalThis as unknown as { __onescreen: { renderedFeatureCount: (l: string) => number } }).__onescreen
      return ['incidents-circle', 'incidents-cluster', 'duplicates-circle'].reduce((n, l) => n + Math.max(0, h.renderedFeatureCount(l)), 0) > 0
    })
    // The eight reports made before the wall opened are all there is (the test server simulates nothing).
    expect(await counter(page, 'counter-open')).toBe(8)
    expect(await counter(page, 'counter-today')).toBe(8)
    await expect.poll(() => page.getByTestId('clock').textContent(), SOON).toMatch(/^\d{2}:\d{2}:\d{2}$/)
    // Figures from /api/stats, the headline comparison, and the honest ranking placeholder.
    await expect.poll(() => page.getByTestId('closure-rate').textContent(), SOON).toMatch(/\d+(\.\d)?%|—/)
    await expect.poll(() => page.getByTestId('forces').textContent(), SOON).toContain('志愿者')
    // The ranking board shows this month's leaders from recorded data, or says they are not generated yet.
    const rankings = await (await authed(`${server.url}/api/scores/rankings`, await signIn(server.url, 'operator'))).json() as { gridWorkers: { name: string, total: number }[] }
    const podium = rankings.gridWorkers.slice(0, 3)
    const leader = new Set(podium.map(w => w.total)).size > 1 ? podium[0]!.name : '本月评比数据待生成'
    await expect.poll(() => page.getByTestId('ranking').textContent(), SOON).toContain(leader)
    expect(await page.getByTestId('mode').textContent()).toContain('平时')
  })

  // How soon it shows is measured in bench/wall-reaction.ts (`npm run bench -- --only=reaction`).
  it('shows a new report in the counters and the feed', async () => {
    const today = await counter(page, 'counter-today')
    const text = `井盖缺失，行人有跌落风险 ${Date.now()}`
    await report(server, { category: 'missing_manhole', description: text, location: insideGrid(grids.at(-1)!) })
    await page.getByTestId('feed-desc').filter({ hasText: text }).waitFor({ timeout: 20_000 })
    await expect.poll(() => counter(page, 'counter-today'), SOON).toBe(today + 1)
  })

  it('renders incident text as text in the feed, drawer, map popup and chart tooltip', async () => {
    const title = '<script>window.__xss = 1</script>楼道堆物'
    const description = '<img src=x onerror=alert(1)> <script>alert(2)</script> 楼道堆放杂物'
    const inc = await report(server, { category, title, description, location: insideGrid(grids[5]!) })
    const item = page.locator(`[data-testid="feed-item"][data-id="${inc.id}"]`)
    await item.getByTestId('feed-desc').filter({ hasText: '<img src=x onerror=alert(1)>' }).waitFor(SOON)
    await item.click()
    const drawer = page.getByTestId('incident-drawer')
    await expect.poll(() => drawer.getByTestId('drawer-title').textContent(), SOON).toContain('<script>window.__xss = 1</script>')
    expect(await drawer.getByTestId('drawer-desc').textContent()).toContain(description)
    await expect.poll(() => page.getByTestId('map-popup').textContent(), SOON).toContain(description)
    // The 24 h chart's tooltip names the latest report of the hour: ours.
    await page.evaluate(() => (globalThis as unknown as { __onescreen: Hooks & { charts: Map<string, { dispatchAction: (a: object) => void }> } }).__onescreen.charts.get('hourly')!.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 23 }))
    const tooltip = page.getByTestId('chart-hourly').locator('.wall-tooltip')
    await expect.poll(() => tooltip.textContent(), SOON).toContain('<img src=x onerror=alert(1)>')
    expect(await tooltip.textContent()).toContain('<script>window.__xss = 1</script>')
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    expect(await page.locator('script').filter({ hasText: /alert|__xss/ }).count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(wall.dialogs).toEqual([])
    await page.evaluate(() => (globalThis as unknown as { __onescreen: { charts: Map<string, { dispatchAction: (a: object) => void }> } }).__onescreen.charts.get('hourly')!.dispatchAction({ type: 'hideTip' }))
    await drawer.getByTestId('drawer-close').click()
  })

  it('flashes and sounds a new severity I incident', async () => {
    const sounded = await page.evaluate(() => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.alarmsSounded)
    const inc = await report(server, { category: 'gas_leak', description: '燃气管道泄漏，气味明显', location: insideGrid(grids[2]!) })
    const alarm = page.locator(`[data-testid="alarm"] [data-id="${inc.id}"]`)
    await alarm.waitFor(SOON)
    // At most 3 flashes a second: one cycle of two steps lasts at least 1/3 s.
    const duration = await alarm.evaluate(el => (globalThis as unknown as { getComputedStyle: (e: unknown) => { animationDuration: string } }).getComputedStyle(el).animationDuration)
    expect(Number.parseFloat(duration)).toBeGreaterThanOrEqual(0.34)
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.alarmsSounded), SOON).toBe(sounded + 1)
    await alarm.click()
    await page.getByTestId('incident-drawer').and(page.locator(`[data-severity="1"]`)).waitFor()
    await page.locator(`[data-testid="alarm"] [data-id="${inc.id}"]`).waitFor({ state: 'detached' })
    await page.getByTestId('drawer-close').click()
  })

  it('lets a signed-in operator accept, assign, transfer and escalate from the drawer in at most two clicks each', async () => {
    await page.getByTestId('drawer-sign-in').or(page.getByTestId('sign-in')).first().click()
    await page.locator('input[name="username"]').fill('operator')
    await page.locator('input[name="password"]').fill('demo-operator-2026')
    await page.getByTestId('sign-in-submit').click()
    await page.getByTestId('sign-out').waitFor()
    // 占道经营: routed to the law-enforcement post.
    const inc = await report(server, { category: 'street_vending', description: `占道堆物待处置 ${Date.now()}`, location: insideGrid(grids[6]!) })
    await page.locator(`[data-testid="feed-item"][data-id="${inc.id}"]`).click()
    const drawer = page.getByTestId('incident-drawer')
    await drawer.and(page.locator('[data-state="reported"]')).waitFor()
    await expect.poll(() => drawer.getByTestId('timeline').locator('li').count(), SOON).toBe(1)
    expect(await drawer.getByTestId('stage-remaining').textContent()).toMatch(/剩余|已超时/)

    await drawer.getByTestId('act-accept').click() // 1 click
    await drawer.and(page.locator('[data-state="accepted"]')).waitFor()
    await drawer.getByTestId('act-assign').click() // 2 clicks: the action, then the post
    // The post routing chose is offered, marked, and its sector listed first.
    const routed = drawer.locator('[data-testid="post-safety.law_enforcement"][data-routed="true"]')
    expect(await routed.textContent()).toContain('系统分派')
    expect(await drawer.locator('[data-testid^="post-"]:not([data-testid="post-picker"])').first().getAttribute('data-testid')).toMatch(/^post-safety\./)
    await routed.click()
    await drawer.and(page.locator('[data-state="assigned"]')).waitFor()
    await drawer.getByTestId('act-transfer').click()
    await drawer.getByTestId('post-livelihood.urban').click()
    await expect.poll(() => drawer.textContent(), SOON).toContain('城市管理岗')
    await drawer.getByTestId('act-escalate').click() // 1 click, with the wall's standard note
    await drawer.and(page.locator('[data-state="reported"]')).waitFor()
    expect(await drawer.textContent()).toContain('社区')
    await expect.poll(() => drawer.getByTestId('timeline').locator('li').count(), SOON).toBe(5)
    // Every other step is on the desk, one link away.
    expect(await drawer.getByTestId('open-on-desk').getAttribute('href')).toBe(`/desk?id=${inc.id}`)
    await drawer.getByTestId('drawer-close').click()
    await page.getByTestId('sign-out').click()
    await page.getByTestId('sign-in').waitFor()
  })

  it('opens a grid\'s roster and figures when the grid is clicked', async () => {
    const at = await page.evaluate(([lon, lat]) => (globalThis as unknown as { __onescreen: Hooks & { project: (lon: number, lat: number) => { x: number, y: number } } }).__onescreen.project(lon!, lat!), [insideGrid(grids[20]!).lon, insideGrid(grids[20]!).lat])
    await page.mouse.click(at.x, at.y)
    const drawer = page.getByTestId('grid-drawer')
    await drawer.waitFor(SOON)
    expect(await drawer.textContent()).toContain(grids[20]!.properties.name)
    expect(await drawer.getByTestId('grid-roster').textContent()).toContain('专职网格员')
    await drawer.getByRole('button').click()
  })

  it('draws the map again after the WebGL context is lost and restored', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.loseMapContext())).toBe(true)
    // The context comes back 300 ms after the loss; from then on the map must draw frames again.
    const restored = await page.waitForFunction(() => {
      const g = globalThis as unknown as { __onescreen: Hooks, document: { querySelector: (s: string) => { getContext: (k: string) => { isContextLost: () => boolean } } } }
      return g.document.querySelector('[data-testid="live-map"] canvas').getContext('webgl2').isContextLost() ? null : { frames: g.__onescreen.mapFrames }
    }, undefined, SOON)
    const { frames } = (await restored.jsonValue())!
    await page.waitForFunction(n => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.mapFrames > n, frames, SOON)
    await hooks(page).mapReady()
  })

  it('switches to English and back, the title whole and the sensors clear of the legend in both', async () => {
    const communities = page.locator('.map-label--community')
    expect(await communities.allTextContents()).toContain('寸滩社区')
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('h1').textContent(), SOON).toContain('Command Center')
    await expectLaidOut(page, 'English')
    // The map's communities by their English names from the package.
    await expect.poll(() => communities.allTextContents(), SOON).toContain('Cuntan')
    expect((await communities.allTextContents()).filter(t => /[\u4E00-\u9FFF]/.test(t))).toEqual([])
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.locator('h1').textContent(), SOON).toContain('寸滩街道')
    await expectLaidOut(page, 'Chinese')
    await expect.poll(() => communities.allTextContents(), SOON).toContain('寸滩社区')
  })

  it('says the feed is interrupted when the server stops, and catches up when it is back', async () => {
    const dataDir = server.dataDir
    await server.stop()
    await page.getByTestId('feed-banner').waitFor(SOON)
    expect(await page.getByTestId('feed-banner').textContent()).toContain('连接中断')
    // While the wall is cut off, a report lands in the store from another process.
    const missed = `断线期间上报 ${Date.now()}`
    await reportToStore(dataDir, { category, description: missed, location: insideGrid(grids[3]!) })
    server = wall.server = await startServer({ dataDir, port: wall.port })
    await page.getByTestId('feed-banner').waitFor({ state: 'detached', timeout: 30_000 })
    await page.getByTestId('feed-desc').filter({ hasText: missed }).waitFor(SOON)
  }, 90_000)

  it('leaves screenshots at 1920×1080 and 3840×2160, with no console error, no dialog and no foreign request', async () => {
    mkdirSync(SHOTS, { recursive: true })
    await hooks(page).idle()
    await page.screenshot({ path: `${SHOTS}/wall-1920x1080.png` })
    const big = await wall.context.newPage()
    await big.setViewportSize({ width: 3840, height: 2160 })
    await big.goto(`${server.url}/`)
    await big.getByTestId('connection-state').and(big.locator('[data-state="connected"]')).waitFor({ timeout: 20_000 })
    await hooks(big).mapReady(90_000) // software WebGL at 4K is slow on a busy 2-core machine
    await expect.poll(() => big.getByTestId('closure-rate').textContent(), SOON).toMatch(/%/)
    expect(await big.getByTestId('stage').getAttribute('data-scale')).toBe('2.000')
    await hooks(big).idle()
    await big.screenshot({ path: `${SHOTS}/wall-3840x2160.png` })
    await big.close()
    // The deliberate outage above makes Chromium log the refused reconnection attempts; nothing else may appear.
    expect(wall.watch.errors.filter(e => !/ERR_CONNECTION_REFUSED|502|503/.test(e))).toEqual([])
    expect(wall.dialogs).toEqual([])
    expect(wall.watch.foreignRequests).toEqual([])
  }, 150_000)

  it('draws an offline map package the admin picks, live, under the grids', async () => {
    // A package made here (dark land, lighter streets every 64 px, a border per tile) over the demo grids.
    const lons = grids.flatMap(g => insideGrid(g).lon)
    const lats = grids.flatMap(g => insideGrid(g).lat)
    const box: [number, number, number, number] = [Math.min(...lons) - 0.05, Math.min(...lats) - 0.05, Math.max(...lons) + 0.05, Math.max(...lats) + 0.05]
    const tile = pngOf(256, (x, y) => x < 2 || y < 2 ? [120, 90, 40] : x % 64 < 3 || y % 64 < 3 ? [70, 84, 104] : [24, 38, 34])
    const tiles = [10, 11, 12, 13].flatMap(z => tilesCovering(z, box).map(t => ({ z, ...t, data: tile })))
    mkdirSync(join(server.dataDir, 'maps'), { recursive: true })
    writeMbtiles(join(server.dataDir, 'maps', 'e2e.mbtiles'), tiles, { format: 'png', minzoom: '10', maxzoom: '13', name: 'e2e' })

    const admin = await signIn(server.url, 'admin')
    const { version } = await (await authed(`${server.url}/api/basemap/setting`, admin)).json() as { version: number }
    const drawn = page.waitForResponse(r => /\/api\/tiles\/\d+\/\d+\/\d+/.test(r.url()) && r.status() === 200, SOON)
    const saved = await authed(`${server.url}/api/basemap/setting`, admin, {
      method: 'PUT',
      body: { version, kind: 'mbtiles', source: 'e2e.mbtiles', crs: 'WGS84', tileType: 'raster', attribution: 'e2e package', minZoom: 10, maxZoom: 13 },
    })
    expect(saved.status).toBe(200)
    await drawn // the open wall follows the change log: no reload
    await hooks(page).idle()
    mkdirSync('/tmp/basemap-shots', { recursive: true })
    await page.screenshot({ path: '/tmp/basemap-shots/wall-basemap-1920x1080.png' })
    expect(await page.evaluate(() => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.renderedFeatureCount('grids-fill'))).toBeGreaterThan(0)
    expect(wall.watch.foreignRequests).toEqual([])
  }, 30_000)
})

/** The header's title shown whole (no ellipsis, no third line) and the sensor panel off the map legend. */
async function expectLaidOut(page: Page, language: string): Promise<void> {
  await expect.poll(() => page.getByTestId('wall-title').evaluate((el) => {
    const twoLines = el.dataset.lines === '2'
    return el.scrollWidth <= el.clientWidth && (!twoLines || el.clientHeight < Number.parseFloat((globalThis as unknown as { getComputedStyle: (e: unknown) => { maxHeight: string } }).getComputedStyle(el).maxHeight))
  }), { ...SOON, message: `the ${language} title is cut` }).toBe(true)
  const sensors = await page.getByTestId('sensor-panel').boundingBox()
  const legend = await page.getByTestId('legend').boundingBox()
  expect(sensors && legend, 'the sensor panel and the legend are drawn').toBeTruthy()
  const apart = sensors!.y + sensors!.height <= legend!.y || legend!.y + legend!.height <= sensors!.y
    || sensors!.x + sensors!.width <= legend!.x || legend!.x + legend!.width <= sensors!.x
  expect(apart, `the ${language} sensor panel (${JSON.stringify(sensors)}) covers the legend (${JSON.stringify(legend)})`).toBe(true)
}
