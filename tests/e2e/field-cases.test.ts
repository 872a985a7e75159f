import type { IncidentWithHistory } from '../../shared/incident/schema.ts'
import type { MyScore } from '../../shared/scoring/schema.ts'
import type { AuthHeaders } from '../helpers/app.ts'
import type { Phone, PhoneServer } from './phone-helpers.ts'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { phoneServer, photoFixture, realErrors, SHOTS, signInContext } from './phone-helpers.ts'
import { report, SOON } from './wall-helpers.ts'

// Peacetime work on the phone: an incident a desk assigns to a person reaches their phone live; they work it
// from there (start, arrive, resolve with a photo), online or in a dead spot, and a stale press says so.
let s: PhoneServer
let operator: AuthHeaders
let staff: { personId: string, sectorId: string }
/** The demo post staff's phone, signed in once and used by every case below. */
let post: Phone

beforeAll(async () => {
  s = await phoneServer()
  operator = s.operator
  const me = await (await authed(`${s.server.url}/api/auth/me`, await signIn(s.server.url, 'post_staff'))).json() as { principal: { personId: string, sectorId: string } }
  staff = me.principal
}, 240_000)

afterAll(() => s?.close())

async function act(id: string, body: Record<string, unknown>, who: AuthHeaders = operator): Promise<Response> {
  const inc = await get(id)
  return authed(`${s.server.url}/api/incidents/${id}/actions`, who, { body: { expectedVersion: inc.version, ...body }, headers: { 'idempotency-key': randomUUID() } })
}

async function get(id: string): Promise<IncidentWithHistory> {
  return await (await authed(`${s.server.url}/api/incidents/${id}`, operator)).json() as IncidentWithHistory
}

/** A report, accepted and assigned by the operator (as a desk would) to the demo post staff person by name. */
async function assignedToStaff(description: string): Promise<string> {
  const { id } = await report(s.server, { category: 'garbage', description, location: s.spot })
  expect((await act(id, { action: 'accept' })).status).toBe(200)
  expect((await act(id, { action: 'assign', sectorId: staff.sectorId, assigneeId: staff.personId })).status).toBe(200)
  return id
}

const card = (id: string) => post.page.locator(`[data-testid="case-card"][data-incident="${id}"]`)
const counter = (name: string) => post.page.evaluate(n => (globalThis as unknown as Record<string, unknown>)[n] as number, name)
const alerts = () => post.page.evaluate(() => (globalThis as unknown as { __onescreenField?: { alerts: number } }).__onescreenField?.alerts ?? 0)

