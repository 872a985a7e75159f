import type { AuthHeaders } from '../helpers/app.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { PhoneServer } from './phone-helpers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authed } from '../helpers/auth.ts'
import { cookieOf, forgeFromPage, phoneServer, realErrors, SHOTS, signInContext, socketMutation } from './phone-helpers.ts'
import { report, SOON } from './wall-helpers.ts'

let s: PhoneServer
let server: RunningServer
let operator: AuthHeaders
let spot: PhoneServer['spot']

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
    page.on('request', (r) => {
      if (['GET', 'HEAD', 'OPTIONS'].includes(r.method()))
        return
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
