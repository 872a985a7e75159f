import type { Browser } from 'playwright-core'
import type { SubdistrictPackage } from '../../shared/setup/package.ts'
import type { TestApp } from '../helpers/app.ts'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../server/auth/accounts.ts'
import { createPgStore } from '../../server/db/postgres/store.ts'
import { buildTestApp, fixtures } from '../helpers/app.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { dropSchemas, newSchemaName, pgUrl } from '../helpers/pg.ts'
import { ensureClientBuilt } from './client-build.ts'

// The district's command hall in a browser: two subdistricts (tenants) and the district's own node on one PostgreSQL.
// The commander signs in on /district, sees each subdistrict's figures and its wartime, drills into one subdistrict's
// open incidents and comes back.

const root = new URL('../..', import.meta.url).pathname
const SHOTS = 'artifacts/screenshots'
const [east, west, district] = [newSchemaName('east'), newSchemaName('west'), newSchemaName('district')]
const apps: TestApp[] = []
let url: string
let browser: Browser
const reported: string[] = []

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  await ensureClientBuilt()
  const tenant = (schema: string) => buildTestApp({ store: createPgStore({ url: pgUrl(), schema, max: 2 }) })
  const [a, b] = [await tenant(east), await tenant(west)]
  apps.push(a, b)
  // West is another subdistrict, 8 km east of Cuntan: its own name and place on the district's map.
  await b.ctx.setup.seed(elsewhere(b.ctx.live.pkg, 0.08, '郭家沱街道', 'Guojiatuo'), 'test: another subdistrict')
  const d = await buildTestApp({
    store: createPgStore({ url: pgUrl(), schema: district, max: 2 }),
    config: { staticDir: join(root, 'dist'), district: [{ tenant: east, url: null }, { tenant: west, url: null }] },
  })
  apps.push(d)
  for (let i = 0; i < 2; i++) {
    const res = await a.app.inject({ method: 'POST', url: '/api/incidents', headers: await a.as('operator'), payload: fixtures(a.ctx).report({ description: `东片路灯不亮第${i}处` }) })
    expect(res.statusCode, res.body).toBe(201)
    reported.push(res.json().id)
  }
  const declared = await b.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await b.as('commander'), payload: { reason: '暴雨红色预警' } })
  expect(declared.statusCode, declared.body).toBe(201)
  url = await d.listen()
  browser = await launchBrowser()
})
/** The package moved `dLon` degrees east (every lon/lat pair in it) under another name. */
function elsewhere(pkg: SubdistrictPackage, dLon: number, name: string, nameEn: string): SubdistrictPackage {
  const moved = JSON.parse(JSON.stringify(pkg), (_k, v: unknown) =>
    Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' && v[0] > 100 && v[0] < 120 && v[1] > 20 && v[1] < 40 ? [v[0] + dLon, v[1]] : v) as SubdistrictPackage
  moved.reference.territory.subdistrict.name = name
  moved.reference.territory.subdistrict.nameEn = nameEn
  return moved
}

afterAll(async () => {
  await browser?.close()
  for (const app of apps) await app.close()
  await dropSchemas(east, west, district)
})

describe('the district overview page', () => {
  it('signs the commander in, shows every subdistrict\'s figures and wartime, and drills into one', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } })
    const watch = await watchPage(page)
    await page.goto(`${url}/district`)
    await page.getByTestId('sign-in-dialog').waitFor({ timeout: 20_000 })
    await page.locator('input[name=username]').fill('commander')
    await page.locator('input[name=password]').fill(demoPassword('commander'))
    // Before signing in, /api/auth/me and /api/district answer 401: that is how the page knows to ask.
    const beforeSignIn = watch.errors.splice(0)
    expect(beforeSignIn.filter(e => !/401/.test(e))).toEqual([])
    await page.getByTestId('sign-in-submit').click()

    const eastCard = page.locator(`.district__card[data-tenant="${east}"]`)
    const westCard = page.locator(`.district__card[data-tenant="${west}"]`)
    await eastCard.waitFor({ timeout: 15_000 })
    expect(await page.locator('.district__title').textContent()).toBe('区级总览')
    // The district's own figures: the subdistricts summed (open, overdue, reported, closed, in wartime).
    expect(await page.getByTestId('district-totals').locator('dd').allTextContents()).toEqual(['2', '0', '2', '0', '1'])
    // Each card's figures: open, overdue, reported today, closed today.
    expect(await eastCard.locator('.district__figures dd').allTextContents()).toEqual(['2', '0', '2', '0'])
    expect(await westCard.locator('.district__figures dd').allTextContents()).toEqual(['0', '0', '0', '0'])
    expect((await westCard.locator('.district__war').textContent())?.trim()).toBe('战时 · 暴雨红色预警')
    expect(await eastCard.locator('.district__war').count()).toBe(0)
    expect(await westCard.evaluate(el => el.classList.contains('district__card--war'))).toBe(true)
    expect(await westCard.locator('h2').textContent()).toContain('郭家沱街道')

    // The map: each subdistrict where its communities are, labelled with its name and open work, wartime in red.
    await page.locator('[data-testid="district-map"][data-ready="true"]').waitFor({ timeout: 15_000 })
    const labels = page.getByTestId('district-map-label')
    await expect.poll(() => labels.count()).toBe(2)
    expect(await labels.evaluateAll(els => els.map(el => [el.getAttribute('data-tenant'), el.textContent, [...el.classList].find(c => c.includes('--'))]))).toEqual([
      [east, '寸滩街道在办 2', 'district-map__label--quiet'],
      [west, '郭家沱街道在办 0', 'district-map__label--war'],
    ])
    const [eastAt, westAt] = await labels.evaluateAll(els => els.map(el => el.getBoundingClientRect().x))
    expect(westAt! - eastAt!, 'west lies east of Cuntan on the map').toBeGreaterThan(50)
    await page.screenshot({ path: `${SHOTS}/district.png` })
    // A subdistrict on the map drills in as its card does.
    await labels.nth(1).click()
    await page.locator('.district__detail-head h2', { hasText: '郭家沱街道 · 在办事件' }).waitFor()
    expect((await page.locator('.district__detail p').textContent())?.trim()).toBe('没有在办事件')
    await page.getByRole('button', { name: '返回总览' }).click()
    await eastCard.waitFor()

    await eastCard.getByRole('button', { name: '查看在办事件' }).click()
    const rows = page.locator('.district__table tr')
    await rows.first().waitFor()
    expect((await page.locator('.district__id').allTextContents()).map(s => s.trim()).sort()).toEqual([...reported].sort())
    expect(await page.locator('.district__detail-head h2').textContent()).toBe('寸滩街道 · 在办事件')
    expect(await page.locator('.district__table th').allTextContents()).toEqual(['编号', '事项', '社区', '状态', '紧急程度', '本环节时限'])
    // Each row: its community by name and its state in words.
    const cells = (await page.locator('.district__table tbody tr').first().locator('td').allTextContents()).map(c => c.trim())
    expect([cells[2], cells[3]]).toEqual(['寸滩社区', '待受理'])
    await page.getByRole('button', { name: '返回总览' }).click()
    await westCard.waitFor()
    expect(await page.locator('.district__table').count()).toBe(0)

    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('button', { name: '中文' }).waitFor()
    expect(await page.locator('.district__title').textContent()).toContain('District overview')
    // In English each subdistrict and community goes by its package's English name, on the cards, map and drill-in.
    expect(await westCard.locator('h2').textContent()).toContain('Guojiatuo')
    await expect.poll(() => labels.allTextContents()).toEqual(['Cuntan (demo geometry)2 open', 'Guojiatuo0 open'])
    await eastCard.getByRole('button', { name: 'Open work' }).click()
    await page.locator('.district__table tbody tr').first().waitFor()
    expect(await page.locator('.district__detail-head h2').textContent()).toContain('Cuntan (demo geometry)')
    expect((await page.locator('.district__table tbody tr').first().locator('td').nth(2).textContent())?.trim()).toBe('Cuntan')
    await page.screenshot({ path: `${SHOTS}/district-en-detail.png` })

    expect(watch.foreignRequests).toEqual([])
    expect(watch.errors).toEqual([])
    await page.close()
  })
})
