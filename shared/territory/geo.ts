import type { BBox, LngLat, PolygonRings } from '../kernel/geo.ts'
import type { Grid } from './types.ts'
import RBush from 'rbush'
import { bboxOf } from '../kernel/geo.ts'

// Which grid a point is in. Planar on lon/lat: fine at subdistrict scale (a few km), where curvature is far
// below GPS error. Point-in-polygon is our own, not turf's booleanPointInPolygon: a grid is a closed set with a
// small distance tolerance on its edges, so a report on a boundary line (GPS and GeoJSON round-trips are never
// exact) is never lost between two grids; turf counts only exact boundary points.

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
