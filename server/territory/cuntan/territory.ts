import type { Community, Grid, RiskTag, Territory } from '../../../shared/territory/types.ts'
import type { Rng } from '../../kernel/random.ts'
import type { Cell } from './outline.ts'
import { cellPolygon, meanHeight, OUTLINE, pointIn, toLngLat } from './outline.ts'

// Communities and grids of the demo outline. INVENTED: names are plausible, not Cuntan's real ones
// (the source names only 兰溪社区). Communities are a 4 × 2 layout — a riverside row and an inland row — and
// each community is cut into jittered columns of jittered cells, so grids tile it with no gaps or overlaps.

export const GRID_TOTAL = 127
const KM_PER_DEG_LON = 96.8 // at 29.6° N
const KM_PER_DEG_LAT = 111.2

/** West → east; the first four are the riverside row, the last four inland. */
const COMMUNITY_NAMES: readonly [id: string, name: string, nameEn: string][] = [
  ['cm-cuntan', '寸滩社区', 'Cuntan'],
  ['cm-gangcheng', '港城社区', 'Gangcheng'],
  ['cm-lanxi', '兰溪社区', 'Lanxi'],
  ['cm-heishizi', '黑石子社区', 'Heishizi'],
  ['cm-dafosi', '大佛寺社区', 'Dafosi'],
  ['cm-haierlu', '海尔路社区', 'Haierlu'],
  ['cm-chaoyanghe', '朝阳河社区', 'Chaoyanghe'],
  ['cm-gailanxi', '溉澜溪社区', 'Gailanxi'],
]

export interface GridLayout { cell: Cell, riverside: boolean, column: number }
export interface TerritoryLayout {
  territory: Territory
  /** Parameter-space cell of each grid by id: facilities use it to place points strictly inside grids. */
  grids: Map<string, GridLayout>
}

/** Longitudes splitting the outline into `parts` columns of about equal area (± jitter). */
function equalAreaSplits(rng: Rng, x0: number, x1: number, parts: number, jitter: number): number[] {
  const steps = 400
  const cumulative = [0]
  for (let i = 0; i < steps; i++) {
    const a = x0 + i * (x1 - x0) / steps
    cumulative.push(cumulative[i]! + meanHeight(a, a + (x1 - x0) / steps))
  }
  const total = cumulative[steps]!
  const splits = [x0]
  for (let k = 1; k < parts; k++) {
    const target = total * (k + rng.float(-jitter, jitter)) / parts
    const i = cumulative.findIndex(c => c >= target)
    splits.push(x0 + i * (x1 - x0) / steps)
  }
  splits.push(x1)
  return splits
}

/** Cuts [a, b] into n pieces of jittered length. */
function jitteredSplits(rng: Rng, a: number, b: number, n: number): number[] {
  const out = [a]
  for (let i = 1; i < n; i++)
    out.push(a + (b - a) * (i + rng.float(-0.22, 0.22)) / n)
  out.push(b)
  return out
}

function areaKm2(c: Cell): number {
  return (c.x1 - c.x0) * KM_PER_DEG_LON * meanHeight(c.x0, c.x1) * (c.v1 - c.v0) * KM_PER_DEG_LAT
}

/** Largest-remainder apportionment of `total` by weight, at least `min` each. */
function apportion(weights: number[], total: number, min: number): number[] {
  const free = total - min * weights.length
  const sum = weights.reduce((s, w) => s + w, 0)
  const exact = weights.map(w => (w / sum) * free)
  const counts = exact.map(e => Math.floor(e))
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((p, q) => q.r - p.r || p.i - q.i)
  const missing = free - counts.reduce((s, c) => s + c, 0)
  for (let k = 0; k < missing; k++)
    counts[order[k]!.i]! += 1
  return counts.map(c => c + min)
}

