import type { BrowserContext, Page } from 'playwright-core'
import type { Message } from '../../shared/messages/schema.ts'
import type { Phone, PhoneServer } from './phone-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCuntanReference } from '../../server/territory/cuntan/reference.ts'
import { recipientsOf } from '../../shared/messages/audience.ts'
import { MESSAGE_TEMPLATES } from '../../shared/messages/templates.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { phoneServer, realErrors, SHOTS, signInContext } from './phone-helpers.ts'
import { hooks, SOON } from './wall-helpers.ts'

const ref = buildCuntanReference()
const nameOf = (id: string) => ref.org.people.find(p => p.id === id)!.name

/** Signs a phone in as `personId` the way a field device is: enrolled by the admin, then its token. */
async function enrolPhone(s: PhoneServer, p: Phone, personId: string): Promise<void> {
  const made = await authed(`${s.server.url}/api/enrolments`, await signIn(s.server.url, 'admin'), { body: { personId } })
  expect(made.status).toBe(201)
  const res = await p.context.request.post(`${s.server.url}/api/auth/device`, { data: { token: ((await made.json()) as { token: string }).token } })
  expect(res.status()).toBe(200)
}

const vibrations = (page: Page) => page.evaluate(() => (globalThis as unknown as { __vibrations: number }).__vibrations)

