// What bench/wall-soak.ts measures in the page and around it: the in-page probe (long tasks, socket frame
// cost, first live frame), heap and DOM readings over CDP, the gzipped bundle, the static shell's load.
import type { Browser, CDPSession, Page } from 'playwright-core'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { root } from './wall-app.ts'

/**
 * Installed before any page script (plain JS: the bench is compiled without the DOM lib): long tasks,
 * socket frame timing, first live frame.
 *
 * Frames: every change:batch / positions:update websocket frame is timed, the synchronous part (engine.io
 * decode → socket.io → the wall's handler → store) and, through a MessageChannel posted at its end, until
 * that task and its microtasks (Vue's flush) are done (an upper bound: a task queued meanwhile counts too).
 */
export const PAGE_PROBE = `(() => {
  const soak = { longtasks: [], frames: [], frameEnds: [], firstLive: null }
  window.__soak = soak
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) soak.longtasks.push([e.startTime, e.duration])
  }).observe({ type: 'longtask', buffered: true })
  const channel = new MessageChannel()
  const pending = []
  channel.port1.onmessage = () => {
    const t0 = pending.shift()
    if (t0 !== undefined) soak.frameEnds.push(performance.now() - t0)
  }
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return desc.get.call(this) },
    set(fn) {
      desc.set.call(this, fn && function (ev) {
        const d = ev.data
        const timed = typeof d === 'string' && (d.startsWith('42["change:batch"') || d.startsWith('42["positions:update"'))
        const t0 = performance.now()
        fn.call(this, ev)
        if (timed) {
          soak.frames.push(performance.now() - t0)
          pending.push(t0)
          channel.port2.postMessage(0)
        }
      })
    },
  })
  const live = () => {
    const h = window.__onescreen
    const open = (document.querySelector('[data-testid="counter-open"]')?.textContent ?? '').trim()
    if (h && h.mapIdle() && h.renderedFeatureCount('grids-fill') > 0 && /^\\d+$/.test(open) && Number(open) > 0) {
      soak.firstLive = performance.now()
      return
    }
    requestAnimationFrame(live)
  }
  requestAnimationFrame(live)
})()`

export interface Reading { heap: number, nodes: number, listeners: number, taskS: number, scriptS: number, incidents: number, tPage: number, gcFrom: number, gcTo: number }

export async function reading(page: Page, cdp: CDPSession): Promise<Reading> {
  const gcFrom = await page.evaluate(() => performance.now())
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const gcTo = await page.evaluate(() => performance.now())
  const { metrics } = await cdp.send('Performance.getMetrics')
  const m = (name: string) => metrics.find(x => x.name === name)?.value ?? Number.NaN
  const incidents = await page.evaluate(() => (globalThis as unknown as { __onescreen: { incidentCount: () => number } }).__onescreen.incidentCount())
  return { heap: m('JSHeapUsedSize'), nodes: m('Nodes'), listeners: m('JSEventListeners'), taskS: m('TaskDuration'), scriptS: m('ScriptDuration'), incidents, tPage: gcTo, gcFrom, gcTo }
}

export function bundle(loaded: Set<string>): { all: number, wall: number, files: number, wallFiles: number, worker: number } {
  const dir = join(root, 'dist/assets')
  let all = 0
  let wall = 0
  let files = 0
  let wallFiles = 0
  let worker = 0
  for (const f of readdirSync(dir)) {
    if (!/\.(?:m?js|css)$/.test(f))
      continue
    const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length
    all += gz
    files++
    const isWorker = f.startsWith('maplibre-gl-worker')
    if (isWorker)
      worker = gz
    if (loaded.has(f) || isWorker) {
      wall += gz
      wallFiles++
    }
  }
  return { all, wall, files, wallFiles, worker }
}

export async function shellLoad(browser: Browser, url: string): Promise<number> {
  // The static HTML shell with no script run: what loopback + Chromium cost before the app does anything.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(url, { waitUntil: 'load' })
  const t = await page.evaluate(() => (performance.getEntriesByType('navigation' as 'mark')[0] as unknown as { loadEventEnd: number }).loadEventEnd)
  await context.close()
  return t
}
