import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import type { Incident } from '../../shared/incident/schema.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.ts'
import type { AuthHeaders } from '../helpers/app.ts'
import type { PageWatch } from '../helpers/browser.ts'
import type { RunningServer } from '../helpers/server.ts'
import type { GridFeature } from './wall-helpers.ts'
import { mkdirSync } from 'node:fs'
import sharp from 'sharp'
import { io } from 'socket.io-client'
import { demoPassword } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'
import { insideGrid, report } from './wall-helpers.ts'

export const SHOTS = 'artifacts/screenshots'
export interface Phone { context: BrowserContext, page: Page, watch: PageWatch }

/** A phone: 390×844 CSS px at 2× (an iPhone 12–15 class screen), touch, Chinese, optionally with a GPS fix. */
export async function phone(browser: Browser, opts: { geolocation?: { longitude: number, latitude: number }, serviceWorkers?: 'allow' | 'block' } = {}): Promise<Phone> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    serviceWorkers: opts.serviceWorkers ?? 'allow',
    ...(opts.geolocation ? { geolocation: opts.geolocation, permissions: ['geolocation'] } : {}),
  })
  // Count vibrations: a wartime task must buzz the phone.
  await context.addInitScript(`
    window.__vibrations = 0
    Object.defineProperty(navigator, 'vibrate', { value: () => ++window.__vibrations > 0, configurable: true })
  `)
  const watch = await watchPage(context)
  return { context, page: await context.newPage(), watch }
}

/** Signs the context in over HTTP (the cookie lands in the browser's jar). */
export async function signInContext(context: BrowserContext, url: string, username: string): Promise<void> {
  const res = await context.request.post(`${url}/api/auth/login`, { data: { username, password: demoPassword(username) } })
  if (res.status() !== 200)
    throw new Error(`sign-in as ${username}: ${res.status()}`)
}

/** Signs in through the field view's own form. */
export async function signInForm(page: Page, username: string): Promise<void> {
  await page.getByTestId('username').fill(username)
  await page.getByTestId('password').fill(demoPassword(username))
  await page.getByTestId('sign-in-submit').click()
}

/** A small camera-like JPEG: 1200×900 with a red block, so a thumbnail has something to show. */
export async function photoFixture(): Promise<Buffer> {
  const block = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#dc2626' } }).png().toBuffer()
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: '#64748b' } }).composite([{ input: block, left: 100, top: 100 }]).jpeg({ quality: 90 }).toBuffer()
}

/** The session cookie of a browser context, as a Cookie header. */
export async function cookieOf(context: BrowserContext): Promise<string> {
  const c = (await context.cookies()).find(x => x.name === 'os_sid')
  if (!c)
    throw new Error('no session cookie')
  return `os_sid=${c.value}`
}

/** Emits an incident mutation over a socket opened with `cookie`; answers the ack's status (200 when allowed). */
export async function socketMutation(url: string, cookie: string, event: 'incident:report' | 'incident:action', req: unknown): Promise<number> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } })
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('connect_error', reject)
    })
    const res = await (socket.timeout(5000) as unknown as { emitWithAck: (e: string, r: unknown) => Promise<{ ok: boolean, status?: number }> }).emitWithAck(event, req)
    return res.ok ? 200 : res.status ?? 0
  }
  finally {
    socket.close()
  }
}

/** Forged mutations from inside a page, with the page's own session and CSRF token: each answer's status. */
export async function forgeFromPage(page: Page, incidentId: string, location: { lon: number, lat: number }): Promise<Record<string, number>> {
  return page.evaluate(async ({ incidentId, location }) => {
    const me = await (await fetch('/api/auth/me')).json() as { csrf: string }
    const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrf }
    const post = async (url: string, body: unknown) => (await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })).status
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array([0xFF, 0xD8, 0xFF])], { type: 'image/jpeg' }), 'x.jpg')
    return {
      'report': await post('/api/incidents', { category: 'garbage', description: '伪造上报', location }),
      'action': await post(`/api/incidents/${incidentId}/actions`, { action: 'accept' }),
      'wartime:declare': await post('/api/wartime/declare', { reason: '伪造' }),
      'message': await post('/api/messages', { text: '伪造', all: true }),
      'share-link': await post('/api/share-links', { label: '伪造' }),
      'photo': (await fetch('/api/photos', { method: 'POST', headers: { 'x-csrf-token': me.csrf }, body: form })).status,
    }
  }, { incidentId, location })
}

/** Network failures are expected while a phone is offline; anything else logged as an error is a bug. */
export function realErrors(p: Phone): string[] {
  return p.watch.errors.filter(e => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION|Failed to fetch|net::ERR_FAILED|WebSocket/.test(e))
  // Not signed in yet: /api/auth/me answers 401, which is how the page learns it must show the sign-in form.
    .filter(e => !/401/.test(e))
}

/** Fills the field view's report form (garbage, the phone's GPS fix, `description`, optionally a photo). */
export async function fillReport(p: Phone, description: string, photo?: Buffer): Promise<void> {
  const { page } = p
  await page.getByTestId('field-tab-report').click()
  await page.locator('[data-testid="category-select"] option[value="garbage"]').waitFor({ state: 'attached' })
  await page.getByTestId('category-select').selectOption('garbage')
  await page.locator('[data-testid="location-text"][data-ready="true"]').waitFor()
  await page.getByTestId('description').fill(description)
  if (photo) {
    await page.getByTestId('photo-input').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo })
    await page.getByTestId('photo-preview').first().waitFor()
  }
}

export interface PhoneServer {
  server: RunningServer
  browser: Browser
  operator: AuthHeaders
  /** A point inside the demo grid worker's own grid, and its community. */
  spot: { lon: number, lat: number }
  workerCommunity: string
  /** Every phone opened so far, in order. */
  phones: Phone[]
  open: (opts?: Parameters<typeof phone>[1]) => Promise<Phone>
  /** The incidents (from the operator's snapshot) with exactly this description. */
  incidentsWith: (description: string) => Promise<Incident[]>
  close: () => Promise<void>
}

/** The real server with six reports of today (the first of severity II), and Chromium to open phones in. */
export async function phoneServer(): Promise<PhoneServer> {
  mkdirSync(SHOTS, { recursive: true })
  await ensureClientBuilt()
  const server = await startServer()
  const operator = await signIn(server.url, 'operator')
  const me = await (await authed(`${server.url}/api/auth/me`, await signIn(server.url, 'grid_worker'))).json() as { principal: { gridIds: string[] } }
  const territory = await (await authed(`${server.url}/api/territory`, operator)).json() as { grids: { features: (GridFeature & { properties: { communityId: string } })[] } }
  const grid = territory.grids.features.find(g => g.properties.id === me.principal.gridIds[0])!
  for (const [n, g] of territory.grids.features.slice(0, 6).entries())
    await report(server, { category: 'garbage', description: `领导视图测试 ${n}`, location: insideGrid(g), ...(n === 0 ? { severity: 2 } : {}) })
  const browser = await launchBrowser()
  const phones: Phone[] = []
  return {
    server,
    browser,
    operator,
    spot: insideGrid(grid),
    workerCommunity: grid.properties.communityId,
    phones,
    async open(opts = {}) {
      const p = await phone(browser, opts)
      phones.push(p)
      return p
    },
    async incidentsWith(description) {
      const snap = await (await authed(`${server.url}/api/snapshot`, operator)).json() as { incidents: Incident[] }
      return snap.incidents.filter(i => i.description === description)
    },
    async close() {
      await browser.close()
      await server.stop()
    },
  }
}
