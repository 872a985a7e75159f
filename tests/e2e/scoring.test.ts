import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import type { Rankings } from '../../shared/scoring/schema.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { ensureClientBuilt } from './client-build.ts'
import { phone, signInContext } from './phone-helpers.ts'
import { harnessServer, scoringServer } from './scoring-helpers.ts'
import { freePort, SOON } from './wall-helpers.ts'

// The horse race in people's hands, in real Chromium: the wall and the leaders' phone agree on the 30-day
// closure rate; a month frozen by the admin reaches the wall's ranking board live; the desk's points book and the
// volunteer's own points, each mounted alone as the desk and the phone will mount them.
const SHOTS = 'artifacts/screenshots'

describe('scoring on the screens', () => {
  let server: Awaited<ReturnType<typeof scoringServer>>
  let vite: ViteDevServer
  let viteUrl: string
  let browser: Browser
  let wall: Page

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    await ensureClientBuilt()
    const port = await freePort()
    viteUrl = `http://127.0.0.1:${port}`
    server = await scoringServer({ origins: [viteUrl] })
    vite = await harnessServer(port, server.url)
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    await watchPage(context)
    wall = await context.newPage()
    await wall.goto(`${server.url}/`)
    await wall.getByTestId('connection-state').and(wall.locator('[data-state="connected"]')).waitFor({ timeout: 30_000 })
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await vite?.close()
    await server?.close()
  })

  it('shows the same 30-day closure rate on the wall and the leaders\' phone, a number', async () => {
    await expect.poll(() => wall.getByTestId('closure-rate').textContent(), SOON).toMatch(/^\s*\d+\.\d%\s*$/)
    const onWall = (await wall.getByTestId('closure-rate').textContent())!.trim()
    const leader = await phone(browser)
    await signInContext(leader.context, server.url, 'leader')
    await leader.page.goto(`${server.url}/m`)
    await leader.page.locator('[data-testid="m-figures"][data-ready="true"]').waitFor({ timeout: 20_000 })
    await expect.poll(async () => (await leader.page.getByTestId('m-closure-rate').textContent())?.trim(), SOON).toBe(onWall)
    // The live counters the two screens share agree as well.
    for (const [w, m] of [['counter-today', 'm-counter-today'], ['counter-open', 'm-counter-open'], ['counter-overdue', 'm-counter-overdue'], ['counter-closed', 'm-counter-closed']] as const)
      expect((await leader.page.getByTestId(m).textContent())?.trim(), m).toBe((await wall.getByTestId(w).textContent())?.trim())
    await leader.page.screenshot({ path: `${SHOTS}/scoring-leader-figures.png` })
    await leader.context.close()
  })

  it('puts a month on the wall\'s ranking board as final the moment the admin freezes it', async () => {
    const admin = await signIn(server.url, 'admin')
    const running = await (await authed(`${server.url}/api/scores/rankings`, admin)).json() as Rankings
    const board = wall.getByTestId('ranking')
    await expect.poll(() => board.getAttribute('data-month'), SOON).toBe(running.month)
    expect(await board.getAttribute('data-final')).toBe('false')
    await wall.screenshot({ path: `${SHOTS}/scoring-wall-before-freeze.png` })

    server.endMonth()
    const frozen = await authed(`${server.url}/api/scores/freeze`, await signIn(server.url, 'admin'), { body: {} })
    expect(frozen.status).toBe(200)
    expect((await frozen.json() as { frozen: string[] }).frozen).toEqual([running.month])
    const final = await (await authed(`${server.url}/api/scores/rankings?month=${running.month}`, await signIn(server.url, 'admin'))).json() as Rankings
    expect(final.frozen).toBe(true)

    // No reload: the board follows the push.
    await expect.poll(() => board.getAttribute('data-final'), SOON).toBe('true')
    expect(await board.getAttribute('data-month')).toBe(running.month)
    const text = await board.textContent()
    expect(text).toContain(final.gridWorkers[0]!.name)
    expect(text).toContain(final.gridWorkers[0]!.total.toFixed(1))
    expect(await wall.locator('.wall-panel', { has: board }).textContent()).toContain(`${running.month} · 定榜`)
    await wall.locator('.wall-panel', { has: board }).screenshot({ path: `${SHOTS}/scoring-wall-ranking-final.png` })
  })

  it('lets community staff record a volunteer\'s service and refuses a redemption beyond the balance', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'zh-CN' })
    await signInContext(context, viteUrl, 'community_staff')
    const page = await context.newPage()
    await page.goto(`${viteUrl}/harness.html?mount=PointsDesk`)
    const desk = page.getByTestId('points-desk')
    await desk.getByTestId('points-summary').waitFor({ timeout: 60_000 })
    const before = Number(await desk.getByTestId('points-balance').textContent())
    await desk.getByTestId('points-what').fill('社区敬老院陪护')
    await desk.getByTestId('points-hours').fill('3')
    expect(await desk.getByTestId('points-earn-points').inputValue()).toBe('30')
    await desk.getByTestId('points-earn').click()
    await expect.poll(() => desk.getByTestId('points-result').textContent(), SOON).toContain(`已记录：30 分，余额 ${before + 30}`)
    await expect.poll(() => desk.getByTestId('points-balance').textContent(), SOON).toBe(String(before + 30))
    expect(await desk.getByTestId('points-entries').locator('li').first().textContent()).toContain('社区敬老院陪护（3 小时）')

    await desk.getByTestId('points-reward').fill('爱心超市 电饭煲')
    await desk.getByTestId('points-redeem-points').fill(String(before + 31))
    await desk.getByTestId('points-redeem').click()
    await expect.poll(() => desk.getByTestId('points-result').textContent(), SOON).toBe(`余额不足：当前 ${before + 30} 分，兑换需要 ${before + 31} 分`)
    expect(await desk.getByTestId('points-result').getAttribute('role')).toBe('alert')
    await page.screenshot({ path: `${SHOTS}/scoring-points-desk.png`, fullPage: true })
    await context.close()
  })

  it('shows the desk\'s controls only to roles that may use them', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'zh-CN' })
    await signInContext(context, viteUrl, 'sector_lead')
    const page = await context.newPage()
    await page.goto(`${viteUrl}/harness.html?mount=PointsDesk`)
    await page.getByTestId('points-summary').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('points-earn-form').count()).toBe(1)
    expect(await page.getByTestId('points-redeem-form').count()).toBe(0)
    await context.close()
  })

  it('shows a volunteer their own balance on the phone', async () => {
    const volunteer = server.t.ctx.reference.org.people.find(p => p.forceKind === 'volunteer')!
    const award = await authed(`${server.url}/api/points/award`, await signIn(server.url, 'operator'), { body: { opId: 'e2e-my-points-1', personId: volunteer.id, points: 25, reason: '防汛值守' } })
    expect(award.status).toBe(201)
    const p = await phone(browser)
    const headers = await server.t.phoneOf(volunteer.id)
    const [name, value] = headers.cookie.split('=') as [string, string]
    await p.context.addCookies([{ name, value, url: viteUrl }])
    await p.page.goto(`${viteUrl}/harness.html?mount=MyPoints`)
    const mine = p.page.getByTestId('my-points')
    await mine.getByTestId('points-summary').waitFor({ timeout: 60_000 })
    const account = await (await fetch(`${server.url}/api/points/me`, { headers: { cookie: headers.cookie } })).json() as { balance: number }
    expect(account.balance).toBeGreaterThanOrEqual(25)
    expect(await mine.getByTestId('points-balance').textContent()).toBe(String(account.balance))
    expect(await mine.getByTestId('points-entries').textContent()).toContain('防汛值守')
    await p.page.screenshot({ path: `${SHOTS}/scoring-my-points.png` })
    await p.context.close()
  })
})