describe('one-click reach (一键直达)', () => {
  let s: PhoneServer
  let wall: BrowserContext
  let desk: Page
  let first: Phone
  let second: Phone
  let firstId: string
  let secondId: string
  let message: Message

  beforeAll(async () => {
    s = await phoneServer()
    const me = await (await authed(`${s.server.url}/api/auth/me`, await signIn(s.server.url, 'grid_worker'))).json() as { principal: { personId: string } }
    firstId = me.principal.personId
    // A second grid worker of the same community, on a phone of their own.
    const grids = new Set(ref.territory.grids.filter(g => g.communityId === s.workerCommunity).map(g => g.id))
    secondId = ref.org.rosters.find(r => grids.has(r.gridId) && r.workerId !== firstId)!.workerId
    first = await s.open()
    second = await s.open()
    await signInContext(first.context, s.server.url, 'grid_worker')
    await enrolPhone(s, second, secondId)
    for (const p of [first, second]) {
      await p.page.goto(`${s.server.url}/field`)
      await p.page.getByTestId('report-form').waitFor({ timeout: 20_000 })
    }
    // The operator on the wall: the wall's own page, signed in.
    wall = await s.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    await wall.addCookies([{ name: 'os_sid', value: s.operator.cookie.split('=')[1]!, url: s.server.url }])
    desk = await wall.newPage()
    await desk.goto(`${s.server.url}/`)
    await hooks(desk).mapReady()
  }, 180_000)

  afterAll(async () => {
    await wall?.close()
    await s?.close()
  })

  it('lets the operator compose from a template to one community, counting who it reaches before sending', async () => {
    await desk.getByTestId('message-compose').click()
    await desk.getByTestId('message-template').selectOption('meeting')
    expect(await desk.getByTestId('message-text').inputValue()).toBe(MESSAGE_TEMPLATES.find(x => x.id === 'meeting')!.text)
    expect(await desk.getByTestId('message-send').isDisabled()).toBe(true)
    await desk.locator(`[data-testid="message-community"][data-id="${s.workerCommunity}"]`).check({ force: true })
    const expected = recipientsOf(ref, { communityIds: [s.workerCommunity] })
    expect(expected).toContain(firstId)
    expect(expected).toContain(secondId)
    await expect.poll(() => desk.getByTestId('message-reach').getAttribute('data-count'), SOON).toBe(String(expected.length))
    expect(await desk.getByTestId('message-reach').textContent()).toContain(`将送达 ${expected.length} 人`)
    await desk.screenshot({ path: `${SHOTS}/messages-compose-1920.png` })
    await desk.getByTestId('message-send').click()
    await desk.getByTestId('message-receipts').waitFor(SOON)
    const list = await (await authed(`${s.server.url}/api/messages`, s.operator)).json() as Message[]
    expect(list).toHaveLength(1)
    message = list[0]!
    expect(message.recipients.map(r => r.personId)).toEqual(expected)
    expect(message.audience.communityIds).toEqual([s.workerCommunity])
  })

  it('puts a banner that must be acknowledged on both phones, with a buzz, and confirms delivery', async () => {
    for (const p of [first, second]) {
      const banner = p.page.getByTestId('message-banner')
      await banner.waitFor(SOON)
      expect(await banner.getAttribute('data-id')).toBe(message.id)
      expect(await p.page.getByTestId('message-banner-text').textContent()).toContain('会议通知')
      expect(await vibrations(p.page)).toBeGreaterThan(0)
    }
    await first.page.screenshot({ path: `${SHOTS}/messages-phone-banner.png` })
    await first.page.getByTestId('message-ack').click()
    await first.page.getByTestId('message-banner').waitFor({ state: 'detached', ...SOON })
    // The other phone's banner stays until its person acknowledges.
    expect(await second.page.getByTestId('message-banner').count()).toBe(1)
  })

  it('shows the sender delivered 2 / read 1 live, per community, and who has not read it', async () => {
    const receipts = desk.getByTestId('message-receipts')
    await expect.poll(() => receipts.getAttribute('data-delivered'), SOON).toBe('2')
    await expect.poll(() => receipts.getAttribute('data-read'), SOON).toBe('1')
    expect(await desk.getByTestId('receipts-delivered').textContent()).toBe('2')
    expect(await desk.getByTestId('receipts-read').textContent()).toBe('1')
    const part = desk.locator(`[data-testid="receipts-part"][data-part="community:${s.workerCommunity}"]`)
    expect((await part.locator('td').allTextContents()).map(x => x.trim())).toEqual(['2', '1'])
    const unread = await desk.getByTestId('receipts-unread-name').evaluateAll(els => els.map(e => e.getAttribute('data-id')))
    expect(unread).toContain(secondId)
    expect(unread).not.toContain(firstId)
    expect(await desk.locator(`[data-testid="receipts-unread-name"][data-id="${secondId}"]`).textContent()).toContain(nameOf(secondId))
    await desk.screenshot({ path: `${SHOTS}/messages-receipts-1920.png` })
  })

  it('shows the latest message and its read count on the wall', async () => {
    await desk.getByTestId('message-close').click()
    const strip = desk.getByTestId('message-strip')
    await expect.poll(() => strip.getAttribute('data-read'), SOON).toBe('1')
    expect(await strip.getAttribute('data-id')).toBe(message.id)
    expect(await desk.getByTestId('message-strip-read').textContent()).toContain(`1/${message.recipients.length}`)
    await desk.screenshot({ path: `${SHOTS}/messages-wall-1920.png` })
    // The read-only display (the hall's own session): the strip, no compose button. (Its 4K layout is
    // tests/e2e/wall.test.ts's screenshot; a 4K software-rendered map here would cost the run 20 s of CPU.)
    const big = await s.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    try {
      const page = await big.newPage()
      await page.goto(`${s.server.url}/`)
      await page.getByTestId('connection-state').and(page.locator('[data-state="connected"]')).waitFor(SOON)
      await expect.poll(() => page.getByTestId('message-strip').getAttribute('data-read'), SOON).toBe('1')
      expect(await page.getByTestId('message-compose').count()).toBe(0)
      // The second phone acknowledges: the display follows live.
      await second.page.getByTestId('message-ack').click()
      await expect.poll(() => page.getByTestId('message-strip').getAttribute('data-read'), SOON).toBe('2')
      await page.getByTestId('message-strip').click()
      await page.getByTestId('message-wall-detail').waitFor()
      await page.screenshot({ path: `${SHOTS}/messages-wall-display.png` })
    }
    finally {
      await big.close()
    }
    for (const p of [first, second])
      expect(realErrors(p)).toEqual([])
  }, 120_000)

  it('keeps the strip clear of the emergency layout\'s panels in wartime', async () => {
    const commander = await signIn(s.server.url, 'commander')
    expect((await authed(`${s.server.url}/api/wartime/declare`, commander, { body: { reason: '暴雨红色预警' } })).status).toBe(201)
    await desk.getByTestId('wartime-layout').waitFor(SOON)
    const strip = await desk.getByTestId('message-strip').boundingBox()
    const panels = await desk.locator('.wartime-layout__left, .wartime-layout__right, .wartime-layout__timeline, [data-testid="wartime-layout"] .wartime-layout__centre > :first-child')
      .evaluateAll(els => els.map(e => e.getBoundingClientRect().toJSON() as { left: number, right: number, top: number, bottom: number }))
    expect(panels).toHaveLength(4)
    for (const p of panels)
      expect(strip!.x >= p.right || strip!.x + strip!.width <= p.left || strip!.y >= p.bottom || strip!.y + strip!.height <= p.top).toBe(true)
    await desk.screenshot({ path: `${SHOTS}/messages-wall-wartime-1920.png` })
    expect((await authed(`${s.server.url}/api/wartime/end`, commander, { body: { reason: '演练结束' } })).status).toBe(200)
  })
})
