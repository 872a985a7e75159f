import type { BBox } from '../kernel/geo.ts'
import type { Grid } from '../territory/types.ts'
import type { Issue } from './origins.ts'
import type { SubdistrictPackage } from './package.ts'
import RBush from 'rbush'
import { bboxOf } from '../kernel/geo.ts'
import { intersectionArea, polygonArea, ringProblem } from './geometry.ts'

// Rings are valid polygons; grids tile their territory: no two overlap and none lies outside every community,
// each beyond a share of the grid's area (neighbours drawn by hand never match to the last digit).

export const DEFAULT_TOLERANCE = 0.01

const RING_REASONS: Record<string, [zh: string, en: string]> = {
  too_few_points: ['多边形的环少于 3 个不同顶点', 'a ring has fewer than 3 distinct positions'],
  ring_not_closed: ['多边形的环未闭合（首尾坐标须相同）', 'a ring is not closed (first and last positions must be equal)'],
  self_intersection: ['多边形的边自相交', 'the polygon\'s edges intersect each other'],
}

function ringIssues(section: string, id: string, rings: number[][][]): Issue[] {
  if (rings.length === 0)
    return [{ section, id, field: 'geometry', code: 'too_few_points', reason: RING_REASONS.too_few_points![0], reasonEn: RING_REASONS.too_few_points![1] }]
  for (const ring of rings) {
    const problem = ringProblem(ring)
    if (problem)
      return [{ section, id, field: 'geometry', code: problem, reason: RING_REASONS[problem]![0], reasonEn: RING_REASONS[problem]![1] }]
  }
  return []
}

interface Item extends BBox { i: number }

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

export function checkGeometry(pkg: SubdistrictPackage, tolerance = DEFAULT_TOLERANCE): Issue[] {
  const { communities, grids } = pkg.reference.territory
  const out: Issue[] = []
  const goodCommunities = communities.filter((c) => {
    const issues = ringIssues('communities', c.id, c.polygon)
    out.push(...issues)
    return issues.length === 0
  })
  const goodGrids: Grid[] = grids.filter((g) => {
    const issues = ringIssues('grids', g.id, g.polygon)
    out.push(...issues)
    return issues.length === 0
  })

  const gridTree = new RBush<Item>()
  gridTree.load(goodGrids.map((g, i) => ({ ...bboxOf(g.polygon), i })))
  const communityTree = new RBush<Item>()
  communityTree.load(goodCommunities.map((c, i) => ({ ...bboxOf(c.polygon), i })))
  const areas = goodGrids.map(g => polygonArea(g.polygon))

  goodGrids.forEach((g, i) => {
    const box = bboxOf(g.polygon)
    for (const hit of gridTree.search(box)) {
      if (hit.i <= i)
        continue
      const other = goodGrids[hit.i]!
      const share = intersectionArea(g.polygon, other.polygon) / Math.min(areas[i]!, areas[hit.i]!)
      if (share > tolerance) {
        out.push({ section: 'grids', id: other.id, field: 'geometry', code: 'grid_overlap', reason: `与网格 ${g.id} 重叠 ${pct(share)}（容差 ${pct(tolerance)}）`, reasonEn: `overlaps grid ${g.id} by ${pct(share)} (tolerance ${pct(tolerance)})` })
      }
    }
    const inside = communityTree.search(box).reduce((s, hit) => s + intersectionArea(g.polygon, goodCommunities[hit.i]!.polygon), 0)
    const outside = areas[i]! > 0 ? 1 - inside / areas[i]! : 0
    if (outside > tolerance)
      out.push({ section: 'grids', id: g.id, field: 'geometry', code: 'grid_outside', reason: `${pct(outside)} 的面积不在任何社区内（容差 ${pct(tolerance)}）`, reasonEn: `${pct(outside)} of its area lies outside every community (tolerance ${pct(tolerance)})` })
  })
  return out
}
