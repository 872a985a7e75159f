import type { Grid, LngLat, PolygonRings } from './types.ts'
import RBush from 'rbush'

// Planar geometry on lon/lat: fine at subdistrict scale (a few km), where curvature is far below GPS error.

export interface BBox { minX: number, minY: number, maxX: number, maxY: number }

/** Absolute tolerance in degrees (~1 mm) for "on the edge": GPS and GeoJSON round-trips are never exact. */
const EDGE_EPSILON = 1e-8

function onSegment(p: LngLat, a: number[], b: number[]): boolean {
  const [ax = 0, ay = 0] = a
  const [bx = 0, by = 0] = b
  const cross = (bx - ax) * (p.lat - ay) - (by - ay) * (p.lon - ax)
  const length = Math.hypot(bx - ax, by - ay)
  // |cross| / length is the distance from the edge line: compare a distance, not an area.
  if (Math.abs(cross) > EDGE_EPSILON * length)
    return false
  return p.lon >= Math.min(ax, bx) - EDGE_EPSILON && p.lon <= Math.max(ax, bx) + EDGE_EPSILON
    && p.lat >= Math.min(ay, by) - EDGE_EPSILON && p.lat <= Math.max(ay, by) + EDGE_EPSILON
}

function segments(ring: number[][]): [number[], number[]][] {
  const out: [number[], number[]][] = []
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    if (a[0] !== b[0] || a[1] !== b[1])
      out.push([a, b])
  }
  return out
}

/**
 * Even-odd point-in-polygon over all rings (the outer ring and its holes).
 * The polygon is a closed set: a point exactly on any edge or vertex — of the outer ring or of a hole — is inside,
 * so a report on a grid's boundary line is never lost between grids (GridIndex breaks the tie).
 */
export function pointInRings(p: LngLat, rings: PolygonRings): boolean {
  let inside = false
  for (const ring of rings) {
    for (const [a, b] of segments(ring)) {
      if (onSegment(p, a, b))
        return true
      const [ax = 0, ay = 0] = a
      const [bx = 0, by = 0] = b
      if ((ay > p.lat) !== (by > p.lat) && p.lon < ax + (p.lat - ay) * (bx - ax) / (by - ay))
        inside = !inside
    }
  }
  return inside
}

export function bboxOf(rings: PolygonRings): BBox {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }
  for (const ring of rings) {
    for (const [x = 0, y = 0] of ring) {
      box.minX = Math.min(box.minX, x)
      box.minY = Math.min(box.minY, y)
      box.maxX = Math.max(box.maxX, x)
      box.maxY = Math.max(box.maxY, y)
    }
  }
  return box
}

function ringAreaCentroid(ring: number[][]): { area: number, x: number, y: number } {
  let area = 0
  let x = 0
  let y = 0
  for (const [a, b] of segments(ring)) {
    const [ax = 0, ay = 0] = a
    const [bx = 0, by = 0] = b
    const f = ax * by - bx * ay
    area += f
    x += (ax + bx) * f
    y += (ay + by) * f
  }
  area /= 2
  return area === 0 ? { area: 0, x: 0, y: 0 } : { area: Math.abs(area), x: x / (6 * area), y: y / (6 * area) }
}

/** Area-weighted centroid of the outer ring minus its holes; a degenerate polygon falls back to the vertex mean. */
export function centroid(rings: PolygonRings): LngLat {
  let area = 0
  let x = 0
  let y = 0
  rings.forEach((ring, i) => {
    const c = ringAreaCentroid(ring)
    const sign = i === 0 ? 1 : -1
    area += sign * c.area
    x += sign * c.area * c.x
    y += sign * c.area * c.y
  })
  if (area > 0)
    return { lon: x / area, lat: y / area }
  const points = rings.flat()
  const n = Math.max(points.length, 1)
  return {
    lon: points.reduce((s, [px = 0]) => s + px, 0) / n,
    lat: points.reduce((s, [, py = 0]) => s + py, 0) / n,
  }
}

const EARTH_RADIUS_M = 6_371_008.8 // IUGG mean radius

/** Great-circle (haversine) distance in metres. */
export function distanceMeters(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

interface GridEntry extends BBox { grid: Grid }

/** Finds the grid a point falls in, through an R-tree of grid bounding boxes. */
export class GridIndex {
  private readonly tree = new RBush<GridEntry>()

  constructor(grids: Grid[]) {
    this.tree.load(grids.map(grid => ({ ...bboxOf(grid.polygon), grid })))
  }

  /**
   * The grid containing `p`, or null when it lies outside every grid (routing sends those to the subdistrict).
   * A point on a boundary shared by several grids goes to the one with the smallest id, so the answer never
   * depends on insertion order.
   */
  locate(p: LngLat): Grid | null {
    const hits = this.tree
      .search({ minX: p.lon - EDGE_EPSILON, minY: p.lat - EDGE_EPSILON, maxX: p.lon + EDGE_EPSILON, maxY: p.lat + EDGE_EPSILON })
      .filter(entry => pointInRings(p, entry.grid.polygon))
      .map(entry => entry.grid)
    if (hits.length === 0)
      return null
    return hits.reduce((best, g) => (g.id < best.id ? g : best))
  }
}
