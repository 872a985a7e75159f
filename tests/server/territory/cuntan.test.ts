import type { LngLat, Person } from '../../../shared/territory/types.ts'
import { describe, expect, it } from 'vitest'
import { jiangbeiDistrict, yangtzeLine } from '../../../server/territory/basemap.ts'
import { buildCuntanReference } from '../../../server/territory/cuntan/reference.ts'

const ref = buildCuntanReference()
const { grids, communities } = ref.territory
const people = new Map(ref.org.people.map(p => [p.id, p]))
const gridById = new Map(grids.map(g => [g.id, g]))

/**
 * Strict even-odd point-in-polygon. shared/territory/geo.ts counts points within ~0.4 m of a short edge as on it,
 * which would make a sample point next to a shared edge look like an overlap.
 */
function pointInRings(p: LngLat, rings: number[][][]): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [ax, ay] = ring[i] as [number, number]
      const [bx, by] = ring[j] as [number, number]
      if ((ay > p.lat) !== (by > p.lat) && p.lon < ax + (p.lat - ay) * (bx - ax) / (by - ay))
        inside = !inside
    }
  }
  return inside
}

function segmentsCross(a: number[], b: number[], c: number[], d: number[]): boolean {
  const orient = (p: number[], q: number[], r: number[]): number =>
    Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!))
  return orient(a, b, c) !== orient(a, b, d) && orient(c, d, a) !== orient(c, d, b)
}

function edges(line: number[][]): [number[], number[]][] {
  return line.slice(1).map((b, i) => [line[i]!, b])
}

function withRole(role: Person['roles'][number]): Person[] {
  return ref.org.people.filter(p => p.roles.includes(role))
}

