// Phones on a weak network: time to the first live figures on the leader view (/m) and to a usable report form
// on the field view (/field), in Chromium with 4G throttling (CDP network emulation) and a 4× slower CPU.
// Baseline, same run, same throttling: each page's static HTML shell — the rendered page saved as plain HTML
// (no script) with the same stylesheets — which is what a server-rendered page could show at best.
// Also: the same app with compression refused (what the phones got before #18), and the JavaScript each view
// loads, gzipped and as sent (the build's pre-compressed brotli).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { demoPassword } from '../server/auth/accounts.ts'
import { ensureClientBuilt } from '../tests/e2e/client-build.ts'
import { launchBrowser } from '../tests/helpers/browser.ts'
import { startServer } from '../tests/helpers/server.ts'
import { percentiles } from './lib/common.ts'
import { identityProxy } from './phones-proxy.ts'

const root = new URL('..', import.meta.url).pathname
interface Network { name: string, latency: number, downloadThroughput: number, uploadThroughput: number }
/**
 * "4G": Chrome DevTools' Fast 4G preset (9 Mbit/s down, 1.5 Mbit/s up at 90 %, 165 ms latency) — the goal is
 * judged here. "slow 4G": Lighthouse's mobile profile (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), a cell
 * at the edge of coverage, reported alongside.
 */
const NETWORKS: Network[] = [
  { name: '4G', latency: 165, downloadThroughput: 9e6 * 0.9 / 8, uploadThroughput: 1.5e6 * 0.9 / 8 },
  { name: 'slow 4G', latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
]
const CPU_SLOWDOWN = 4
/** The goals (#18): the leader's figures within 2 s, the field form within 2.5 s, on 4G. */
const GOAL_MS: Record<View['key'], number> = { leader: 2000, field: 2500 }
/** JS to the leader's first figures, gzipped. */
const JS_GOAL_KIB = 110

interface View { key: 'leader' | 'field', path: string, user: string, ready: string, label: string }
const VIEWS: View[] = [
  { key: 'leader', path: '/m', user: 'leader', ready: '[data-testid="m-figures"][data-ready="true"]', label: '/m first live figures' },
  // Usable: the form is there and its category list has arrived.
  { key: 'field', path: '/field', user: 'grid_worker', ready: '[data-testid="category-select"] option[value="garbage"]', label: '/field usable report form' },
]

async function throttled(browser: Browser, url: string, user: string | null, net: Network): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', serviceWorkers: 'block' })
  if (user)
    await context.request.post(`${url}/api/auth/login`, { data: { username: user, password: demoPassword(user) } })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: net.latency, downloadThroughput: net.downloadThroughput, uploadThroughput: net.uploadThroughput })
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
  return { context, page }
}

/**
 * Loads `url` cold and answers ms from navigation start until `selector` is attached, and the JS files the page
 * had received by then (its own resource timings, so a file arriving after the mark is not counted).
 */
async function timeTo(page: Page, url: string, selector: string): Promise<{ ms: number, js: Set<string>, all: Set<string> }> {
  const all = new Set<string>()
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname
    if (/\.m?js$/.test(path))
      all.add(path)
  })
  await page.goto(url, { waitUntil: 'commit' })
  // A function, not a string (the CSP forbids eval); checked every animation frame in the page.
  const hit = await page.waitForFunction((sel: string) => {
    const doc = (globalThis as unknown as { document: { querySelector: (s: string) => unknown } }).document
    if (!doc.querySelector(sel))
      return null
    const ms = performance.now()
    const entries = performance.getEntriesByType('resource') as unknown as { name: string, responseEnd: number }[]
    const js = entries.filter(e => e.responseEnd <= ms).map(e => new URL(e.name).pathname).filter(p => /\.m?js$/.test(p))
    return { ms, js }
  }, selector, { timeout: 60_000, polling: 'raf' })
  const { ms, js } = await hit.jsonValue() as { ms: number, js: string[] }
  return { ms, js: new Set(js), all }
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

/** What the server sends: the build's `.br` beside each file (vite.config.ts), else brotli of the file. */
function brotliKiB(paths: Iterable<string>): number {
  let bytes = 0
  for (const p of paths) {
    try {
      bytes += readFileSync(join(root, 'dist', `${p}.br`)).length
    }
    catch {
      bytes += brotliCompressSync(readFileSync(join(root, 'dist', p))).length
    }
  }
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
      const file = join(root, 'dist', path.replace(/\.{2,}/g, ''))
      const type = path.endsWith('.css') ? 'text/css' : path.endsWith('.woff2') ? 'font/woff2' : 'application/octet-stream'
      // The same pre-compressed stylesheets the app server sends, so the baseline is not slowed by raw CSS.
      const br = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? '')) ? readFileSync(`${file}.br`, { flag: 'r' }) : null
      res.writeHead(200, br ? { 'content-type': type, 'content-encoding': 'br', 'vary': 'accept-encoding' } : { 'content-type': type })
      res.end(br ?? readFileSync(file))
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
    const raw = await identityProxy(server.url)
    try {
      for (const net of NETWORKS) {
        for (const v of VIEWS)
          rows.push(...await measure(browser, v, net, net.name === '4G' ? runs : Math.max(3, runs - 2), { app: server.url, raw: raw.url, shell: statics.url }))
      }
    }
    finally {
      await statics.close()
      await raw.close()
    }
    for (const n of NETWORKS)
      notes.push(`${n.name}: ${n.latency} ms latency, ${(n.downloadThroughput * 8 / 1e6).toFixed(2)} Mbit/s down, ${(n.uploadThroughput * 8 / 1e6).toFixed(2)} Mbit/s up (CDP network emulation)`)
    notes.push(`CPU ${CPU_SLOWDOWN}× slower (CDP); cold cache, service worker blocked; 390×844 @2×; "uncompressed" = the same app behind a proxy that drops Accept-Encoding (how the phones were served before #18)`)
    notes.push('times are from navigation start (performance.now() in the page) to the element being in the DOM')
  }
  catch (e) {
    errors.push(e instanceof Error ? e.message : String(e))
  }
  finally {
    await browser.close()
    await server.stop()
  }
  return { name: 'Phones: leader and field views on 4G and slow 4G, 4× slower CPU', rows, errors, notes }
}

