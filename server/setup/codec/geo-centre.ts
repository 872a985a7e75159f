import type { LngLat, PolygonRings } from '../../../shared/territory/types.ts'

/** The area centroid of a polygon's outer ring (the vertex mean for a degenerate one), rounded to 1e-6°. */
export function centroid(rings: PolygonRings): LngLat {
  const ring = rings[0] ?? []
  let a = 0
  let cx = 0
  let cy = 0
  const [ox, oy] = ring[0] ?? [0, 0]
  for (let i = 0; i + 1 < ring.length; i++) {
    const x0 = ring[i]![0]! - ox!
    const y0 = ring[i]![1]! - oy!
    const x1 = ring[i + 1]![0]! - ox!
    const y1 = ring[i + 1]![1]! - oy!
    const cross = x0 * y1 - x1 * y0
    a += cross
    cx += (x0 + x1) * cross
    cy += (y0 + y1) * cross
  }
  const round = (v: number): number => Math.round(v * 1e6) / 1e6
  if (a === 0) {
    const n = Math.max(1, ring.length)
    return { lon: round(ring.reduce((s, p) => s + p[0]!, 0) / n), lat: round(ring.reduce((s, p) => s + p[1]!, 0) / n) }
  }
  return { lon: round(ox! + cx / (3 * a)), lat: round(oy! + cy / (3 * a)) }
}
