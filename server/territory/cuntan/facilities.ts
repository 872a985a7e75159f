import type { Depot, Facilities, Grid, ResourceKind, RiskPoint, RiskPointKind, RiskTag, Shelter, Territory } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'
import type { GridLayout } from './territory.ts'
import { pointIn } from './outline.ts'
import { CUNTAN_RESOURCE_KINDS, CUNTAN_RISK_POINT_KINDS, CUNTAN_RISK_TAGS } from './vocab.ts'

// Grid stations, risk points, shelters and depots. Every point is drawn inside a grid's parameter cell
// (never on its edge), so it lies inside that grid and therefore inside the subdistrict.

const STATIONS = 30
const ROADS = ['寸滩大道', '港城东路', '港城南路', '兰溪路', '黑石子路', '海尔路', '滨江路', '朝阳河路', '溉澜溪路', '寸滩正街', '码头路', '五宝路']
const RISK_KINDS: readonly { kind: RiskPointKind, tag: RiskTag, count: number, suffix: string, fy: [number, number] }[] = [
  // Low-lying roads sit on the river side of their grid.
  { kind: 'low_lying_road', tag: 'low_lying', count: 14, suffix: '低洼路段', fy: [0.1, 0.35] },
  { kind: 'slope', tag: 'slope', count: 13, suffix: '边坡', fy: [0.3, 0.8] },
  { kind: 'old_building', tag: 'old_building', count: 13, suffix: '老旧楼栋', fy: [0.25, 0.75] },
]
const TAG_ORDER: readonly RiskTag[] = ['riverside', 'low_lying', 'slope', 'old_building']

const SHELTERS: readonly [name: string, capacity: [number, number]][] = [
  ['寸滩实验小学避难场所', [800, 1500]],
  ['港城中学避难场所', [1200, 2000]],
  ['兰溪社区综合服务中心', [200, 500]],
  ['海尔路社区文化活动中心', [200, 500]],
  ['朝阳河小学避难场所', [600, 1200]],
  ['溉澜溪社区党群服务中心', [200, 400]],
]
const DEPOTS: readonly [name: string, riverside: boolean, scale: number][] = [
  ['寸滩街道应急物资储备库', false, 3],
  ['寸滩码头防汛物资点', true, 1],
  ['港城防汛物资点', true, 1],
  ['兰溪社区防汛物资点', true, 1],
  ['黑石子应急物资点', false, 1],
]

const pad = (n: number): string => String(n).padStart(2, '0')

function ensureTag(grid: Grid, tag: RiskTag): void {
  if (!grid.riskTags.includes(tag))
    grid.riskTags = TAG_ORDER.filter(t => t === tag || grid.riskTags.includes(t))
}

export function buildFacilities(rng: Rng, territory: Territory, layout: Map<string, GridLayout>): Facilities {
  const { grids, communities } = territory
  const inside = (grid: Grid, fx: [number, number], fy: [number, number]) =>
    pointIn(layout.get(grid.id)!.cell, rng.float(...fx), rng.float(...fy))

  // Stations: three per community, the rest anywhere; at most one per grid.
  const picked = communities.flatMap(c => rng.shuffle(grids.filter(g => g.communityId === c.id)).slice(0, 3))
  const rest = rng.shuffle(grids.filter(g => !picked.includes(g))).slice(0, STATIONS - picked.length)
  const stations = [...picked, ...rest]
    .sort((a, b) => grids.indexOf(a) - grids.indexOf(b))
    .map((grid, i) => ({ id: `st-${pad(i + 1)}`, name: `${grid.name}驿站`, gridId: grid.id, location: inside(grid, [0.25, 0.75], [0.25, 0.75]) }))

  const riskPoints: RiskPoint[] = []
  for (const spec of RISK_KINDS) {
    const tagged = grids.filter(g => g.riskTags.includes(spec.tag))
    const pool = rng.shuffle(tagged.length > 0 ? tagged : grids)
    for (let k = 0; k < spec.count; k++) {
      const grid = pool[k % pool.length]!
      ensureTag(grid, spec.tag)
      const road = rng.pick(ROADS)
      const name = spec.kind === 'low_lying_road' ? `${road}${rng.int(1, 9)}段${spec.suffix}` : `${road}${rng.int(1, 400)}号${spec.suffix}`
      riskPoints.push({ id: `rp-${pad(riskPoints.length + 1)}`, name, kind: spec.kind, gridId: grid.id, location: inside(grid, [0.2, 0.8], spec.fy) })
    }
  }

  // Shelters stand on high ground: grids that do not touch the river.
  const inland = rng.shuffle(grids.filter(g => !layout.get(g.id)!.riverside && !g.riskTags.includes('low_lying')))
  const shelters: Shelter[] = SHELTERS.map(([name, [lo, hi]], i) => ({
    id: `sh-${pad(i + 1)}`,
    name,
    capacity: 50 * Math.round(rng.int(lo, hi) / 50),
    location: inside(inland[i]!, [0.3, 0.7], [0.3, 0.7]),
  }))

  const riverside = rng.shuffle(grids.filter(g => layout.get(g.id)!.riverside))
  const depots: Depot[] = DEPOTS.map(([name, nearRiver, scale], i) => {
    const grid = nearRiver ? riverside[i]! : inland[SHELTERS.length + i]!
    const qty = (kind: ResourceKind, lo: number, hi: number, step = 1): { kind: ResourceKind, qty: number } =>
      ({ kind, qty: step * Math.round(scale * rng.int(lo, hi) / step) })
    return {
      id: `dp-${pad(i + 1)}`,
      name,
      location: inside(grid, [0.3, 0.7], [0.3, 0.7]),
      items: [
        qty('pump', 2, 6),
        qty('sandbag', 500, 2000, 100),
        qty('vehicle', 1, 2),
        qty('generator', 1, 3),
        qty('boat', nearRiver ? 1 : 0, nearRiver ? 2 : 1),
        qty('lifejacket', 30, 80, 10),
      ],
    }
  })

  return { depots, stations, riskPoints, shelters, riskTags: structuredClone(CUNTAN_RISK_TAGS), riskPointKinds: structuredClone(CUNTAN_RISK_POINT_KINDS), resourceKinds: structuredClone(CUNTAN_RESOURCE_KINDS) }
}
