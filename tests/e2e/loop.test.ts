import type { Browser, Page } from 'playwright-core'
import type { Principal } from '../../shared/auth/authz.ts'
import type { Incident, IncidentWithHistory } from '../../shared/incident/schema.ts'
import type { AuthHeaders } from '../helpers/app.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { Phone } from './phone-helpers.ts'
import type { GridFeature } from './wall-helpers.ts'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoPassword } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'
import { phone, photoFixture, SHOTS, signInForm } from './phone-helpers.ts'
import { insideGrid, SOON } from './wall-helpers.ts'

// The closed loop worked only through the screens (#14): a grid worker reports on the phone, the community's desk
// accepts and assigns to a person, that person's phone handles it, the desk verifies and records the feedback;
// the wall shows each step live. Then the mooncake case: one joint case worked by two posts in parallel.
// The API is only read here, to check what the screens did.

let server: RunningServer
let browser: Browser
let operator: AuthHeaders
let wall: Page

async function incident(id: string): Promise<IncidentWithHistory> {
  return await (await authed(`${server.url}/api/incidents/${id}`, operator)).json() as IncidentWithHistory
}

/** The incident with this description, once the server has it. */
async function reported(description: string): Promise<Incident> {
  let found: Incident | undefined
  await expect.poll(async () => {
    const snap = await (await authed(`${server.url}/api/snapshot`, operator)).json() as { incidents: Incident[] }
    found = snap.incidents.find(i => i.description === description)
    return !!found
  }, SOON).toBe(true)
  return found!
}

/** What the wall holds for the incident, as it shows it. */
function onWall(id: string): Promise<string | null> {
  return wall.evaluate(i => (globalThis as unknown as { __onescreen?: { incidentState: (id: string) => { state: string } | null } }).__onescreen?.incidentState(i)?.state ?? null, id)
}

