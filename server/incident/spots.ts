import type { Incident } from '../../shared/incident/schema.ts'
import type { BBox, LngLat } from '../../shared/kernel/geo.ts'
import RBush from 'rbush'
import TinyQueue from 'tinyqueue'
import { distanceMeters } from '../../shared/kernel/geo.ts'

interface Held { incident: Incident, ms: number }

/** The duplicate ranking's order at one place: newest first, then by id. */
const newestFirst = (a: Held, b: Held) => b.incident.reportedAt.localeCompare(a.incident.reportedAt) || a.incident.id.localeCompare(b.incident.id)

/** One distinct location and the incidents reported there, per category, newest first. */
export class Spot implements BBox {
  readonly minX: number
  readonly minY: number
  readonly maxX: number
  readonly maxY: number
  readonly byCategory = new Map<string, Held[]>()
  count = 0
  constructor(readonly key: string, at: LngLat) {
    this.minX = this.maxX = at.lon
    this.minY = this.maxY = at.lat
  }

  /** Up to `max` incidents of `code` reported within [from, to] (ms) that pass `ok`, newest first. */
  window(code: string, from: number, to: number, max: number, ok: (i: Incident) => boolean): Incident[] {
    const list = this.byCategory.get(code)
    const out: Incident[] = []
    if (!list)
      return out
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (list[mid]!.ms > to)
        lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < list.length && out.length < max; i++) {
      const h = list[i]!
      if (h.ms < from)
        break
      if (ok(h.incident))
        out.push(h.incident)
    }
    return out
  }
}

const keyOf = (p: LngLat) => `${p.lon},${p.lat}`

/** Where `held` goes in `list` (kept in `newestFirst` order). */
function slot(list: Held[], held: Held): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (newestFirst(list[mid]!, held) < 0)
      lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Incidents held by place: an R-tree of distinct locations, each with its incidents per category. */
export class Spots {
  readonly tree = new RBush<Spot>()
  private readonly byKey = new Map<string, Spot>()
  private readonly byId = new Map<string, { spot: Spot, held: Held }>()

  get size(): number {
    return this.byId.size
  }

  get(id: string): Incident | undefined {
    return this.byId.get(id)?.held.incident
  }

  all(): Incident[] {
    return [...this.byId.values()].map(e => e.held.incident)
  }

  clear(): void {
    this.tree.clear()
    this.byKey.clear()
    this.byId.clear()
  }

  /** Adds or replaces an incident; a new version at the same place, category and time is swapped in place. */
  put(incident: Incident): void {
    const held = this.byId.get(incident.id)
    if (held) {
      const was = held.held.incident
      if (was.category === incident.category && was.reportedAt === incident.reportedAt && keyOf(was.location) === keyOf(incident.location)) {
        held.held.incident = incident
        return
      }
      this.remove(incident.id)
    }
    this.add(incident, true)
  }

  remove(id: string): void {
    const held = this.byId.get(id)
    if (!held)
      return
    this.byId.delete(id)
    const { spot } = held
    const code = held.held.incident.category
    const list = spot.byCategory.get(code)!
    list.splice(slot(list, held.held), 1)
    if (list.length === 0)
      spot.byCategory.delete(code)
    if (--spot.count === 0) {
      this.tree.remove(spot)
      this.byKey.delete(spot.key)
    }
  }

  /** Bulk load into an empty index (one R-tree build). */
  load(incidents: Incident[]): void {
    const fresh: Spot[] = []
    for (const i of incidents) {
      const spot = this.add(i, false)
      if (spot.count === 1)
        fresh.push(spot)
    }
    this.tree.load(fresh)
  }

  private add(incident: Incident, insert: boolean): Spot {
    const key = keyOf(incident.location)
    let spot = this.byKey.get(key)
    if (!spot) {
      spot = new Spot(key, incident.location)
      this.byKey.set(key, spot)
      if (insert)
        this.tree.insert(spot)
    }
    let list = spot.byCategory.get(incident.category)
    if (!list) {
      list = []
      spot.byCategory.set(incident.category, list)
    }
    const held = { incident, ms: Date.parse(incident.reportedAt) }
    list.splice(slot(list, held), 0, held)
    spot.count++
    this.byId.set(incident.id, { spot, held })
    return spot
  }
}

interface TreeNode extends BBox { children: (TreeNode | Spot)[], leaf: boolean }
interface Queued { meters: number, node: TreeNode | null, spot: Spot | null }

const RADIANS = Math.PI / 180
/** turf's earth radius, so the bound below is in the same metres as `distanceMeters`. */
const EARTH_RADIUS = 6_371_008.8

/**
 * A lower bound of the haversine distance from `p` to any point of `box`: the haversine of the smallest latitude
 * and longitude gaps, with both cosines at the largest |latitude| involved (the smallest cosine). Shaved by 1e-9
 * so rounding never lifts it above a true distance.
 */
function lowerBound(p: LngLat, box: BBox): number {
  const dLat = Math.max(box.minY - p.lat, 0, p.lat - box.maxY) * RADIANS
  const dLon = Math.max(box.minX - p.lon, 0, p.lon - box.maxX) * RADIANS
  if (dLat === 0 && dLon === 0)
    return 0
  const cos = Math.cos(Math.max(Math.abs(p.lat), Math.abs(box.minY), Math.abs(box.maxY)) * RADIANS)
  const a = Math.sin(dLat / 2) ** 2 + cos * cos * Math.sin(dLon / 2) ** 2
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * EARTH_RADIUS * (1 - 1e-9)
}

/**
 * Visits the places within `maxMeters` of `p` nearest first (exact haversine, as `distanceMeters`), best-first over
 * the R-tree's nodes; stops when `visit` answers false.
 */
export function nearestSpots(spots: Spots, p: LngLat, maxMeters: number, visit: (spot: Spot, meters: number) => boolean): void {
  const root = spots.tree.toJSON() as TreeNode
  const queue = new TinyQueue<Queued>([{ meters: 0, node: root, spot: null }], (a, b) => a.meters - b.meters)
  while (queue.length > 0) {
    const next = queue.pop()!
    if (next.meters > maxMeters)
      return
    if (next.spot) {
      if (!visit(next.spot, next.meters))
        return
      continue
    }
    const node = next.node!
    for (const child of node.children) {
      if (node.leaf) {
        const spot = child as Spot
        queue.push({ meters: distanceMeters(p, { lon: spot.minX, lat: spot.minY }), node: null, spot })
      }
      else {
        queue.push({ meters: lowerBound(p, child), node: child as TreeNode, spot: null })
      }
    }
  }
}
