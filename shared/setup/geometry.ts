import type { PolygonRings } from '../kernel/geo.ts'

// The few planar polygon checks a package needs and turf does not ship with us (kinks, area, intersection).
// Planar on lon/lat is fine at subdistrict scale: every figure here is a share of an area, never an area itself.

type Pt = readonly [number, number]

/** Why a ring cannot be a polygon boundary, or null: at least four positions, first = last, no crossing edges. */
export function ringProblem(ring: readonly number[][]): 'too_few_points' | 'ring_not_closed' | 'self_intersection' | null {
  if (ring.length < 4)
    return 'too_few_points'
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1])
    return 'ring_not_closed'
  if (new Set(ring.slice(0, -1).map(p => `${p[0]},${p[1]}`)).size < 3)
    return 'too_few_points'
  return selfIntersects(ring) ? 'self_intersection' : null
}

function orient(a: Pt, b: Pt, c: Pt): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

function onSegment(a: Pt, b: Pt, p: Pt): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])
}

function segmentsTouch(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
    return true
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d))
    || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b))
}

/** Any two non-adjacent edges of a closed ring that cross or touch (a figure eight, a spike back onto itself). */
export function selfIntersects(ring: readonly number[][]): boolean {
  const n = ring.length - 1
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1)
      const a = ring[i] as unknown as Pt
      const b = ring[i + 1] as unknown as Pt
      const c = ring[j] as unknown as Pt
      const d = ring[j + 1] as unknown as Pt
      if (adjacent) {
        // Adjacent edges share one end; they overlap only if they fold back along each other.
        const shared = j === i + 1 ? b : a
        const other = j === i + 1 ? d : c
        const mine = j === i + 1 ? a : b
        if (orient(mine, shared, other) === 0 && (other[0] - shared[0]) * (mine[0] - shared[0]) + (other[1] - shared[1]) * (mine[1] - shared[1]) > 0)
          return true
        continue
      }
      if (segmentsTouch(a, b, c, d))
        return true
    }
  }
  return false
}

function ringArea(ring: readonly number[][], ox: number, oy: number): number {
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++)
    s += (ring[i]![0]! - ox) * (ring[i + 1]![1]! - oy) - (ring[i + 1]![0]! - ox) * (ring[i]![1]! - oy)
  return s / 2
}

/** Area of a polygon (outer ring minus holes), in square degrees. */
export function polygonArea(rings: PolygonRings): number {
  const [ox, oy] = rings[0]?.[0] ?? [0, 0]
  return rings.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(ringArea(r, ox!, oy!)), 0)
}

/** Clips convex polygon `subject` by convex CCW polygon `clip` (Sutherland–Hodgman). */
function clipConvex(subject: Pt[], clip: Pt[]): Pt[] {
  let out = subject
  for (let i = 0; i < clip.length && out.length > 0; i++) {
    const a = clip[i]!
    const b = clip[(i + 1) % clip.length]!
    const input = out
    out = []
    for (let k = 0; k < input.length; k++) {
      const p = input[k]!
      const q = input[(k + 1) % input.length]!
      const pin = orient(a, b, p) >= 0
      const qin = orient(a, b, q) >= 0
      if (pin)
        out.push(p)
      if (pin !== qin) {
        const t = orient(a, b, p) / (orient(a, b, p) - orient(a, b, q))
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])])
      }
    }
  }
  return out
}

function convexArea(poly: Pt[]): number {
  let s = 0
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!
    const q = poly[(i + 1) % poly.length]!
    s += p[0] * q[1] - q[0] * p[1]
  }
  return Math.abs(s) / 2
}

/** Signed triangles (origin, p, q) of every edge of every ring; outer rings count positive, holes negative. */
function fan(rings: PolygonRings, ox: number, oy: number): { tri: Pt[], sign: number }[] {
  const out: { tri: Pt[], sign: number }[] = []
  rings.forEach((ring, r) => {
    const flip = (ringArea(ring, ox, oy) >= 0) === (r === 0) ? 1 : -1
    for (let i = 0; i + 1 < ring.length; i++) {
      const p: Pt = [ring[i]![0]! - ox, ring[i]![1]! - oy]
      const q: Pt = [ring[i + 1]![0]! - ox, ring[i + 1]![1]! - oy]
      const o = p[0] * q[1] - q[0] * p[1]
      if (o === 0)
        continue
      out.push({ tri: o > 0 ? [[0, 0], p, q] : [[0, 0], q, p], sign: flip * Math.sign(o) })
    }
  })
  return out
}

/**
 * Area shared by two simple polygons: the sum over pairs of signed origin triangles of their convex overlap
 * (a polygon is the signed sum of the triangles its edges make with any point), so neither needs to be convex.
 */
export function intersectionArea(a: PolygonRings, b: PolygonRings): number {
  const [ox, oy] = a[0]?.[0] ?? [0, 0]
  const fa = fan(a, ox!, oy!)
  const fb = fan(b, ox!, oy!)
  let sum = 0
  for (const s of fa) {
    for (const t of fb) {
      const piece = clipConvex(s.tri, t.tri)
      if (piece.length >= 3)
        sum += s.sign * t.sign * convexArea(piece)
    }
  }
  return Math.max(0, sum)
}