async function desk(username: string | { token: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  if (typeof username === 'string') {
    await page.goto(`${server.url}/desk`)
    await page.locator('[data-testid="sign-in-dialog"] input[name="username"]').fill(username)
    await page.locator('[data-testid="sign-in-dialog"] input[name="password"]').fill(demoPassword(username))
    await page.getByTestId('sign-in-submit').click()
  }
  else {
    // A person without a demo account: their desk is enrolled once by the admin, as a device.
    expect((await context.request.post(`${server.url}/api/auth/device`, { data: { token: username.token } })).status()).toBe(200)
    await page.goto(`${server.url}/desk`)
  }
  await page.getByTestId('desk-queue').waitFor(SOON)
  return page
}

async function enrol(personId: string): Promise<{ token: string }> {
  const res = await authed(`${server.url}/api/enrolments`, await signIn(server.url, 'admin'), { body: { personId } })
  expect(res.status).toBe(201)
  return await res.json() as { token: string }
}

const item = (page: Page, id: string) => page.locator(`[data-testid="queue-item"][data-id="${id}"]`)
const stateIs = (page: Page, state: string) => page.locator(`[data-testid="detail-state"][data-state="${state}"]`).waitFor(SOON)

async function act(page: Page, action: string, fill?: (page: Page) => Promise<void>): Promise<void> {
  await page.getByTestId(`act-${action}`).click()
  if (fill) {
    await fill(page)
    await page.getByTestId('action-confirm').click()
  }
}

beforeAll(async () => {
  await ensureClientBuilt()
  server = await startServer()
  operator = await signIn(server.url, 'operator')
  browser = await launchBrowser()
  // The wall is watched for its state, not its looks (tests/e2e/wall.test.ts): a small window keeps the software-
  // rendered map cheap.
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' })
  wall = await context.newPage()
  await wall.goto(`${server.url}/`)
  await wall.getByTestId('connection-state').and(wall.locator('[data-state="connected"]')).waitFor({ timeout: 20_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the peacetime loop, through the screens only', () => {
  it('phone report → desk accept and assign to a person → their phone starts and resolves → desk verifies and records feedback → closed', async () => {
    const me = async (u: string) => ((await (await authed(`${server.url}/api/auth/me`, await signIn(server.url, u))).json()) as { principal: Principal }).principal
    const [worker, staff, handler] = [await me('grid_worker'), await me('community_staff'), await me('post_staff')]
    const territory = await (await authed(`${server.url}/api/territory`, operator)).json() as { grids: { features: GridFeature[] } }
    const home = territory.grids.features.find(g => g.properties.id === worker.gridIds[0])!
    const spot = insideGrid(home)

    // 1. The grid worker reports on the phone, with a photo.
    const gw: Phone = await phone(browser, { geolocation: { longitude: spot.lon, latitude: spot.lat } })
    await gw.page.goto(`${server.url}/field`)
    await signInForm(gw.page, 'grid_worker')
    await gw.page.getByTestId('report-form').waitFor(SOON)
    await gw.page.locator('[data-testid="category-select"] option[value="volunteer_request"]').waitFor({ state: 'attached' })
    await gw.page.getByTestId('category-select').selectOption('volunteer_request')
    await gw.page.locator('[data-testid="location-text"][data-ready="true"]').waitFor(SOON)
    const description = `独居老人家中灯泡坏了，需要志愿者上门更换 ${Date.now()}`
    await gw.page.getByTestId('description').fill(description)
    await gw.page.getByTestId('photo-input').setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: await photoFixture() })
    await gw.page.getByTestId('photo-preview').first().waitFor()
    await gw.page.getByTestId('report-submit').click()
    await gw.page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor(SOON)
    const inc = await reported(description)
    expect(inc).toMatchObject({ state: 'reported', reporterId: worker.personId, owner: { loop: 'community', communityId: staff.communityId, postId: 'party.mass' } })
    expect(inc.photos).toHaveLength(1)
    await expect.poll(() => onWall(inc.id), SOON).toBe('reported')

    // 2. The community's desk: it arrives in 待受理 live; accept, then assign to a person by name.
    const page = await desk('community_staff')
    await page.getByTestId('tab-intake').click()
    await item(page, inc.id).click()
    await stateIs(page, 'reported')
    await act(page, 'accept')
    await stateIs(page, 'accepted')
    await expect.poll(() => onWall(inc.id), SOON).toBe('accepted')
    await act(page, 'assign', async (p) => {
      const option = p.locator('[data-testid="assignee-select"] option', { hasText: handler.name })
      await p.getByTestId('assignee-select').selectOption((await option.first().getAttribute('value'))!)
    })
    await stateIs(page, 'assigned')
    expect((await incident(inc.id)).owner.assigneeId).toBe(handler.personId)
    await expect.poll(() => onWall(inc.id), SOON).toBe('assigned')

    // 3. The person's phone shows it; they start and resolve it with a photo of the result.
    const ps: Phone = await phone(browser)
    await ps.page.goto(`${server.url}/field`)
    await signInForm(ps.page, 'post_staff')
    await ps.page.getByTestId('field-tab-tasks').click()
    const card = ps.page.locator(`[data-testid="case-card"][data-incident="${inc.id}"]`)
    await card.waitFor(SOON)
    await card.getByTestId('case-start').click()
    await expect.poll(() => onWall(inc.id), SOON).toBe('handling')
    await card.getByTestId('case-resolve').click()
    await card.getByTestId('case-note').fill('已上门更换灯泡，老人满意')
    const after = await sharp(await photoFixture()).flop().jpeg().toBuffer()
    await card.getByTestId('photo-input').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: after })
    await card.getByTestId('photo-preview').waitFor()
    await card.getByTestId('case-send').click()
    await ps.page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor(SOON)
    await expect.poll(() => onWall(inc.id), SOON).toBe('resolved')
    await ps.page.screenshot({ path: `${SHOTS}/loop-phone-resolved.png` })

    // 4. The desk sees it resolved live, verifies, and records the resident's feedback: closed.
    await stateIs(page, 'resolved')
    await act(page, 'verify')
    await stateIs(page, 'verified')
    await act(page, 'feedback', async (p) => {
      await p.getByTestId('satisfied-yes').check()
      await p.getByTestId('contact-select').selectOption('phone')
    })
    await stateIs(page, 'closed')
    await expect.poll(() => onWall(inc.id), SOON).toBe('closed')

    // The timeline names every actor; the record agrees, step by step.
    const timeline = await page.getByTestId('timeline').textContent()
    for (const name of [worker.name, staff.name, handler.name])
      expect(timeline).toContain(name)
    await page.screenshot({ path: `${SHOTS}/loop-desk-closed.png` })
    const done = await incident(inc.id)
    expect(done.history.map(h => [h.action, h.actor.personId])).toEqual([
      ['report', worker.personId],
      ['accept', staff.personId],
      ['assign', staff.personId],
      ['start', handler.personId],
      ['resolve', handler.personId],
      ['verify', staff.personId],
      ['feedback', staff.personId],
    ])
    expect(done).toMatchObject({ state: 'closed', satisfied: true, feedbackContact: 'phone' })
    expect(done.resultPhotos).toHaveLength(1)
    expect(done.resultPhotos![0]).not.toBe(done.photos![0])
  }, 180_000)

  it('the mooncake case: one joint case worked by the law-enforcement and business-environment posts in parallel', async () => {
    const ref = await (await authed(`${server.url}/api/reference`, operator)).json() as { org: { people: { id: string, name: string, postId?: string }[] } }
    const law = ref.org.people.find(p => p.postId === 'safety.law_enforcement')!
    const business = ref.org.people.find(p => p.postId === 'economy.business_env')!
    const territory = await (await authed(`${server.url}/api/territory`, operator)).json() as { grids: { features: GridFeature[] } }
    const worker = ((await (await authed(`${server.url}/api/auth/me`, await signIn(server.url, 'grid_worker'))).json()) as { principal: Principal }).principal
    const spot = insideGrid(territory.grids.features.find(g => g.properties.id === worker.gridIds[0])!)

    // Reported on a phone: expired mooncakes on sale (the source's case), routed to the subdistrict.
    const gw: Phone = await phone(browser, { geolocation: { longitude: spot.lon, latitude: spot.lat } })
    await gw.page.goto(`${server.url}/field`)
    await signInForm(gw.page, 'grid_worker')
    await gw.page.locator('[data-testid="category-select"] option[value="expired_food"]').waitFor({ state: 'attached', ...SOON })
    await gw.page.getByTestId('category-select').selectOption('expired_food')
    await gw.page.locator('[data-testid="location-text"][data-ready="true"]').waitFor(SOON)
    const description = `超市在售过期月饼，需执法与营商环境岗联合处置 ${Date.now()}`
    await gw.page.getByTestId('description').fill(description)
    await gw.page.getByTestId('report-submit').click()
    await gw.page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor(SOON)
    const inc = await reported(description)
    expect(inc.owner).toMatchObject({ loop: 'subdistrict', sectorId: 'safety', postId: 'safety.law_enforcement', helperSectorIds: ['economy'] })

    // The duty operator confirms the routing: accept, then assign to the routed post, two clicks.
    const ops = await desk('operator')
    await ops.getByTestId('tab-intake').click()
    await item(ops, inc.id).click()
    await stateIs(ops, 'reported')
    await act(ops, 'accept')
    await stateIs(ops, 'accepted')
    await ops.getByTestId('act-assign-routed').click()
    await stateIs(ops, 'assigned')

    // Both posts have it on their desks at once: the lead post by ownership, the helper post by its sector.
    const lead = await desk(await enrol(law.id))
    const helper = await desk(await enrol(business.id))
    for (const p of [lead, helper]) {
      await p.getByTestId('tab-handling').click()
      await item(p, inc.id).click()
      await stateIs(p, 'assigned')
    }
    await act(lead, 'start')
    await stateIs(lead, 'handling')
    await stateIs(helper, 'handling')
    // In parallel: each records what their post did.
    await Promise.all([
      act(lead, 'progress', p => p.getByTestId('action-note').fill('执法队员到场，查封过期月饼 46 盒')),
      act(helper, 'progress', p => p.getByTestId('action-note').fill('约谈超市负责人，指导建立临期食品台账')),
    ])
    await expect.poll(async () => (await incident(inc.id)).history.filter(h => h.action === 'progress').length, SOON).toBe(2)
    await act(lead, 'resolve', p => p.getByTestId('action-note').fill('过期月饼已下架销毁，商户已整改'))
    await stateIs(lead, 'resolved')
    await expect.poll(() => onWall(inc.id), SOON).toBe('resolved')

    const done = await incident(inc.id)
    const progress = done.history.filter(h => h.action === 'progress').map(h => h.actor.personId).sort()
    expect(progress).toEqual([law.id, business.id].sort())
    expect(done.history.at(-1)).toMatchObject({ action: 'resolve', actor: { personId: law.id } })
    await stateIs(ops, 'resolved')
    const timeline = await ops.getByTestId('timeline').textContent()
    expect(timeline).toContain(law.name)
    expect(timeline).toContain(business.name)
    await ops.screenshot({ path: `${SHOTS}/loop-mooncake-operator.png` })
  }, 180_000)

  it('tells a grid worker in Chinese why a report outside their grid was refused, keeping the server\'s words as a tooltip', async () => {
    const worker = ((await (await authed(`${server.url}/api/auth/me`, await signIn(server.url, 'grid_worker'))).json()) as { principal: Principal }).principal
    const territory = await (await authed(`${server.url}/api/territory`, operator)).json() as { grids: { features: GridFeature[] } }
    const elsewhere = insideGrid(territory.grids.features.find(g => !worker.gridIds.includes(g.properties.id))!)
    const gw: Phone = await phone(browser, { geolocation: { longitude: elsewhere.lon, latitude: elsewhere.lat } })
    await gw.page.goto(`${server.url}/field`)
    await signInForm(gw.page, 'grid_worker')
    await gw.page.locator('[data-testid="category-select"] option[value="garbage"]').waitFor({ state: 'attached', ...SOON })
    await gw.page.getByTestId('category-select').selectOption('garbage')
    await gw.page.locator('[data-testid="location-text"][data-ready="true"]').waitFor(SOON)
    await gw.page.getByTestId('description').fill('别的网格的垃圾')
    await gw.page.getByTestId('report-submit').click()
    const reason = gw.page.getByTestId('outbox-reason')
    await reason.waitFor(SOON)
    expect(await reason.textContent()).toContain('超出您的辖区或权限')
    expect(await reason.getAttribute('title')).toMatch(/outside the caller's territory/)
    await gw.page.screenshot({ path: `${SHOTS}/loop-phone-refused.png` })
  }, 60_000)
})