describe('buildCuntanReference', () => {
  it('gives byte-identical JSON for the same seed and different data for another', () => {
    expect(JSON.stringify(buildCuntanReference())).toBe(JSON.stringify(ref))
    expect(JSON.stringify(buildCuntanReference('other'))).toBe(JSON.stringify(buildCuntanReference('other')))
    expect(JSON.stringify(buildCuntanReference('other'))).not.toBe(JSON.stringify(ref))
  })

  it('has the organisation counts of the source', () => {
    expect(grids).toHaveLength(127)
    expect(communities).toHaveLength(8)
    expect(communities.map(c => c.name)).toContain('兰溪社区')
    expect(withRole('grid_worker')).toHaveLength(127)
    expect(ref.org.people.filter(p => p.title === '网格指导员')).toHaveLength(57)
    expect(withRole('leader')).toHaveLength(12)
    expect(withRole('commander')).toHaveLength(1)
    expect(new Set(withRole('sector_lead').map(p => p.sectorId))).toEqual(new Set(['party', 'economy', 'livelihood', 'safety']))
    expect(ref.org.people.length).toBeGreaterThanOrEqual(400)
    expect(ref.org.people.length).toBeLessThanOrEqual(600)
  })

  it('keeps ids unique and every grid within 200–900 households', () => {
    for (const list of [ref.org.people, grids, communities, ref.org.forceUnits, ref.facilities.stations, ref.facilities.riskPoints])
      expect(new Set(list.map(x => x.id)).size).toBe(list.length)
    for (const g of grids)
      expect(g.households).toBeGreaterThanOrEqual(200)
    expect(Math.max(...grids.map(g => g.households))).toBeLessThanOrEqual(900)
  })

  it('places every grid inside Jiangbei and on the land side of the Yangtze', () => {
    const outline = jiangbeiDistrict().features[0]!.geometry
    expect(outline.type).toBe('Polygon')
    const jiangbei = outline.coordinates as number[][][]
    const river = yangtzeLine()
    // East of the Chaotianmen bend the centreline runs west → east, so "north of it" is well defined.
    const riverEast = river.slice(river.findIndex(p => p[0]! < 106.5790 && p[1]! > 29.59))
    const riverLatAt = (lon: number): number => {
      const i = riverEast.findIndex(p => p[0]! >= lon)
      const [a, b] = [riverEast[i - 1]!, riverEast[i]!]
      return a[1]! + (b[1]! - a[1]!) * (lon - a[0]!) / (b[0]! - a[0]!)
    }
    const vertices = grids.flatMap(g => g.polygon[0]!.map(([lon, lat]) => ({ grid: g.id, lon: lon!, lat: lat! })))
    expect(vertices.filter(v => !pointInRings(v, jiangbei))).toEqual([])
    expect(vertices.filter(v => v.lat <= riverLatAt(v.lon))).toEqual([])
    const gridEdges = grids.flatMap(g => edges(g.polygon[0]!).map(([a, b]) => ({ grid: g.id, a, b })))
    const crossing = (line: number[][]) => gridEdges.filter(({ a, b }) => edges(line).some(([c, d]) => segmentsCross(a, b, c, d)))
    expect(crossing(river)).toEqual([])
    expect(crossing(jiangbei[0]!)).toEqual([])
  })

  it('tags the grids nearest the river as riverside', () => {
    const river = yangtzeLine()
    // Distance in metres to the nearest river vertex (vertices are ≈ 580 m apart, so this is coarse but monotone).
    const toRiver = (p: LngLat): number =>
      Math.min(...river.map(([lon, lat]) => Math.hypot((lon! - p.lon) * 96_800, (lat! - p.lat) * 111_200)))
    const riverside = grids.filter(g => g.riskTags.includes('riverside')).map(g => toRiver(g.center))
    const inland = grids.filter(g => !g.riskTags.includes('riverside')).map(g => toRiver(g.center))
    expect(riverside.length).toBeGreaterThanOrEqual(10)
    expect(Math.max(...riverside)).toBeLessThan(1000)
    expect(Math.min(...inland)).toBeGreaterThan(300)
    expect(riverside.reduce((a, b) => a + b) / riverside.length).toBeLessThan(inland.reduce((a, b) => a + b) / inland.length)
  })

  it('tiles each community with non-overlapping grids whose centres lie inside them', () => {
    const xs = grids.flatMap(g => g.polygon[0]!.map(p => p[0]!))
    const ys = grids.flatMap(g => g.polygon[0]!.map(p => p[1]!))
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
    const samples = Array.from({ length: 120 * 80 }, (_, k) => {
      const p: LngLat = { lon: minX + (Math.floor(k / 80) + 0.37) * (maxX - minX) / 120, lat: minY + (k % 80 + 0.61) * (maxY - minY) / 80 }
      const inGrids = grids.filter(g => pointInRings(p, g.polygon))
      return { p, grids: inGrids.map(g => g.id), gridCommunities: inGrids.map(g => g.communityId), communities: communities.filter(c => pointInRings(p, c.polygon)).map(c => c.id) }
    })
    expect(samples.filter(s => s.grids.length > 1)).toEqual([])
    expect(samples.filter(s => s.communities.length > 1)).toEqual([])
    // Covering: a point in a community is in exactly one of its grids.
    expect(samples.filter(s => s.gridCommunities.join() !== s.communities.join())).toEqual([])
    // The grid covers the subdistrict's bounding box only in part; most of it is land inside a grid.
    expect(samples.filter(s => s.grids.length === 1).length).toBeGreaterThan(1000)
    expect(grids.filter(g => !pointInRings(g.center, g.polygon)).map(g => g.id)).toEqual([])
  })

  it('gives every grid a roster of existing people in the right roles', () => {
    expect(ref.org.rosters.map(r => r.gridId).sort()).toEqual(grids.map(g => g.id).sort())
    for (const r of ref.org.rosters) {
      expect(people.get(r.workerId)?.roles).toContain('grid_worker')
      expect(people.get(r.instructorId)?.title).toBe('网格指导员')
      expect(people.get(r.contactLeaderId)?.roles).toEqual(['leader'])
      expect(r.liaisons.length).toBeGreaterThanOrEqual(6)
      for (const l of r.liaisons)
        expect(people.get(l.personId)?.forceKind).toBe(l.kind)
      const names = [r.workerId, r.instructorId, r.contactLeaderId, ...r.liaisons.map(l => l.personId)].map(id => people.get(id)!.name)
      expect(new Set(names).size).toBe(names.length)
    }
    expect(new Set(ref.org.rosters.map(r => r.workerId)).size).toBe(127)
  })

  it('gives instructors 2–3 grids and contact leaders 10–11', () => {
    const load = (key: 'instructorId' | 'contactLeaderId'): number[] => {
      const counts = new Map<string, number>()
      for (const r of ref.org.rosters)
        counts.set(r[key], (counts.get(r[key]) ?? 0) + 1)
      return [...counts.values()]
    }
    expect(load('instructorId')).toHaveLength(57)
    expect(new Set(load('instructorId'))).toEqual(new Set([2, 3]))
    expect(load('contactLeaderId')).toHaveLength(12)
    expect(new Set(load('contactLeaderId'))).toEqual(new Set([10, 11]))
  })

  it('has units of all force kinds with 3–12 real members each', () => {
    expect(new Set(ref.org.forceUnits.map(u => u.kind))).toEqual(new Set(ref.org.forceKinds.map(k => k.id)))
    for (const u of ref.org.forceUnits) {
      expect(u.memberIds.length).toBeGreaterThanOrEqual(3)
      expect(u.memberIds.length).toBeLessThanOrEqual(12)
      for (const id of u.memberIds)
        expect(people.get(id)).toMatchObject({ forceKind: u.kind, forceUnitId: u.id, roles: ['force_member'] })
    }
  })

  it('staffs every catalogue post with 2–3 people', () => {
    for (const post of ref.org.posts) {
      const staff = withRole('post_staff').filter(p => p.postId === post.id)
      expect(staff.length).toBeGreaterThanOrEqual(2)
      expect(staff.length).toBeLessThanOrEqual(3)
    }
  })

  it('puts stations and risk points inside the grid they name, and every point inside the subdistrict', () => {
    const { stations, riskPoints, shelters, depots } = ref.facilities
    expect(stations).toHaveLength(30)
    expect(riskPoints.length).toBeGreaterThanOrEqual(35)
    expect(new Set(riskPoints.map(p => p.kind))).toEqual(new Set(['low_lying_road', 'slope', 'old_building']))
    expect([...stations, ...riskPoints].filter(f => !pointInRings(f.location, gridById.get(f.gridId)!.polygon)).map(f => f.id)).toEqual([])
    const points = [...shelters.map(s => ({ id: s.id, at: s.location })), ...depots.map(d => ({ id: d.id, at: d.location })), ...ref.org.forceUnits.map(u => ({ id: u.id, at: u.base }))]
    expect(points.filter(p => !grids.some(g => pointInRings(p.at, g.polygon))).map(p => p.id)).toEqual([])
    const tagOf: Record<string, string> = { low_lying_road: 'low_lying', slope: 'slope', old_building: 'old_building' }
    for (const rp of riskPoints)
      expect(gridById.get(rp.gridId)!.riskTags).toContain(tagOf[rp.kind])
  })
})
