// How soon an assignment made on the desk shows on the assignee's phone (#14): from the desk's confirm click to
// the incident's card in the phone's task list. Baseline, same run and same assignment: a bare Socket.IO client
// signed in as the same person, timed when `incident:routed` arrives (the server and transport floor).
import type { Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import type { ServerToClientEvents } from '../shared/realtime/events.ts'
import type { GridFeature } from '../tests/e2e/wall-helpers.ts'
import type { BenchOptions, BenchResult } from './lib/common.ts'
import { io } from 'socket.io-client'
import { demoPassword } from '../server/auth/accounts.ts'
import { ensureClientBuilt } from '../tests/e2e/client-build.ts'
import { insideGrid } from '../tests/e2e/wall-helpers.ts'
import { authed, signIn } from '../tests/helpers/auth.ts'
import { launchBrowser } from '../tests/helpers/browser.ts'
import { startServer } from '../tests/helpers/server.ts'
import { median, ms, now, times } from './lib/common.ts'
import { clockOffset, PAGE_WATCH } from './wall-reaction.ts'

/** The card is on the phone within this many times the bare socket's arrival. */
const GOAL = 3

export async function deskAssignPhone(opts: BenchOptions): Promise<BenchResult> {
  const rounds = opts.long ? 20 : 8
  await ensureClientBuilt()
  const server = await startServer()
  const browser = await launchBrowser()
  const errors: string[] = []
  try {
    const operator = await signIn(server.url, 'operator')
    const handlerAuth = await signIn(server.url, 'post_staff')
    const me = await (await authed(`${server.url}/api/auth/me`, handlerAuth)).json() as { principal: { personId: string, name: string } }
    const handler = me.principal
    const worker = await (await authed(`${server.url}/api/auth/me`, await signIn(server.url, 'grid_worker'))).json() as { principal: { gridIds: string[] } }
    const territory = await (await authed(`${server.url}/api/territory`, operator)).json() as { grids: { features: GridFeature[] } }
    const center = insideGrid(territory.grids.features.find(g => g.properties.id === worker.principal.gridIds[0])!)

    // The assignee's phone, on its task list; the operator's desk.
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    await phoneCtx.addInitScript(PAGE_WATCH)
    await phoneCtx.request.post(`${server.url}/api/auth/login`, { data: { username: 'post_staff', password: demoPassword('post_staff') } })
    const phone = await phoneCtx.newPage()
    await phone.goto(`${server.url}/field`)
    await phone.getByTestId('field-tab-tasks').click()
    const deskCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    await deskCtx.request.post(`${server.url}/api/auth/login`, { data: { username: 'operator', password: demoPassword('operator') } })
    const desk = await deskCtx.newPage()
    const offset = await clockOffset(phone)

    // The bare baseline: the same person's session on a plain socket.
    const bare: Socket<ServerToClientEvents> = io(server.url, { transports: ['websocket'], extraHeaders: { cookie: handlerAuth.cookie }, auth: { stream: false } })
    const arrivals = new Map<string, number>()
    bare.on('incident:routed', n => arrivals.set(n.incident.id, arrivals.get(n.incident.id) ?? now()))
    await new Promise<void>(resolve => bare.on('connect', () => resolve()))

    const onPhone: number[] = []
    const onSocket: number[] = []
    for (let i = 0; i < rounds; i++) {
      const made = await authed(`${server.url}/api/incidents`, operator, { body: { category: 'volunteer_request', description: `派单到手机 ${i}`, location: center } })
      const id = (await made.json() as { id: string }).id
      await authed(`${server.url}/api/incidents/${id}/actions`, operator, { body: { action: 'accept' } })
      await desk.goto(`${server.url}/desk?id=${id}`)
      await desk.locator('[data-testid="detail-state"][data-state="accepted"]').waitFor({ timeout: 20_000 })
      await desk.getByTestId('act-assign').click()
      const option = desk.locator('[data-testid="assignee-select"] option', { hasText: handler.name })
      await desk.getByTestId('assignee-select').selectOption((await option.first().getAttribute('value'))!)
      await arm(phone, `[data-testid="case-card"][data-incident="${id}"]`)
      const t0 = now()
      await desk.getByTestId('action-confirm').click()
      const seen = await phone.evaluate(() => (globalThis as unknown as { __armed: Promise<number> }).__armed)
      const visible = seen - offset - t0
      for (let w = 0; w < 100 && !arrivals.has(id); w++) await new Promise(r => setTimeout(r, 20))
      const socketAt = arrivals.get(id)
      if (socketAt === undefined) {
        errors.push(`round ${i}: the bare socket never heard of ${id}`)
        continue
      }
      onPhone.push(visible)
      onSocket.push(socketAt - t0)
    }
    bare.close()
    const ratio = median(onPhone) / median(onSocket)
    return {
      name: `desk-assign-phone (${rounds} assignments on the operator's desk to ${handler.name}'s phone; Chromium, real server)`,
      rows: [
        { metric: 'desk confirm → card on the assignee\'s phone, median', value: ms(median(onPhone)), baseline: `${ms(median(onSocket))} bare socket hears it`, ratio: times(ratio), goal: `≤ ${GOAL}×`, pass: ratio <= GOAL },
        { metric: 'desk confirm → card on the phone, worst', value: ms(Math.max(...onPhone)), baseline: ms(Math.max(...onSocket)), ratio: times(Math.max(...onPhone) / Math.max(...onSocket)), goal: '', pass: null },
      ],
      errors,
      notes: ['both sides timed from just before the desk\'s confirm click; the phone in the page (a MutationObserver, its clock corrected NTP-style), the bare socket in the bench process'],
    }
  }
  finally {
    await browser.close()
    await server.stop()
  }
}

async function arm(page: Page, selector: string): Promise<void> {
  await page.evaluate(s => (globalThis as unknown as { __arm: (s: string, t: string, e: boolean) => void }).__arm(s, '', false), selector)
}