describe('the field phone\'s incidents', () => {
  it('shows an incident assigned to the post staff live, with a ring; they start, arrive and resolve it with a photo', async () => {
    post = await s.open({ geolocation: { longitude: s.spot.lon, latitude: s.spot.lat } })
    const { page, context } = post
    await signInContext(context, s.server.url, 'post_staff')
    await page.goto(`${s.server.url}/field`)
    await page.getByTestId('report-form').waitFor({ timeout: 20_000 })
    // A post staff member is not scored as a grid worker: no month tab.
    expect(await page.getByTestId('field-tab-me').count()).toBe(0)
    // The queue has answered (empty or not) before the assignment, so what follows arrives live, not by a load.
    await page.getByTestId('field-tab-tasks').click()
    await page.getByTestId('tasks').waitFor()
    await page.getByTestId('field-tab-report').click()
    const alertsBefore = await alerts()
    const vibrationsBefore = await counter('__vibrations')

    const id = await assignedToStaff(`占道堆放杂物（派给个人）${Date.now()}`)
    await card(id).waitFor(SOON)
    // The phone went to the task tab by itself, rang and buzzed, and the tab carries a badge.
    expect(await page.getByTestId('field-tab-tasks').getAttribute('aria-selected')).toBe('true')
    await expect.poll(alerts, SOON).toBe(alertsBefore + 1)
    expect(await counter('__vibrations')).toBe(vibrationsBefore + 1)
    expect(Number(await page.getByTestId('task-badge').getAttribute('data-count'))).toBeGreaterThanOrEqual(1)
    expect(await card(id).getByTestId('case-state').getAttribute('data-state')).toBe('assigned')
    await card(id).getByTestId('case-clock').waitFor()
    await page.screenshot({ path: `${SHOTS}/field-case-routed.png` })

    await card(id).getByTestId('case-start').click()
    await expect.poll(async () => (await get(id)).state, SOON).toBe('handling')
    await card(id).getByTestId('case-arrive').click()
    await expect.poll(async () => (await get(id)).arrivedAt ?? null, SOON).not.toBeNull()

    const uploaded: string[] = []
    page.on('response', async (r) => {
      if (r.url().endsWith('/api/photos') && r.request().method() === 'POST' && r.ok())
        uploaded.push(((await r.json()) as { id: string }).id)
    })
    await card(id).getByTestId('case-resolve').click()
    await card(id).getByTestId('case-note').fill('杂物已清运，通道恢复')
    await card(id).getByTestId('photo-input').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await photoFixture() })
    await card(id).getByTestId('photo-preview').waitFor()
    await page.screenshot({ path: `${SHOTS}/field-case-resolve.png` })
    await card(id).getByTestId('case-send').click()
    await expect.poll(async () => (await get(id)).state, SOON).toBe('resolved')
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor()

    const done = await get(id)
    expect(uploaded).toHaveLength(1)
    expect(done.resultPhotos).toEqual(uploaded)
    const mine = done.history.filter(h => ['start', 'arrive', 'resolve'].includes(h.action))
    expect(mine.map(h => [h.action, h.actor.personId])).toEqual([['start', staff.personId], ['arrive', staff.personId], ['resolve', staff.personId]])
    expect(mine[1]!.data).toMatchObject({ location: { lon: expect.closeTo(s.spot.lon, 5), lat: expect.closeTo(s.spot.lat, 5) } })
    expect(mine[2]!.note).toBe('杂物已清运，通道恢复')
    // The card now shows the result photo beside the state the server answered.
    await expect.poll(() => card(id).getByTestId('case-state').getAttribute('data-state'), SOON).toBe('resolved')
    await card(id).getByTestId('case-after').waitFor()
    await page.screenshot({ path: `${SHOTS}/field-case-resolved.png` })
  })

  it('resolves in a dead spot: one waits in the outbox, and it lands once when the phone is back online', async () => {
    const { page, context } = post
    const id = await assignedToStaff(`井盖缺失（离线办结）${Date.now()}`)
    await card(id).waitFor(SOON)
    await card(id).getByTestId('case-start').click()
    await expect.poll(async () => (await get(id)).state, SOON).toBe('handling')
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor()

    // The service worker holds the shell, so the page opens again without network.
    await page.reload()
    await page.waitForFunction(() => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 })
    await page.locator('html[data-shell="cached"]').waitFor({ timeout: 20_000 })
    await page.getByTestId('field-tab-tasks').click()
    await card(id).waitFor(SOON)

    await context.setOffline(true)
    await card(id).getByTestId('case-resolve').click()
    await card(id).getByTestId('case-note').fill('已放置警示并更换井盖')
    await card(id).getByTestId('case-send').click()
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor()
    await page.getByTestId('offline').waitFor()
    // Closed and opened again in the dead spot: the incident from the phone's cache, the action from IndexedDB.
    await page.reload()
    await page.getByTestId('field-tab-tasks').click()
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor({ timeout: 20_000 })
    // Shown at once as resolved, marked as on its way; the server has not heard of it.
    expect(await card(id).getByTestId('case-state').getAttribute('data-state')).toBe('resolved')
    expect(await card(id).getAttribute('data-pending')).toBe('true')
    await page.screenshot({ path: `${SHOTS}/field-case-offline.png` })
    expect((await get(id)).state).toBe('handling')

    await context.setOffline(false)
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor({ timeout: 30_000 })
    const landed = await get(id)
    expect(landed.state).toBe('resolved')
    expect(landed.history.filter(h => h.action === 'resolve')).toHaveLength(1)
    await expect.poll(() => card(id).getAttribute('data-pending'), SOON).toBe('false')
    expect(realErrors(post)).toEqual([])
  })

  it('says so when someone else acted first, shows the state now, and does not try again', async () => {
    const { page, context } = post
    const id = await assignedToStaff(`违规张贴广告（抢先处理）${Date.now()}`)
    await card(id).waitFor(SOON)
    await card(id).getByTestId('case-start').click()
    await expect.poll(async () => (await get(id)).state, SOON).toBe('handling')
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor()

    // The phone still shows "handling" while the operator hands the incident back to the desk.
    await context.setOffline(true)
    expect((await act(id, { action: 'return', note: '改由社区处理' })).status).toBe(200)
    await card(id).getByTestId('case-resolve').click()
    await card(id).getByTestId('case-note').fill('已清除')
    await card(id).getByTestId('case-send').click()
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor()
    await context.setOffline(false)

    const notice = page.locator(`[data-testid="case-notice"][data-incident="${id}"]`)
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.getAttribute('data-conflict')).toBe('true')
    expect(await notice.getAttribute('data-state')).toBe('accepted')
    expect(await notice.textContent()).toMatch(/已被他人先处理.*办结.*已受理/)
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor()
    await expect.poll(() => card(id).getByTestId('case-state').getAttribute('data-state'), SOON).toBe('accepted')
    // Nothing is left to press on it, and nothing waits to be retried.
    expect(await card(id).locator('button').count()).toBe(0)
    expect(await page.getByTestId('outbox-failed').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/field-case-conflict.png` })
    const after = await get(id)
    expect(after.state).toBe('accepted')
    expect(after.history.filter(h => h.action === 'resolve')).toEqual([])

    await notice.getByTestId('case-notice-ok').click()
    expect(await page.getByTestId('case-notice').count()).toBe(0)
  })
})

describe('my month on the phone', () => {
  it('shows a grid worker the score, tier and rank that GET /api/scores/me computes, with the inputs behind them', async () => {
    const worker = await s.open({ geolocation: { longitude: s.spot.lon, latitude: s.spot.lat } })
    await signInContext(worker.context, s.server.url, 'grid_worker')
    const expected = await (await authed(`${s.server.url}/api/scores/me`, await signIn(s.server.url, 'grid_worker'))).json() as MyScore
    const { page } = worker
    await page.goto(`${s.server.url}/field`)
    await page.getByTestId('report-form').waitFor({ timeout: 20_000 })
    await page.getByTestId('field-tab-me').click()
    await page.locator('[data-testid="my-month"][data-state="ready"]').waitFor(SOON)
    expect(Number(await page.getByTestId('my-score').getAttribute('data-value'))).toBe(expected.score.total)
    expect(await page.getByTestId('my-score').textContent()).toContain(expected.score.total.toFixed(1))
    expect(await page.getByTestId('my-tier').getAttribute('data-key')).toBe(expected.score.tier.key)
    expect((await page.getByTestId('my-tier').textContent())!.trim()).toBe(expected.score.tier.name)
    expect(await page.getByTestId('my-rank').getAttribute('data-rank')).toBe(String(expected.score.rank))
    expect(await page.getByTestId('my-rank').getAttribute('data-of')).toBe(String(expected.of))
    expect(await page.getByTestId('my-dimension').evaluateAll(els => els.map(e => e.getAttribute('data-key')))).toEqual(expected.score.dimensions.map(d => d.key))
    await page.screenshot({ path: `${SHOTS}/field-month.png`, fullPage: true })
    expect(realErrors(worker)).toEqual([])
  })
})

describe('the grid worker\'s phone', () => {
  it('accepts a report in their grid that arrives live, and records the resident\'s feedback on a verified one', async () => {
    const gw = await s.open({ geolocation: { longitude: s.spot.lon, latitude: s.spot.lat } })
    const { page, context } = gw
    await signInContext(context, s.server.url, 'grid_worker')
    await page.goto(`${s.server.url}/field`)
    await page.getByTestId('report-form').waitFor({ timeout: 20_000 })
    await page.getByTestId('field-tab-tasks').click()
    await page.getByTestId('tasks').waitFor()
    const at = (id: string) => page.locator(`[data-testid="case-card"][data-incident="${id}"]`)

    const fresh = await report(s.server, { category: 'garbage', description: `网格内新报（待受理）${Date.now()}`, location: s.spot })
    await at(fresh.id).waitFor(SOON)
    await at(fresh.id).getByTestId('case-accept').click()
    await expect.poll(async () => (await get(fresh.id)).state, SOON).toBe('accepted')
    expect((await get(fresh.id)).history.at(-1)!.actor.role).toBe('grid_worker')

    // Handled and verified elsewhere; the grid worker calls the resident back.
    const id = await assignedToStaff(`网格内待回访 ${Date.now()}`)
    const staffAuth = await signIn(s.server.url, 'post_staff')
    for (const body of [{ action: 'start' }, { action: 'resolve', note: '已处理' }])
      expect((await act(id, body, staffAuth)).status).toBe(200)
    expect((await act(id, { action: 'verify' })).status).toBe(200)
    await page.reload()
    await page.getByTestId('field-tab-tasks').click()
    await at(id).getByTestId('case-feedback').click()
    await at(id).getByTestId('feedback-yes').click()
    await at(id).getByTestId('feedback-contact').selectOption('visit')
    await page.screenshot({ path: `${SHOTS}/field-case-feedback.png` })
    await at(id).getByTestId('case-send').click()
    await expect.poll(async () => (await get(id)).state, SOON).toBe('closed')
    expect(await get(id)).toMatchObject({ satisfied: true, feedbackContact: 'visit' })
    expect(realErrors(gw)).toEqual([])
  })
})
