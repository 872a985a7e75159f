import type { Page } from 'playwright-core'
import type { RunningServer } from '../helpers/server.ts'
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { DEMO_INTEGRATION_KEY } from '../../server/auth/accounts.ts'

export interface GridFeature { properties: { id: string, name: string }, geometry: { type: string, coordinates: number[][][] | number[][][][] } }
export interface Hooks {
  seq: () => number | null
  renderedFeatureCount: (layer: string) => number
  mapIdle: () => boolean
  incidentPoint: (id: string) => { x: number, y: number } | null
  alarmsSounded: number
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