function riskTags(rng: Rng, riverside: boolean, inlandness: number, oldTown: boolean): RiskTag[] {
  const tags: RiskTag[] = []
  if (riverside)
    tags.push('riverside')
  if ((riverside && rng.chance(0.65)) || (!riverside && inlandness < 0.3 && rng.chance(0.2)))
    tags.push('low_lying')
  if (rng.chance(inlandness > 0.4 ? 0.3 : 0.12))
    tags.push('slope')
  if (rng.chance(oldTown ? 0.4 : 0.15))
    tags.push('old_building')
  return tags
}

function splitCommunity(rng: Rng, cell: Cell, n: number): Cell[] {
  const width = (cell.x1 - cell.x0) * KM_PER_DEG_LON
  const height = meanHeight(cell.x0, cell.x1) * (cell.v1 - cell.v0) * KM_PER_DEG_LAT
  const columns = Math.min(n, Math.max(1, Math.round(Math.sqrt(n * width / height))))
  const rows = apportion(Array.from({ length: columns }, () => rng.float(0.8, 1.2)), n, 1)
  const xs = jitteredSplits(rng, cell.x0, cell.x1, columns)
  const cells: Cell[] = []
  rows.forEach((count, c) => {
    const vs = jitteredSplits(rng, cell.v0, cell.v1, count)
    for (let r = 0; r < count; r++)
      cells.push({ x0: xs[c]!, x1: xs[c + 1]!, v0: vs[r]!, v1: vs[r + 1]! })
  })
  return cells
}

export function buildTerritory(rng: Rng): TerritoryLayout {
  const xs = equalAreaSplits(rng, OUTLINE.x0, OUTLINE.x1, 4, 0.08)
  const communityCells: Cell[] = []
  for (let row = 0; row < 2; row++) {
    for (let col = 0; col < 4; col++) {
      const split = 0.5 + rng.float(-0.08, 0.08)
      communityCells.push(row === 0
        ? { x0: xs[col]!, x1: xs[col + 1]!, v0: 0, v1: split }
        : { x0: xs[col]!, x1: xs[col + 1]!, v0: communityCells[col]!.v1, v1: 1 })
    }
  }
  const counts = apportion(communityCells.map(c => areaKm2(c) * rng.float(0.85, 1.15)), GRID_TOTAL, 10)

  const communities: Community[] = []
  const grids: Grid[] = []
  const layout = new Map<string, GridLayout>()
  communityCells.forEach((cell, i) => {
    const [id, name, nameEn] = COMMUNITY_NAMES[i]!
    communities.push({ id, name, nameEn, polygon: cellPolygon(cell), center: pointIn(cell, 0.5, 0.5) })
    const oldTown = i % 4 < 2
    splitCommunity(rng, cell, counts[i]!).forEach((g, k) => {
      const gridId = `g-${id.slice(3)}-${String(k + 1).padStart(2, '0')}`
      const riverside = g.v0 === 0
      grids.push({
        id: gridId,
        communityId: id,
        name: `${name}第${k + 1}网格`,
        polygon: cellPolygon(g),
        center: pointIn(g, 0.5, 0.5),
        riskTags: riskTags(rng, riverside, (g.v0 + g.v1) / 2, oldTown),
        households: 10 * rng.int(20, 90),
      })
      layout.set(gridId, { cell: g, riverside, column: i % 4 })
    })
  })

  return {
    territory: {
      subdistrict: { id: 'cuntan', name: '寸滩街道', nameEn: 'Cuntan (demo geometry)', code: '500105005000', center: toLngLat((OUTLINE.x0 + OUTLINE.x1) / 2, 0.5), wallTitle: '寸滩街道基层治理指挥中心', wallTitleEn: 'Cuntan Subdistrict Grassroots Governance Command Center', capAreaCodes: ['500105005', '500105', '500100', '500000'], capAreaNames: ['寸滩街道', '江北区', '江北區', 'Jiangbei District', 'Jiangbei', '重庆市', '重慶市', 'Chongqing City', 'Chongqing Municipality', 'Chongqing'] },
      communities,
      grids,
    },
    grids: layout,
  }
}
