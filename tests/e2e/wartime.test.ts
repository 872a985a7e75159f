import type { Browser, Page } from 'playwright-core'
import type { Operation, Task } from '../../shared/wartime/schema.ts'
import type { PageWatch } from '../helpers/browser.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { Wall } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_INTEGRATION_KEY } from '../../server/auth/accounts.ts'
import { buildCuntanReference } from '../../server/territory/cuntan/reference.ts'
import { julyRainstormCap } from '../../shared/cap/samples.ts'
import { JULY_RAINSTORM_PLAN } from '../../shared/wartime/default-plans.ts'
import { matchPlan } from '../../shared/wartime/plans.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { watcher } from '../helpers/socket.ts'
import { closeWall, hooks, openWall, SOON } from './wall-helpers.ts'

const SHOTS = 'artifacts/screenshots'

/** A responder's phone: enrolled by the admin, signed in with its device token, connected over Socket.IO. */
async function phone(url: string, personId: string) {
  const made = await authed(`${url}/api/enrolments`, await signIn(url, 'admin'), { body: { personId } })
  expect(made.status).toBe(201)
  const opened = await fetch(`${url}/api/auth/device`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: ((await made.json()) as { token: string }).token }) })
  expect(opened.status).toBe(200)
  const cookie = opened.headers.getSetCookie().map(c => c.split(';')[0]!).find(c => c.startsWith('os_sid='))!
  const w = watcher(url, null, cookie)
  await w.ready
  return w
}

