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
  // Its parts, for the note: when the counters first show a figure, when the map is first idle with its grids
  // drawn, and how many frames the map painted until the first live frame.
  soak.parts = { counters: null, map: null, mapFrames: null }
  const live = () => {
    const h = window.__onescreen
    const open = (document.querySelector('[data-testid="counter-open"]')?.textContent ?? '').trim()
    const counters = /^\\d+$/.test(open) && Number(open) > 0
    const drawn = !!h && h.mapIdle() && h.renderedFeatureCount('grids-fill') > 0
    if (counters && soak.parts.counters === null) soak.parts.counters = performance.now()
    if (drawn && soak.parts.map === null) soak.parts.map = performance.now()
    if (drawn && counters) {
      soak.firstLive = performance.now()
      soak.parts.mapFrames = h.mapFrames
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

/** Main-thread time by owner over a CDP CPU profile: ms of self time, and the window it covers. */
export interface CpuShare {
  windowMs: number
  /** The wall's own scripting: its chunks, Vue, Pinia, vue-i18n, Socket.IO (every /assets/ script not below). */
  app: number
  /** MapLibre's main-thread JavaScript (its render loop, source updates, WebGL calls). */
  maplibre: number
  /** ECharts redrawing the wall's charts. */
  echarts: number
  /** Native work the profiler cannot pin to a script (style, layout, paint, compositing), and GC. */
  native: number
  gc: number
  idle: number
  /** The app's costliest functions by self time: "name (chunk)". */
  topApp: [string, number][]
}

interface ProfileNode { id: number, callFrame: { functionName: string, url: string }, children?: number[] }

/** Profiles the page's main thread for `ms` and sorts its self time by the script that owns it. */
export async function cpuShare(cdp: CDPSession, ms: number): Promise<CpuShare> {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
  await cdp.send('Profiler.start')
  await new Promise(r => setTimeout(r, ms))
  const { profile } = await cdp.send('Profiler.stop')
  await cdp.send('Profiler.disable')
  const nodes = new Map<number, ProfileNode>(profile.nodes.map(n => [n.id, n as ProfileNode]))
  // A native frame (empty url) is charged to the nearest script frame above it: a builtin called by the app is
  // the app's time, one called by MapLibre is MapLibre's.
  const parent = new Map<number, number>()
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id)
  }
  const owner = new Map<number, string>()
  const ownerOf = (id: number): string => {
    const hit = owner.get(id)
    if (hit)
      return hit
    const n = nodes.get(id)!
    const { url, functionName } = n.callFrame
    let o: string
    if (functionName === '(idle)')
      o = 'idle'
    else if (functionName === '(garbage collector)')
      o = 'gc'
    else if (functionName === '(program)' || functionName === '(root)')
      o = 'native'
    else if (/\/assets\/maplibre-/.test(url))
      o = 'maplibre'
    else if (/\/assets\/echarts-/.test(url))
      o = 'echarts'
    else if (/\/assets\//.test(url))
      o = 'app'
    else if (parent.has(id))
      o = ownerOf(parent.get(id)!)
    else
      o = 'native'
    owner.set(id, o)
    return o
  }
  const self = new Map<number, number>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; the sample's own duration is the next gap.
    const d = (deltas[i + 1] ?? 0) / 1000
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + d)
  }
  const share: CpuShare = { windowMs: (profile.endTime - profile.startTime) / 1000, app: 0, maplibre: 0, echarts: 0, native: 0, gc: 0, idle: 0, topApp: [] }
  const byFn = new Map<string, number>()
  for (const [id, t] of self) {
    const o = ownerOf(id) as 'app' | 'maplibre' | 'echarts' | 'native' | 'gc' | 'idle'
    share[o] += t
    const n = nodes.get(id)!
    if (o === 'app' && n.callFrame.url) {
      const key = `${n.callFrame.functionName || '(anonymous)'} (${n.callFrame.url.replace(/^.*\/assets\//, '')})`
      byFn.set(key, (byFn.get(key) ?? 0) + t)
    }
  }
  share.topApp = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 8)
  return share
}