/** Cold loads of one view on one network, alternating the app, the app uncompressed and the static shell. */
async function measure(browser: Browser, v: View, net: Network, runs: number, url: { app: string, raw: string, shell: string }): Promise<Row[]> {
  const app: number[] = []
  const uncompressed: number[] = []
  const shell: number[] = []
  const map: number[] = []
  let js = new Set<string>()
  let jsWithMap = new Set<string>()
  // A load that never got there within a minute is a missed load, not a correctness failure: counted and shown.
  const timedOut: string[] = []
  for (let i = 0; i < runs; i++) {
    // Alternate the order, so none always meets a warmer machine.
    for (const which of i % 2 ? ['shell', 'raw', 'app'] as const : ['app', 'raw', 'shell'] as const) {
      const t = await throttled(browser, url[which], which === 'shell' ? null : v.user, net)
      try {
        if (which === 'shell') {
          shell.push((await timeTo(t.page, `${url.shell}${v.path}.html`, v.ready)).ms)
          continue
        }
        const r = await timeTo(t.page, `${url[which]}${v.path}`, v.ready)
        ;(which === 'raw' ? uncompressed : app).push(r.ms)
        if (which === 'raw')
          continue
        js = new Set(r.js)
        if (v.key === 'leader') {
          // The map is asked for the moment the figures are up; it must come after them, not before.
          await t.page.getByTestId('m-tab-map').click()
          await t.page.locator('[data-testid="m-map"][data-loaded="true"]').waitFor({ timeout: 90_000 })
          map.push(await t.page.evaluate(() => performance.now()))
          jsWithMap = r.all
        }
      }
      catch (e) {
        if (!(e instanceof Error && e.name === 'TimeoutError'))
          throw e
        timedOut.push(which === 'raw' ? 'uncompressed' : which)
      }
      finally {
        await t.context.close()
      }
    }
  }
  const a = percentiles(app)
  const z = percentiles(uncompressed)
  const s = percentiles(shell)
  const goal = net.name === '4G' ? `≤ ${GOAL_MS[v.key]} ms` : ''
  const pass = (ms: number) => net.name === '4G' ? ms <= GOAL_MS[v.key] : null
  const rows: Row[] = [
    { metric: `${net.name} · ${v.label}, p50 of ${runs}`, value: `${a.p50.toFixed(0)} ms`, baseline: `${s.p50.toFixed(0)} ms (static shell)`, ratio: `${(a.p50 / s.p50).toFixed(2)}×`, goal, pass: pass(a.p50) },
    { metric: `${net.name} · ${v.label}, uncompressed (before #18), p50`, value: `${z.p50.toFixed(0)} ms`, baseline: `${s.p50.toFixed(0)} ms (static shell)`, ratio: `${(z.p50 / s.p50).toFixed(2)}×`, goal: '', pass: null },
    { metric: `${net.name} · ${v.label}, worst`, value: `${a.max.toFixed(0)} ms`, baseline: `${s.max.toFixed(0)} ms`, ratio: '', goal: '', pass: null },
  ]
  if (timedOut.length)
    rows.push({ metric: `${net.name} · ${v.label}: loads timed out (60 s), left out of the figures above`, value: timedOut.join(', '), baseline: '', ratio: '', goal: '', pass: net.name === '4G' ? false : null })
  if (map.length) {
    const m = percentiles(map)
    rows.push({ metric: `${net.name} · /m map drawn (tab opened at first figures), p50`, value: `${m.p50.toFixed(0)} ms`, baseline: '', ratio: '', goal: 'after the figures', pass: m.p50 > a.p50 })
  }
  if (net.name === NETWORKS[0]!.name) {
    const jsGoal = v.key === 'leader' ? { goal: `≤ ${JS_GOAL_KIB} KiB`, pass: gzippedKiB(js) <= JS_GOAL_KIB } : { goal: '', pass: null }
    rows.push({ metric: `JS to ${v.path} until ready: gzipped (brotli as sent)`, value: `${gzippedKiB(js).toFixed(0)} KiB (${brotliKiB(js).toFixed(0)} KiB)`, baseline: `${rawKiB(js).toFixed(0)} KiB uncompressed`, ratio: '', ...jsGoal })
    if (map.length)
      rows.push({ metric: 'JS to /m with the map, gzipped', value: `${gzippedKiB(jsWithMap).toFixed(0)} KiB`, baseline: '', ratio: '', goal: '', pass: null })
  }
  return rows
}