describe('the wall in wartime', () => {
  let wall: Wall
  let server: RunningServer
  let browser: Browser
  let page: Page
  let watch: PageWatch
  const board = () => page.getByTestId('board-ack')

  beforeAll(async () => {
    wall = await openWall()
    ;({ server, browser, page, watch } = wall)
  }, 180_000)

  afterAll(() => closeWall(wall))

  it('shows a red rainstorm warning as a proposal, with no control for the read-only wall', async () => {
    const res = await fetch(`${server.url}/api/cap`, { method: 'POST', headers: { 'content-type': 'application/xml', 'authorization': `Bearer ${DEMO_INTEGRATION_KEY}` }, body: julyRainstormCap(new Date()) })
    expect(res.status).toBeLessThan(300)
    await expect.poll(() => page.getByTestId('wartime-proposal').textContent(), SOON).toMatch(/建议：以《.+》宣布战时/)
    await expect.poll(() => page.getByTestId('weather-warning').getAttribute('data-colour'), SOON).toBe('red')
    expect(await page.getByTestId('mode').textContent()).toContain('平时')
    // The wall display is read-only: no button that changes anything.
    expect(await page.getByTestId('wartime-declare').count()).toBe(0)
    expect(await page.getByTestId('wartime-drill').count()).toBe(0)
  })

  it('gives a signed-in commander the decision and the drill, and no one else', async () => {
    const commander = await signIn(server.url, 'commander')
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    await context.addCookies([{ name: 'os_sid', value: commander.cookie.split('=')[1]!, url: server.url }])
    const desk = await context.newPage()
    await desk.goto(`${server.url}/`)
    await desk.getByTestId('wartime-declare').waitFor({ timeout: 20_000 })
    await desk.getByTestId('wartime-drill').waitFor()
    await hooks(desk).mapReady()
    mkdirSync(SHOTS, { recursive: true })
    await desk.screenshot({ path: `${SHOTS}/wall-proposal-1920.png` })
    await context.close()
  })

  it('switches to the emergency layout when the commander declares and activates, with the board at 0/N', async () => {
    const commander = await signIn(server.url, 'commander')
    const { warnings } = await (await authed(`${server.url}/api/wartime`, commander)).json() as { warnings: { id: string, proposal: { planId: string } | null }[] }
    const warning = warnings.find(w => w.proposal)!
    expect(warning.proposal!.planId).toBe(JULY_RAINSTORM_PLAN.id)
    expect((await authed(`${server.url}/api/wartime/declare`, commander, { body: { reason: '暴雨红色预警', warningId: warning.id, planId: warning.proposal!.planId } })).status).toBe(201)
    const activated = await authed(`${server.url}/api/wartime/activate`, commander, { body: { planId: warning.proposal!.planId } })
    expect(activated.status).toBe(200)
    const op = await activated.json() as Operation
    // One task per person the plan reaches in the Cuntan reference every demo server starts from.
    const reached = new Set(matchPlan(JULY_RAINSTORM_PLAN, buildCuntanReference()).map(a => a.personId)).size
    expect(reached).toBeGreaterThan(0)
    expect(op.taskCount).toBe(reached)
    // How soon it switches is measured in bench/wall-reaction.ts (`npm run bench -- --only=reaction`).
    await page.getByTestId('wartime-layout').waitFor(SOON)
    await expect.poll(() => board().getAttribute('data-total'), SOON).toBe(String(op.taskCount))
    expect(await board().textContent()).toBe(`0/${op.taskCount}`)
    expect(await page.getByTestId('mode').textContent()).toContain('战时')
    await expect.poll(() => page.getByTestId('operation-clock').textContent(), SOON).toMatch(/^00:0\d:\d{2}$/)
    expect(await page.getByTestId('checklist-row').count()).toBe(JULY_RAINSTORM_PLAN.templates.length)
    // Nobody's phone is connected yet: every responder is unreachable.
    expect(await page.getByTestId('board-unreachable').getAttribute('data-count')).toBe(String(reached))
    // Peacetime panels are gone; the read-only wall still has no control.
    expect(await page.getByTestId('feed-item').count()).toBe(0)
    expect(await page.getByTestId('wartime-end').count()).toBe(0)
  })

  it('fills the board live when a responder acknowledges, and shows a silent phone as unreachable', async () => {
    const commander = await signIn(server.url, 'commander')
    const { tasks } = await (await authed(`${server.url}/api/wartime`, commander)).json() as { tasks: Task[] }
    const task = tasks[0]!
    const silentBefore = Number(await page.getByTestId('board-unreachable').getAttribute('data-count'))
    const p = await phone(server.url, task.assigneeId)
    await expect.poll(async () => Number(await page.getByTestId('board-unreachable').getAttribute('data-count')), SOON).toBe(silentBefore - 1)
    const ack = await p.socket.timeout(5000).emitWithAck('task:status', { opId: `ack-${task.id}`, id: task.id, body: { state: 'acknowledged' } })
    expect(ack.ok).toBe(true)
    await expect.poll(() => board().getAttribute('data-ack'), SOON).toBe('1')
    expect(await board().textContent()).toBe(`1/${tasks.length}`)
    await expect.poll(() => page.getByTestId('checklist-row').filter({ hasText: /\b1\/\d+/ }).count(), SOON).toBe(1)
    p.close()
    await expect.poll(async () => Number(await page.getByTestId('board-unreachable').getAttribute('data-count')), SOON).toBe(silentBefore)
  })

  it('leaves a screenshot of the emergency layout at 1920×1080', async () => {
    mkdirSync(SHOTS, { recursive: true })
    await hooks(page).idle()
    await page.screenshot({ path: `${SHOTS}/wall-wartime-1920.png` })
  })

  it('goes back to the peacetime layout when the commander ends wartime', async () => {
    const res = await authed(`${server.url}/api/wartime/end`, await signIn(server.url, 'commander'), { body: { reason: '预警解除' } })
    expect(res.status).toBe(200)
    await page.getByTestId('wartime-layout').waitFor({ state: 'detached', ...SOON })
    await expect.poll(() => page.getByTestId('mode').textContent(), SOON).toContain('平时')
    await page.getByTestId('closure-rate').waitFor()
    expect(watch.errors).toEqual([])
    expect(watch.foreignRequests).toEqual([])
  })
})
