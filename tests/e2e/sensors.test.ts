import type { Wall } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayOf } from '../../shared/kernel/time.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { closeWall, openWall, SOON } from './wall-helpers.ts'

const SHOTS = 'artifacts/screenshots'

describe('the wall\'s duty line and sensor panel', () => {
  let wall: Wall

  beforeAll(async () => {
    wall = await openWall()
  }, 180_000)

  afterAll(() => closeWall(wall))

  it('shows today\'s duty under the title, live, without cutting the title', async () => {
    const { page, server } = wall
    await expect.poll(() => page.getByTestId('duty-line').textContent(), SOON).toContain('未排班')
    const res = await authed(`${server.url}/api/duty/${dayOf(Date.now())}`, await signIn(server.url, 'operator'), { method: 'PUT', body: { leaderId: 'ld-03', operatorIds: ['op-01', 'op-02'] } })
    expect(res.status).toBe(201)
    await expect.poll(() => page.getByTestId('duty-line').textContent(), SOON).toMatch(/带班领导\s*张艳雪.*值班员\s*田诚、谭娟怡/)
    const cut = await page.locator('.wall-header__title').evaluate(el => el.scrollWidth > el.clientWidth)
    expect(cut, 'the title is cut').toBe(false)
  })

  it('colours a station by the level its readings reach and proposes the plan at 保证水位', async () => {
    const { page, server } = wall
    const row = page.getByTestId('sensor-cuntan-hydro')
    await expect.poll(() => row.getAttribute('data-level'), SOON).toBe('none')
    const desk = await signIn(server.url, 'operator')
    const post = (value: number, minutesAgo: number) => authed(`${server.url}/api/sensors/readings`, desk, { body: { stationId: 'cuntan-hydro', value, at: new Date(Date.now() - minutesAgo * 60_000).toISOString() } })
    expect((await post(180.8, 10)).status).toBe(201)
    await expect.poll(() => row.getAttribute('data-level'), SOON).toBe('yellow')
    await expect.poll(() => page.getByTestId('weather-warning').textContent(), SOON).toContain('寸滩水文站超警戒水位')
    expect(await row.textContent()).toMatch(/180\.80 m.*超警戒水位 0\.30 m/)
    expect((await post(183.7, 0)).status).toBe(201)
    await expect.poll(() => row.getAttribute('data-level'), SOON).toBe('orange')
    await expect.poll(() => page.getByTestId('wartime-proposal').textContent(), SOON).toMatch(/建议：以《.+》宣布战时/)
    mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: `${SHOTS}/sensors-wall.png` })
  })

  it('names the warning and the lines in English on an English wall (the package\'s English labels)', async () => {
    const { page } = wall
    await page.getByTestId('lang-toggle').click()
    const chip = page.getByTestId('weather-warning')
    await expect.poll(() => chip.textContent(), SOON).toMatch(/Cuntan hydrological station\s*Orange warning/)
    expect(await chip.evaluate(el => [...el.children].every(c => c.scrollWidth <= c.clientWidth)), 'the chip is cut').toBe(true)
    await expect.poll(() => page.getByTestId('sensor-cuntan-hydro').textContent(), SOON).toMatch(/above guaranteed level/)
    expect(await page.getByTestId('sensor-panel').textContent(), 'a Chinese line name on the English wall').not.toMatch(/[\u4E00-\u9FFF]/)
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => chip.textContent(), SOON).toContain('寸滩水文站')
  })
})
