import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { PageWatch } from '../helpers/browser.ts'
import type { RunningServer } from '../helpers/server.ts'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { DEMO_INTEGRATION_KEY } from '../../server/auth/accounts.ts'
import { authed, signIn } from '../helpers/auth.ts'
import { launchBrowser, watchPage } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'
import { ensureClientBuilt } from './client-build.ts'

export interface GridFeature { properties: { id: string, name: string }, geometry: { type: string, coordinates: number[][][] | number[][][][] } }
export interface Hooks {
  seq: () => number | null
  renderedFeatureCount: (layer: string) => number
  mapIdle: () => boolean
  incidentPoint: (id: string) => { x: number, y: number } | null
  alarmsSounded: number
  /** Frames the map has drawn. */
  mapFrames: number
  loseMapContext: () => boolean
}

/** A point safely inside a grid: the mean of its outer ring's vertices (the demo grids are convex). */
export function insideGrid(grid: GridFeature): { lon: number, lat: number } {
  const rings = grid.geometry.type === 'Polygon'
    ? grid.geometry.coordinates as number[][][]
    : (grid.geometry.coordinates as number[][][][])[0]!
  const ring = rings[0]!.slice(0, -1)
  return {
    lon: ring.reduce((s, p) => s + p[0]!, 0) / ring.length,
    lat: ring.reduce((s, p) => s + p[1]!, 0) / ring.length,
  }
}

/** Reports through the HTTP API as the demo integration (12345 / Open311 sender); returns the incident. */
export async function report(server: RunningServer, body: Record<string, unknown>): Promise<{ id: string, version: number, updatedAt: string }> {
  const res = await fetch(`${server.url}/api/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${DEMO_INTEGRATION_KEY}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  })
  if (res.status !== 201)
    throw new Error(`report failed: ${res.status} ${await res.text()}`)
  return await res.json() as { id: string, version: number, updatedAt: string }
}

/** A free loopback port, so a server can be stopped and started again where the wall expects it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0))
    })
  })
}

export async function counter(page: Page, id: string): Promise<number> {
  const text = (await page.getByTestId(id).textContent())?.trim() ?? ''
  return /^\d+$/.test(text) ? Number(text) : Number.NaN
}

export function hooks(page: Page) {
  return {
    mapReady: (timeout = 30_000) => page.waitForFunction(() => {
      const h = (globalThis as unknown as { __onescreen?: Hooks }).__onescreen
      return !!h && h.mapIdle() && h.renderedFeatureCount('grids-fill') > 0
    }, undefined, { timeout }),
    idle: () => page.waitForFunction(() => (globalThis as unknown as { __onescreen: Hooks }).__onescreen.mapIdle(), undefined, { timeout: 20_000 }),
  }
}

/**
 * How long a browser test waits for what should happen at once: long, because the machine is shared and
 * software WebGL is slow. How soon it happens is measured in bench/ (`npm run bench -- --only=reaction`).
 */
export const SOON = { timeout: 15_000 }

export interface Wall {
  server: RunningServer
  /** The server's port: a restarted server listens where the wall expects it. */
  port: number
  browser: Browser
  context: BrowserContext
  page: Page
  /** Console errors and foreign requests of every page of the context. */
  watch: PageWatch
  /** Messages of any alert, confirm or prompt (dismissed): incident text must never open one. */
  dialogs: string[]
  grids: GridFeature[]
}

/**
 * The real server, `reports` garbage reports spread over its first grids (so the wall has something to show),
 * and the wall in Chromium: connected, its map drawn.
 */
export async function openWall(opts: { reports?: number, viewport?: { width: number, height: number }, mapTimeout?: number } = {}): Promise<Wall> {
  await ensureClientBuilt()
  const port = await freePort()
  const server = await startServer({ port })
  const territory = await (await authed(`${server.url}/api/territory`, await signIn(server.url, 'operator'))).json() as { grids: { features: GridFeature[] } }
  const grids = territory.grids.features
  for (const [n, grid] of grids.slice(0, opts.reports ?? 0).entries())
    await report(server, { category: 'garbage', description: `测试上报 ${n + 1}`, location: insideGrid(grid) })
  const browser = await launchBrowser()
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1920, height: 1080 }, locale: 'zh-CN' })
  const watch = await watchPage(context)
  const dialogs: string[] = []
  context.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  const page = await context.newPage()
  await page.goto(`${server.url}/`)
  await page.getByTestId('connection-state').and(page.locator('[data-state="connected"]')).waitFor({ timeout: 20_000 })
  await hooks(page).mapReady(opts.mapTimeout)
  return { server, port, browser, context, page, watch, dialogs, grids }
}

export async function closeWall(wall: Wall | undefined): Promise<void> {
  await wall?.browser.close()
  await wall?.server.stop()
}
