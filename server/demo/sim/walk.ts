import type { Grid, LngLat } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'
import { pointInRings } from '../../../shared/territory/geo.ts'
import { pointInGrid } from './reports.ts'

// A grid worker on patrol: a correlated random walk that never leaves the grid polygon.

const M_PER_DEG_LAT = 111_200

export interface Walker { id: string, grid: Grid, at: LngLat, heading: number }

export function startWalker(rng: Rng, id: string, grid: Grid): Walker {
  return { id, grid, at: pointInGrid(rng, grid), heading: rng.float(0, 2 * Math.PI) }
}

/** Moves `meters` roughly ahead; turns away from the boundary, and stays put if boxed in. */
export function step(rng: Rng, w: Walker, meters: number): void {
  for (let attempt = 0; attempt < 6; attempt++) {
    const heading = w.heading + rng.float(-0.6, 0.6) + (attempt > 0 ? rng.float(Math.PI / 2, 3 * Math.PI / 2) : 0)
    const dLat = Math.cos(heading) * meters / M_PER_DEG_LAT
    const dLon = Math.sin(heading) * meters / (M_PER_DEG_LAT * Math.cos(w.at.lat * Math.PI / 180))
    const next = { lon: w.at.lon + dLon, lat: w.at.lat + dLat }
    if (pointInRings(next, w.grid.polygon)) {
      w.at = next
      w.heading = heading
      return
    }
  }
  if (!pointInRings(w.at, w.grid.polygon))
    w.at = pointInGrid(rng, w.grid)
}
