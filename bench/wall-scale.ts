// How the wall's cost grows with what it shows (#18 item 6): the wall in Chromium with 300 / 1,000 / 10,000 open
// incidents on its map, under the soak's load (50 changes/s on 300 of them, 150 moving workers). Per size: the
// first live frame, the main thread's busy share and its long tasks, and a CPU profile split by owner (the app,
// MapLibre, native rendering). The 300 row is the soak's data set: the baseline the bigger ones are read against.
import type { BenchOptions, BenchResult, Row } from './lib/common.ts'
import type { PoolItem } from './lib/soak-load.ts'
import { launchBrowser } from '../tests/helpers/browser.ts'
import { benchCall, ms, percentiles, sleep } from './lib/common.ts'
import { startLoad } from './lib/soak-load.ts'
import { cpuShare, PAGE_PROBE } from './lib/soak-probe.ts'
import { startWallApp } from './lib/wall-app.ts'

const SIZES = [300, 1000, 10_000]
const POOL = 300
const RATE = 50
const WORKERS = 150
const SETTLE_MS = 5000
const MEASURE_MS = 20_000

interface Point { top: string, n: number, firstLive: number, busy: number, app: number, maplibre: number, native: number, gc: number, longP50: number, longP99: number, perMin: number, held: number }

async function measure(n: number): Promise<Point> {
  const { ctx, url, close } = await startWallApp(`scale${n}`)
  try {
    // Open incidents spread over each grid (a fixed jitter, categories in turn), so the duplicate rule does not
    // fold them into a few clusters: the map holds n markers.
    const grids = ctx.reference.territory.grids
    const categories = ctx.catalog.categories.filter(c => c.loop === 'grid').map(c => c.code)
    const pool: PoolItem[] = []
    for (let i = 0; i < n; i += 250) {
      const batch = Array.from({ length: Math.min(250, n - i) }, (_, k) => i + k)
      const done = await Promise.all(batch.map((j) => {
        const g = grids[j % grids.length]!.center
        const a = (j * 2.399963) % (2 * Math.PI)
        const r = 0.0004 + 0.0012 * ((j * 7919) % 1000) / 1000
        const body = { category: categories[j % categories.length]!, description: `scale ${j}`, location: { lon: g.lon + r * Math.cos(a), lat: g.lat + r * Math.sin(a) } }
        return ctx.incidents.report(body, benchCall(`scale${n}:r:${j}`))
      }))
      for (const r of done) {
        if (!r.ok)
          throw new Error(`report failed: ${r.message}`)
        if (pool.length < POOL)
          pool.push({ id: r.data.id, state: r.data.state, busy: false })
      }
    }
    const browser = await launchBrowser()
    try {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
      await context.addInitScript({ content: PAGE_PROBE })
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable')
      await page.goto(url)
      await page.waitForFunction(() => (globalThis as unknown as { __soak: { firstLive: number | null } }).__soak.firstLive !== null, undefined, { timeout: 300_000 })
      const firstLive = await page.evaluate(() => (globalThis as unknown as { __soak: { firstLive: number } }).__soak.firstLive)
      const load = startLoad(ctx, pool, { rate: RATE, workers: WORKERS, tag: `scale${n}` })
      await sleep(SETTLE_MS)
      const task = async () => (await cdp.send('Performance.getMetrics')).metrics.find(m => m.name === 'TaskDuration')?.value ?? Number.NaN
      const t0 = await page.evaluate(() => performance.now())
      const task0 = await task()
      const share = await cpuShare(cdp, MEASURE_MS)
      const task1 = await task()
      const t1 = await page.evaluate(() => performance.now())
      const stats = await load.stop()
      if (stats.failed > 0)
        throw new Error(`${stats.failed} actions failed at ${n} incidents (last: ${stats.lastError})`)
      const longs = await page.evaluate(([a, b]) => (globalThis as unknown as { __soak: { longtasks: [number, number][] } }).__soak.longtasks.filter(([s]) => s >= a! && s <= b!).map(([, d]) => d), [t0, t1])
      const held = await page.evaluate(() => (globalThis as unknown as { __onescreen: { incidentCount: () => number } }).__onescreen.incidentCount())
      const lt = percentiles(longs.length ? longs : [0])
      const w = share.windowMs
      const top = share.topApp.slice(0, 5).map(([f, t]) => `${f} ${(100 * t / share.windowMs).toFixed(1)} %`).join('; ')
      return { top, n, firstLive, busy: (task1 - task0) * 1000 / (t1 - t0), app: share.app / w, maplibre: share.maplibre / w, native: share.native / w, gc: share.gc / w, longP50: lt.p50, longP99: lt.p99, perMin: longs.length / ((t1 - t0) / 60_000), held }
    }
    finally {
      await browser.close()
    }
  }
  finally {
    await close()
  }
}

export async function wallScale(_o: BenchOptions): Promise<BenchResult> {
  const points: Point[] = []
  for (const n of SIZES) points.push(await measure(n))
  const base = points[0]!
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`
  const rows: Row[] = points.flatMap(p => [
    { metric: `${p.n} open · first live frame`, value: ms(p.firstLive), baseline: p === base ? '' : ms(base.firstLive), ratio: p === base ? '' : `${(p.firstLive / base.firstLive).toFixed(2)}×`, goal: '', pass: null },
    { metric: `${p.n} open · main thread busy under load`, value: pct(p.busy), baseline: p === base ? '' : pct(base.busy), ratio: p === base ? '' : `${(p.busy / base.busy).toFixed(2)}×`, goal: '', pass: null },
    { metric: `${p.n} open · app / MapLibre / native + GC`, value: `${pct(p.app)} / ${pct(p.maplibre)} / ${pct(p.native + p.gc)}`, baseline: p === base ? '' : `${pct(base.app)} / ${pct(base.maplibre)} / ${pct(base.native + base.gc)}`, ratio: '', goal: '', pass: null },
    { metric: `${p.n} open · long tasks (per min, p50 / p99)`, value: `${p.perMin.toFixed(0)}/min, ${ms(p.longP50)} / ${ms(p.longP99)}`, baseline: p === base ? '' : `${base.perMin.toFixed(0)}/min, ${ms(base.longP50)} / ${ms(base.longP99)}`, ratio: '', goal: '', pass: null },
  ])
  const errors = points.filter(p => p.held < p.n).map(p => `the wall holds ${p.held} incidents of ${p.n}`)
  const notes = [
    `per size: a fresh server and wall (1920×1080, software WebGL), ${SIZES.join(' / ')} open incidents reported before it opens; then ${RATE} changes/s on ${POOL} of them and ${WORKERS} moving workers; ${SETTLE_MS / 1000} s settle, ${MEASURE_MS / 1000} s measured (CDP TaskDuration, long tasks, a CPU profile split by owner as in the soak)`,
    ...points.map(p => `${p.n} open, the app's costliest functions: ${p.top}`),
  ]
  return { name: 'wall-scale — the wall\'s cost at 300 / 1,000 / 10,000 open incidents', rows, errors, notes }
}
