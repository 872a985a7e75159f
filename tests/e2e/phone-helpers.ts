import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime/events.ts'
import type { PageWatch } from '../helpers/browser.ts'
import sharp from 'sharp'
import { io } from 'socket.io-client'
import { demoPassword } from '../../server/auth/accounts.ts'
import { watchPage } from '../helpers/browser.ts'

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
