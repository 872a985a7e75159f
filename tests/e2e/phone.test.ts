import type { Task } from '../../shared/wartime/schema.ts'
import type { AuthHeaders } from '../helpers/app.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { Phone, PhoneServer } from './phone-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed, signIn } from '../helpers/auth.ts'
import { cookieOf, fillReport, forgeFromPage, phoneServer, photoFixture, realErrors, SHOTS, signInContext, signInForm, socketMutation } from './phone-helpers.ts'
import { report, SOON } from './wall-helpers.ts'

// One server and one Chromium for the phone views: the leader opened first stays open, so what the later
// wartime task does reaches it live.
let s: PhoneServer
let server: RunningServer
let operator: AuthHeaders
let spot: PhoneServer['spot']
/** The demo grid worker's phone, signed in by the first field test and used by the later ones. */
let worker: Phone

beforeAll(async () => {
  s = await phoneServer()
  ;({ server, operator, spot } = s)
}, 240_000)

afterAll(() => s?.close())

describe('the leader view (/m)', () => {
  it('shows live figures, and no control on it changes anything', async () => {
    const leader = await s.open()
    const { page, context } = leader
    await signInContext(context, server.url, 'leader')
    const mutations: string[] = []
    const socketSends: string[] = []
    const reads: string[] = []
    page.on('request', (r) => {
      if (['GET', 'HEAD', 'OPTIONS'].includes(r.method())) {
        if (new URL(r.url()).pathname.startsWith('/api/'))
          reads.push(new URL(r.url()).pathname)
        return
      }
      // Socket.IO's long-polling POSTs carry packets: only events that act count.
      if (new URL(r.url()).pathname.startsWith('/socket.io/')) {
        if (/"(?:incident|task|message):/.test(r.postData() ?? ''))
          socketSends.push(r.postData()!)
        return
      }
      mutations.push(`${r.method()} ${r.url()}`)
    })
    page.on('websocket', ws => ws.on('framesent', (f) => {
      if (/"(?:incident|task|message):/.test(String(f.payload)))
        socketSends.push(String(f.payload))
    }))
    await page.goto(`${server.url}/m`)
    await page.locator('[data-testid="m-figures"][data-ready="true"]').waitFor({ timeout: 20_000 })
    const today = Number(await page.getByTestId('m-counter-today').textContent())
    expect(today).toBe(6)
    // The snapshot is asked for once, by page-preload.js beside the JS, before the app checks the session.
    expect(reads.filter(p => p === '/api/snapshot'), `API reads before the figures: ${reads.join(', ')}`).toEqual(['/api/snapshot'])
    expect(reads.indexOf('/api/snapshot'), `API reads before the figures: ${reads.join(', ')}`).toBeLessThan(reads.indexOf('/api/auth/me'))
    await report(server, { category: 'garbage', description: '领导视图实时测试', location: spot })
    await expect.poll(async () => Number(await page.getByTestId('m-counter-today').textContent()), SOON).toBe(today + 1)
    await page.getByTestId('m-incident').filter({ hasText: '领导视图实时测试' }).waitFor(SOON)
    await expect.poll(() => page.getByTestId('m-closure-rate').textContent(), SOON).toMatch(/%|—/)
    await page.screenshot({ path: `${SHOTS}/phone-leader.png` })

    // Every control on every tab: only view controls (marked data-readonly-safe), and pressing them all sends nothing.
    for (const tab of ['incidents', 'map', 'operation', 'incidents']) {
      await page.getByTestId(`m-tab-${tab}`).click()
      if (tab === 'map') {
        await page.locator('[data-testid="m-map"][data-loaded="true"]').waitFor({ timeout: 20_000 })
        // The map has fetched what it draws (style, tiles, glyphs), so the screenshot shows it.
        await page.waitForLoadState('networkidle')
        await page.screenshot({ path: `${SHOTS}/phone-leader-map.png` })
      }
      // Tabs are pressed by this loop, the language switch below; everything else here, now.
      for (const c of await page.locator('button:enabled, input:enabled, select:enabled, textarea:enabled, [contenteditable="true"], form').elementHandles()) {
        const info = await c.evaluate(el => ({ tag: el.tagName, safe: el.hasAttribute('data-readonly-safe'), role: el.getAttribute('role'), id: el.getAttribute('data-testid'), text: el.textContent?.trim() }))
        expect(info, `a control on the leader view that is not a view control: ${JSON.stringify(info)}`).toMatchObject({ tag: 'BUTTON', safe: true })
        if (info.role !== 'tab' && info.id !== 'lang-toggle' && await c.isVisible())
          await c.click()
      }
    }
    // The language switch changes this screen only; twice, back to Chinese.
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.getByTestId('m-tab-map').textContent(), SOON).toBe('Map')
    await page.getByTestId('lang-toggle').click()
    await expect.poll(() => page.getByTestId('m-tab-map').textContent(), SOON).toBe('地图')
    // What pressing a control would send leaves at once; give it a moment to show up before saying nothing did.
    await page.waitForTimeout(500)
    expect(mutations).toEqual([])
    expect(socketSends).toEqual([])
    expect(realErrors(leader)).toEqual([])
    expect(leader.watch.foreignRequests).toEqual([])
  }, 120_000)

  it('answers forged mutations with 403 from a leader session and from a share link, over HTTP and the socket', async () => {
    const target = await report(server, { category: 'garbage', description: '伪造目标', location: spot })
    const leader = s.phones[0]!
    const forged = await forgeFromPage(leader.page, target.id, spot)
    expect(forged).toEqual({ 'report': 403, 'action': 403, 'wartime:declare': 403, 'message': 403, 'share-link': 403, 'photo': 403 })
    const leaderCookie = await cookieOf(leader.context)
    expect(await socketMutation(server.url, leaderCookie, 'incident:report', { opId: 'forged-leader-1', body: { category: 'garbage', description: '伪造', location: spot } })).toBe(403)
    expect(await socketMutation(server.url, leaderCookie, 'incident:action', { opId: 'forged-leader-2', id: target.id, body: { action: 'accept' } })).toBe(403)

    const link = await (await authed(`${server.url}/api/share-links`, operator, { body: { label: '区领导（测试）' } })).json() as { path: string }
    const shared = await s.open()
    await shared.page.goto(`${server.url}${link.path}`)
    await shared.page.locator('[data-testid="m-figures"][data-ready="true"]').waitFor({ timeout: 20_000 })
    await expect.poll(() => new URL(shared.page.url()).search, SOON).toBe('')
    const me = await shared.page.evaluate(async () => (await (await fetch('/api/auth/me')).json()) as { principal: { kind: string }, readOnly: boolean })
    expect(me).toMatchObject({ principal: { kind: 'share' }, readOnly: true })
    expect(await forgeFromPage(shared.page, target.id, spot)).toEqual({ 'report': 403, 'action': 403, 'wartime:declare': 403, 'message': 403, 'share-link': 403, 'photo': 403 })
    const shareCookie = await cookieOf(shared.context)
    expect(await socketMutation(server.url, shareCookie, 'incident:report', { opId: 'forged-share-1', body: { category: 'garbage', description: '伪造', location: spot } })).toBe(403)
    expect(await socketMutation(server.url, shareCookie, 'incident:action', { opId: 'forged-share-2', id: target.id, body: { action: 'accept' } })).toBe(403)
    expect(await s.incidentsWith('伪造上报')).toEqual([])
    expect(await s.incidentsWith('伪造')).toEqual([])
  })
})

describe('the field view (/field)', () => {
  it('signs a grid worker in and reports with a photo; the API and the wall show it', async () => {
    worker = await s.open({ geolocation: { longitude: spot.lon, latitude: spot.lat } })
    const { page } = worker
    // Signed out, the page opens no socket (the server would only refuse it); it opens one once someone signs in.
    const socketRequests: string[] = []
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/socket.io/'))
        socketRequests.push(r.url())
    })
    await page.goto(`${server.url}/field`)
    await page.getByTestId('sign-in').waitFor({ timeout: 20_000 })
    await page.screenshot({ path: `${SHOTS}/phone-field-signin.png` })
    expect(socketRequests).toEqual([])
    // Installable: a manifest that opens the field view standalone, with icons that exist.
    const manifest = await page.evaluate(async () => {
      const href = (globalThis as unknown as { document: { querySelector: (s: string) => { href: string } | null } }).document.querySelector('link[rel="manifest"]')?.href
      const m = href ? await (await fetch(href)).json() as { start_url: string, display: string, icons: { src: string, sizes: string }[] } : null
      const icons = m ? await Promise.all(m.icons.map(async i => `${i.sizes} ${(await fetch(i.src)).headers.get('content-type')}`)) : []
      return { start: m?.start_url, display: m?.display, icons }
    })
    expect(manifest).toEqual({ start: '/field', display: 'standalone', icons: ['192x192 image/png', '512x512 image/png', '512x512 image/png'] })
    await signInForm(page, 'grid_worker')
    await page.getByTestId('report-form').waitFor()
    await expect.poll(() => socketRequests.length, SOON).toBeGreaterThan(0)
    const text = `路边垃圾堆积，附现场照片 ${Date.now()}`
    await fillReport(worker, text, await photoFixture())
    await page.screenshot({ path: `${SHOTS}/phone-field-report.png`, fullPage: false })
    await page.getByTestId('report-submit').click()
    await page.locator('[data-testid="report-notice"][data-state="phone.sent"]').waitFor(SOON)
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor()

    const [incident] = await s.incidentsWith(text)
    expect(incident).toMatchObject({ category: 'garbage', channel: 'grid_worker', state: 'reported' })
    expect(incident!.photos).toHaveLength(1)
    const photo = await authed(`${server.url}/api/incidents/${incident!.id}/photos/${incident!.photos![0]}?size=thumb`, await signIn(server.url, 'wall'))
    expect(photo.status).toBe(200)
    expect(photo.headers.get('content-type')).toBe('image/jpeg')

    // The wall (its demo display session) shows the new report in its feed.
    const wall = await s.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    try {
      const wallPage = await wall.newPage()
      await wallPage.goto(`${server.url}/`)
      await wallPage.getByTestId('feed-desc').filter({ hasText: text }).waitFor({ timeout: 20_000 })
    }
    finally {
      await wall.close()
    }
  })

  it('keeps a report made offline on the phone, through a restart of the app, and sends it once when back online', async () => {
    const { page, context } = worker
    // The service worker has taken the page and stored the shell and this page's chunks.
    await page.reload()
    await page.waitForFunction(() => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 })
    await page.locator('html[data-shell="cached"]').waitFor({ timeout: 20_000 })
    await page.getByTestId('report-form').waitFor()

    await context.setOffline(true)
    const text = `井盖松动（离线上报）${Date.now()}`
    await fillReport(worker, text, await photoFixture())
    await page.getByTestId('report-submit').click()
    await page.locator('[data-testid="report-notice"][data-state="phone.queued"]').waitFor()
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor()
    await page.getByTestId('offline').waitFor()

    // Closed and opened again without network: the shell comes from the service worker, the report from IndexedDB.
    await page.reload()
    await page.locator('[data-testid="outbox-count"][data-count="1"]').waitFor({ timeout: 20_000 })
    await page.screenshot({ path: `${SHOTS}/phone-field-offline.png` })
    expect(await s.incidentsWith(text)).toEqual([])

    await context.setOffline(false)
    await page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor({ timeout: 30_000 })
    const sent = await s.incidentsWith(text)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.photos).toHaveLength(1)
    expect(realErrors(worker)).toEqual([])
  })

  it('retries a report whose answer was lost with the same key: one incident', async () => {
    const lossy = await s.open({ geolocation: { longitude: spot.lon, latitude: spot.lat }, serviceWorkers: 'block' })
    await signInContext(lossy.context, server.url, 'grid_worker')
    let posts = 0
    await lossy.page.route('**/api/incidents', async (route) => {
      if (route.request().method() !== 'POST')
        return route.continue()
      posts++
      if (posts > 1)
        return route.continue()
      await route.fetch() // the server stores it and answers 201 …
      return route.abort('connectionreset') // … and the phone never hears it
    })
    await lossy.page.goto(`${server.url}/field`)
    await lossy.page.getByTestId('report-form').waitFor({ timeout: 20_000 })
    const text = `占道经营（应答丢失）${Date.now()}`
    await fillReport(lossy, text)
    await lossy.page.getByTestId('report-submit').click()
    await lossy.page.locator('[data-testid="report-notice"][data-state="phone.sent"]').waitFor({ timeout: 20_000 })
    expect(posts).toBe(2)
    expect(await s.incidentsWith(text)).toHaveLength(1)
  })

  it('receives a wartime task with a buzz, and its acknowledgement reaches the console', async () => {
    const { page } = worker
    const commander = await signIn(server.url, 'commander')
    const planId = 'e2e-phone-drill'
    const plan = {
      id: planId,
      name: '手机端联调演练',
      hazard: 'rainstorm',
      level: 4,
      suggestedBy: { hazards: ['rainstorm'], minColour: 'blue' },
      deadlineFactor: 1,
      message: '演练：请网格员巡查',
      templates: [{ id: 'patrol', title: '网格巡查', instructions: '巡查网格内低洼路段，发现险情立即上报', rosterRoles: ['worker'], forceKinds: [], roles: [], riskTags: [], communityIds: [s.workerCommunity], ackMinutes: 5, arriveMinutes: 20 }],
      resources: [],
    }
    // A new plan: PUT creates it (201).
    expect((await authed(`${server.url}/api/plans/${planId}`, commander, { method: 'PUT', body: plan })).status).toBe(201)
    expect((await authed(`${server.url}/api/wartime/declare`, commander, { body: { reason: '手机联调演练', planId } })).status).toBe(201)
    expect((await authed(`${server.url}/api/wartime/activate`, commander, { body: { planId } })).status).toBe(200)

    const card = page.getByTestId('task-card').filter({ hasText: '网格巡查' })
    await card.waitFor(SOON)
    const taskId = await card.getAttribute('data-task')
    expect(await page.evaluate(() => (globalThis as unknown as { __vibrations: number }).__vibrations)).toBe(1)
    expect(await page.evaluate(() => (globalThis as unknown as { __onescreenField?: { alerts: number } }).__onescreenField?.alerts ?? 0)).toBe(1)
    const consoleTask = async () => ((await (await authed(`${server.url}/api/wartime`, commander)).json()) as { tasks: Task[] }).tasks.find(t => t.id === taskId)
    // The phone's receipt: the console sees "delivered" before anyone pressed anything.
    await expect.poll(async () => (await consoleTask())?.state, SOON).toBe('delivered')
    await page.screenshot({ path: `${SHOTS}/phone-field-task.png` })

    await card.getByTestId('task-next').click()
    await expect.poll(async () => (await consoleTask())?.state, SOON).toBe('acknowledged')
    await expect.poll(() => card.getByTestId('task-state').textContent(), SOON).toBe('已收到')
    expect((await consoleTask())!.ackAt).not.toBeNull()
  })

  it('shows the leader the operation and who acknowledged', async () => {
    const leader = s.phones[0]!
    await leader.page.getByTestId('m-tab-operation').click()
    await expect.poll(() => leader.page.getByTestId('mode').getAttribute('data-mode'), SOON).toBe('war')
    await expect.poll(async () => Number(await leader.page.getByTestId('m-op-acked').textContent()), SOON).toBe(1)
    await leader.page.screenshot({ path: `${SHOTS}/phone-leader-operation.png` })
    await worker.page.getByTestId('field-tab-grid').click()
    await worker.page.getByTestId('m-incidents').waitFor()
    // The photo reported earlier, as a thumbnail served through its incident.
    await worker.page.waitForFunction(() => [...(globalThis as unknown as { document: { querySelectorAll: (s: string) => Iterable<{ naturalWidth: number }> } }).document.querySelectorAll('[data-testid="m-incident-photo"]')].some(img => img.naturalWidth > 0), undefined, SOON)
    await worker.page.screenshot({ path: `${SHOTS}/phone-field-grid.png` })

    // Patrol check-in goes through the outbox too, and lands in the worker's patrol record.
    const patrolsBefore = await worker.page.evaluate(async () => (await (await fetch('/api/patrols/me')).json() as unknown[]).length)
    await worker.page.getByTestId('patrol').click()
    await worker.page.locator('[data-testid="outbox-count"][data-count="0"]').waitFor()
    await expect.poll(() => worker.page.evaluate(async () => (await (await fetch('/api/patrols/me')).json() as unknown[]).length), SOON).toBe(patrolsBefore + 1)
    expect(await worker.page.getByTestId('outbox-failed').count()).toBe(0)
  })
})
