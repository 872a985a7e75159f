import type { LngLat, PolygonRings } from '../../../shared/territory/types.ts'

// The demo outline of Cuntan subdistrict. INVENTED: the real boundary is not in any data we have.
// It is the strip of Jiangbei's river bank around the Cuntan port bend of the Yangtze, bounded by:
//  - SOUTH: max(Yangtze centreline, Jiangbei outline) + 0.0025° (≈ 280 m) sampled at every vertex of both lines
//    (the upper envelope of two polylines lies under the chord between their vertices, so the edge stays on land
//    and inside the district between samples too), from geo/rivers-chongqing-urban.gshhg.geojson and
//    geo/jiangbei-district.echarts4.geojson;
//  - NORTH: a hand-drawn line 200–300 m inside Jiangbei's northern outline (the boundary with Yubei).
// Both edges are functions of longitude, so the region is { WEST ≤ lon ≤ EAST, south(lon) ≤ lat ≤ north(lon) }.

export const WEST = 106.594
export const EAST = 106.652

const SOUTH_EDGE: readonly [number, number][] = [
  [106.594, 29.62006],
  [106.59889, 29.62278],
  [106.60444, 29.62472],
  [106.61083, 29.62611],
  [106.61328, 29.62514],
  [106.61639, 29.6239],
  [106.61719, 29.62281],
  [106.61944, 29.61977],
  [106.62112, 29.6191],
  [106.62207, 29.61872],
  [106.62402, 29.61774],
  [106.62598, 29.61579],
  [106.62793, 29.61286],
  [106.62891, 29.60695],
  [106.62988, 29.60655],
  [106.63379, 29.60499],
  [106.63444, 29.60473],
  [106.63867, 29.60381],
  [106.64083, 29.60334],
  [106.64258, 29.60264],
  [106.64639, 29.60112],
  [106.65039, 29.59951],
  [106.65194, 29.59889],
  [106.652, 29.59884],
]

const NORTH_EDGE: readonly [number, number][] = [
  [106.594, 29.6330],
  [106.600, 29.6326],
  [106.6035, 29.6329],
  [106.610, 29.6348],
  [106.618, 29.6350],
  [106.625, 29.6340],
  [106.635, 29.6336],
  [106.6445, 29.6326],
  [106.648, 29.6316],
  [106.650, 29.6297],
  [106.652, 29.6291],
]

function interpolate(edge: readonly [number, number][], lon: number): number {
  for (let i = 1; i < edge.length; i++) {
    const [x0, y0] = edge[i - 1]!
    const [x1, y1] = edge[i]!
    if (lon <= x1)
      return y0 + (y1 - y0) * (lon - x0) / (x1 - x0)
  }
  return edge.at(-1)![1]
}

/** Longitudes where either edge bends, sorted: a polyline between them is exact (both edges are linear there). */
const BREAKS: readonly number[] = [...new Set([...SOUTH_EDGE, ...NORTH_EDGE].map(([x]) => x))].sort((a, b) => a - b)

/** 6 decimals ≈ 0.1 m: plenty, and keeps snapshots small. */
const round6 = (n: number): number => Math.round(n * 1e6) / 1e6

/** Maps (lon, v) — v = 0 at the south edge, 1 at the north edge — to a point. */
export function toLngLat(lon: number, v: number): LngLat {
  const s = interpolate(SOUTH_EDGE, lon)
  return { lon: round6(lon), lat: round6(s + v * (interpolate(NORTH_EDGE, lon) - s)) }
}

/** A cell of the (lon, v) parameter space; cells that tile the space map to polygons that tile the outline. */
export interface Cell { x0: number, x1: number, v0: number, v1: number }

function along(x0: number, x1: number, v: number): number[][] {
  const xs = [x0, ...BREAKS.filter(x => x > x0 && x < x1), x1]
  const points: number[][] = []
  for (const x of xs) {
    const { lon, lat } = toLngLat(x, v)
    const last = points.at(-1)
    // Rounding can fold a bend that sits within 0.1 m of a cell corner onto it.
    if (!last || last[0] !== lon || last[1] !== lat)
      points.push([lon, lat])
  }
  return points
}

/** The cell as a closed counter-clockwise GeoJSON ring; its edges follow the outline's bends exactly. */
export function cellPolygon(c: Cell): PolygonRings {
  const south = along(c.x0, c.x1, c.v0)
  const north = along(c.x0, c.x1, c.v1).reverse()
  const ring = [...south, ...north]
  ring.push(ring[0]!)
  return [ring]
}

/** A point inside the cell at fractional position (fx, fy) ∈ (0, 1)². */
export function pointIn(c: Cell, fx: number, fy: number): LngLat {
  return toLngLat(c.x0 + fx * (c.x1 - c.x0), c.v0 + fy * (c.v1 - c.v0))
}

/** Mean height (north − south) in degrees of latitude over [x0, x1], sampled. */
export function meanHeight(x0: number, x1: number): number {
  let sum = 0
  const n = 16
  for (let i = 0; i < n; i++) {
    const x = x0 + (i + 0.5) * (x1 - x0) / n
    sum += interpolate(NORTH_EDGE, x) - interpolate(SOUTH_EDGE, x)
  }
  return sum / n
}

export const OUTLINE: Cell = { x0: WEST, x1: EAST, v0: 0, v1: 1 }
