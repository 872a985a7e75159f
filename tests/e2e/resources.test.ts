import type { ResourcesState } from '../../shared/resources/schema.ts'
import type { DeskServer } from './desk-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { deskServer, SHOTS } from './desk-helpers.ts'
import { signInContext } from './phone-helpers.ts'
import { SOON } from './wall-helpers.ts'

// A move recorded on the desk reaches the wall's emergency layout as counts, with 每户到人 as n/N.
describe('live resources on the screens', () => {
  let s: DeskServer
  beforeAll(async () => {
    s = await deskServer()
  }, 240_000)
  afterAll(() => s?.close())

  it('records an issue from the desk and shows the stock and n/N on the wall', async () => {
    const before = await (await authed(`${s.server.url}/api/resources`, s.operator)).json() as ResourcesState
    const depot = before.depots.find(d => d.items.some(i => i.qty >= 2))!
    const item = depot.items.find(i => i.qty >= 2)!
    const total = before.depots.flatMap(d => d.items).filter(i => i.kind === item.kind).reduce((n, i) => n + i.qty, 0)

    const desk = await s.open()
    await signInContext(desk.context, s.server.url, 'operator')
    await desk.page.goto(`${s.server.url}/desk`)
    await desk.page.getByTestId('view-resources').click()
    await desk.page.locator(`[data-testid="depot-row"][data-id="${depot.id}"]`).click()
    await desk.page.getByTestId('move-item').selectOption(item.kind)
    await desk.page.getByTestId('move-qty').fill('2')
    await desk.page.getByTestId('move-submit').click()
    await desk.page.locator('[data-testid="move-result"][data-ok="true"]').waitFor(SOON)
    await expect.poll(() => desk.page.locator(`[data-testid="depot-row"][data-id="${depot.id}"]`).textContent(), SOON).toContain(String(item.qty - 2))
    await desk.page.screenshot({ path: `${SHOTS}/resources-desk.png` })

    const commander = await signIn(s.server.url, 'commander')
    expect((await authed(`${s.server.url}/api/vulnerable`, s.operator, { body: { gridId: s.inside[0]!.properties.id, category: 'bedridden', name: '测试老人', address: '', phone: '', guardian: '', notes: '' } })).status).toBe(201)
    expect((await authed(`${s.server.url}/api/wartime/declare`, commander, { body: { reason: '资源上墙' } })).status).toBe(201)
    const wall = await s.open()
    await wall.page.setViewportSize({ width: 1920, height: 1080 })
    await wall.page.goto(`${s.server.url}/`)
    await wall.page.getByTestId('wartime-layout').waitFor(SOON)
    await expect.poll(async () => (await wall.page.getByTestId('wall-stock').allTextContents()).join(' '), SOON).toContain(String(total - 2))
    await expect.poll(() => wall.page.getByTestId('wall-evacuation').textContent(), SOON).toMatch(/0\s*\/\s*1/)
    expect(await wall.page.content()).not.toContain('测试老人')
    await wall.page.screenshot({ path: `${SHOTS}/resources-wall.png` })
  }, 120_000)
})
