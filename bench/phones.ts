// Phones on a weak network: time to the first live figures on the leader view (/m) and to a usable report form
// on the field view (/field), in Chromium with 4G throttling (CDP network emulation) and a 4× slower CPU.
// Baseline, same run, same throttling: each page's static HTML shell — the rendered page saved as plain HTML
// (no script) with the same stylesheets — which is what a server-rendered page could show at best.
// Also: the JavaScript each view loads, gzipped.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { demoPassword } from '../server/auth/accounts.ts'
import { ensureClientBuilt } from '../tests/e2e/client-build.ts'
import { launchBrowser } from '../tests/helpers/browser.ts'
import { startServer } from '../tests/helpers/server.ts'
import { percentiles } from './lib/common.ts'
import { gzipProxy } from './phones-proxy.ts'

const root = new URL('..', import.meta.url).pathname
/** Lighthouse's mobile profile ("slow 4G"): 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up; CPU 4× slower. */
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 }
const CPU_SLOWDOWN = 4
const GOAL_MS = 2000

interface View { key: 'leader' | 'field', path: string, user: string, ready: string, label: string }
const VIEWS: View[] = [
  { key: 'leader', path: '/m', user: 'leader', ready: '[data-testid="m-figures"][data-ready="true"]', label: '/m first live figures' },
  // Usable: the form is there and its category list has arrived.
  { key: 'field', path: '/field', user: 'grid_worker', ready: '[data-testid="category-select"] option[value="garbage"]', label: '/field usable report form' },
]

async function throttled(browser: Browser, url: string, user: string | null): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block' })
  if (user)
    await context.request.post(`${url}/api/auth/login`, { data: { username: user, password: demoPassword(user) } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', NETWORK)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
  return { context, page }
}

/** Loads `url` cold and answers ms from navigation start until `selector` is attached, and the JS files fetched. */
async function timeTo(page: Page, url: string, selector: string): Promise<{ ms: number, js: Set<string> }> {
  const js = new Set<string>()
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname
    if (/\.m?js$/.test(path))
      js.add(path)
  })
  await page.goto(url, { waitUntil: 'commit' })
  await page.locator(selector).first().waitFor({ state: 'attached', timeout: 60_000 })
  const ms = await page.evaluate(() => performance.now())
  return { ms, js }
}

function gzippedKiB(paths: Iterable<string>): number {
  let bytes = 0
  for (const p of paths) bytes += gzipSync(readFileSync(join(root, 'dist', p))).length
  return bytes / 1024
}

function rawKiB(paths: Iterable<string>): number {
  let bytes = 0
  for (const p of paths) bytes += readFileSync(join(root, 'dist', p)).length
  return bytes / 1024
}

/** Serves the static shells and the built assets (stylesheets, fonts), like the app server would. */
async function shellServer(shells: Map<string, string>): Promise<{ url: string, close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const shell = shells.get(path)
    if (shell) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(shell)
    }
    try {
      const body = readFileSync(join(root, 'dist', path.replace(/\.{2,}/g, '')))
      const type = path.endsWith('.css') ? 'text/css' : path.endsWith('.woff2') ? 'font/woff2' : 'application/octet-stream'
      res.writeHead(200, { 'content-type': type })
      res.end(body)
    }
    catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, close: () => new Promise(resolve => server.close(() => resolve())) }
}

export async function phones(opts: BenchOptions): Promise<BenchResult> {
  const runs = opts.long ? 11 : 5
  await ensureClientBuilt()
  const server = await startServer({ env: { ONESCREEN_LOGIN_PER_MIN: '1000' } })
  const browser = await launchBrowser()
  const errors: string[] = []
  const rows: Row[] = []
  const notes: string[] = []
  try {
    const shells = new Map<string, string>()
    for (const v of VIEWS) {
      // The static shell: the page as rendered, scripts removed, saved once (unthrottled).
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', serviceWorkers: 'block' })
      await context.request.post(`${server.url}/api/auth/login`, { data: { username: v.user, password: demoPassword(v.user) } })
      const page = await context.newPage()
      await page.goto(`${server.url}${v.path}`)
      await page.locator(v.ready).first().waitFor({ state: 'attached', timeout: 30_000 })
      // A string, so this file needs no DOM types: the page's markup without scripts or module preloads.
      const html = await page.evaluate(`(() => {
        const doc = document.documentElement.cloneNode(true)
        doc.querySelectorAll('script, link[rel="modulepreload"]').forEach(n => n.remove())
        return '<!doctype html>' + doc.outerHTML
      })()`) as string
      shells.set(`${v.path}.html`, html)
      await context.close()
    }
    const statics = await shellServer(shells)
    const gz = await gzipProxy(server.url)
    try {
      for (const v of VIEWS) {
        const app: number[] = []
        const zipped: number[] = []
        const shell: number[] = []
        const map: number[] = []
        let js = new Set<string>()
        let jsWithMap = new Set<string>()
        for (let i = 0; i < runs; i++) {
          // Alternate which goes first, so neither always meets a warmer machine.
          for (const which of i % 2 ? ['shell', 'gzip', 'app'] : ['app', 'gzip', 'shell']) {
            const t = await throttled(browser, which === 'gzip' ? gz.url : server.url, which === 'shell' ? null : v.user)
            try {
              if (which === 'shell') {
                shell.push((await timeTo(t.page, `${statics.url}${v.path}.html`, v.ready)).ms)
                continue
              }
              if (which === 'gzip') {
                zipped.push((await timeTo(t.page, `${gz.url}${v.path}`, v.ready)).ms)
                continue
              }
              const r = await timeTo(t.page, `${server.url}${v.path}`, v.ready)
              app.push(r.ms)
              js = new Set(r.js)
              if (v.key === 'leader') {
                // The map is asked for the moment the figures are up; it must come after them, not before.
                await t.page.getByTestId('m-tab-map').click()
                await t.page.locator('[data-testid="m-map"][data-loaded="true"]').waitFor({ timeout: 60_000 })
                map.push(await t.page.evaluate(() => performance.now()))
                jsWithMap = r.js
              }
            }
            finally {
              await t.context.close()
            }
          }
        }
        const a = percentiles(app)
        const s = percentiles(shell)
        rows.push({ metric: `${v.label}, p50 of ${runs}`, value: `${a.p50.toFixed(0)} ms`, baseline: `${s.p50.toFixed(0)} ms (static shell)`, ratio: `${(a.p50 / s.p50).toFixed(2)}×`, goal: `≤ ${GOAL_MS} ms`, pass: a.p50 <= GOAL_MS })
        const z = percentiles(zipped)
        rows.push({ metric: `  same, assets gzip-compressed (proposed), p50`, value: `${z.p50.toFixed(0)} ms`, baseline: `${s.p50.toFixed(0)} ms (static shell)`, ratio: `${(z.p50 / s.p50).toFixed(2)}×`, goal: `≤ ${GOAL_MS} ms`, pass: z.p50 <= GOAL_MS })
        rows.push({ metric: `${v.label}, worst of ${runs}`, value: `${Math.max(...app).toFixed(0)} ms`, baseline: `${Math.max(...shell).toFixed(0)} ms`, ratio: '', goal: '', pass: null })
        if (map.length) {
          const m = percentiles(map)
          rows.push({ metric: '/m map drawn (tab opened at first figures), p50', value: `${m.p50.toFixed(0)} ms`, baseline: '', ratio: '', goal: 'after the figures', pass: m.p50 > a.p50 })
          rows.push({ metric: 'JS shipped to /m incl. map, gzipped', value: `${gzippedKiB(jsWithMap).toFixed(0)} KiB`, baseline: '', ratio: '', goal: '', pass: null })
        }
        rows.push({ metric: `JS shipped to ${v.path} (until ready), gzipped`, value: `${gzippedKiB(js).toFixed(0)} KiB`, baseline: '0 KiB (static shell)', ratio: '', goal: '', pass: null })
        rows.push({ metric: `  same, as sent today (uncompressed)`, value: `${rawKiB(js).toFixed(0)} KiB`, baseline: '', ratio: '', goal: '', pass: null })
      }
    }
    finally {
      await statics.close()
      await gz.close()
    }
    notes.push(`network: ${NETWORK.latency} ms RTT, ${NETWORK.downloadThroughput * 8 / 1e6} Mbit/s down, ${NETWORK.uploadThroughput * 8 / 1e3} kbit/s up (CDP); CPU ${CPU_SLOWDOWN}× slower; cold cache, service worker blocked; 390×844 @2×`)
    notes.push('times are from navigation start (performance.now() in the page) to the element being in the DOM')
  }
  catch (e) {
    errors.push(e instanceof Error ? e.message : String(e))
  }
  finally {
    await browser.close()
    await server.stop()
  }
  return { name: 'Phones: leader and field views on slow 4G', rows, errors, notes }
}
