import type { PackageOrigins } from '../../../shared/setup/origins.ts'
import { describe, expect, it } from 'vitest'
import { buildJialingPackage } from '../../../scripts/make-jialing.ts'
import { intersectionArea, polygonArea, ringProblem } from '../../../shared/setup/geometry.ts'
import { emptyOrigins } from '../../../shared/setup/origins.ts'
import { packageIssues, validatePackage } from '../../../shared/setup/validate.ts'

const square = (x: number, y: number, s: number): number[][] => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]
/** An L: the unit square at the origin's 2×2 block minus its top-right quarter (concave). */
const L = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]

describe('ring checks', () => {
  it('accepts a closed simple ring in either orientation', () => {
    expect(ringProblem(square(0, 0, 1))).toBeNull()
    expect(ringProblem([...square(0, 0, 1)].reverse())).toBeNull()
    expect(ringProblem(L)).toBeNull()
  })

  it('names an open ring, too few points and crossing edges', () => {
    expect(ringProblem(square(0, 0, 1).slice(0, 4))).toBe('ring_not_closed')
    expect(ringProblem([[0, 0], [1, 0], [0, 0]])).toBe('too_few_points')
    expect(ringProblem([[0, 0], [1, 0], [1, 0], [0, 0]])).toBe('too_few_points')
    expect(ringProblem([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).toBe('self_intersection')
  })

  it('names a ring that touches itself at a vertex or folds back on an edge', () => {
    expect(ringProblem([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]])).toBe('self_intersection')
    expect(ringProblem([[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]])).toBe('self_intersection')
  })
})

describe('areas', () => {
  it('measures a polygon with a hole', () => {
    expect(polygonArea([square(0, 0, 4), square(1, 1, 1)])).toBe(15)
    expect(polygonArea([L])).toBe(3)
  })

  it('measures the overlap of two squares, of nested ones and of neighbours sharing an edge', () => {
    expect(intersectionArea([square(0, 0, 2)], [square(1, 1, 2)])).toBeCloseTo(1, 12)
    expect(intersectionArea([square(0, 0, 4)], [square(1, 1, 1)])).toBeCloseTo(1, 12)
    expect(intersectionArea([square(0, 0, 1)], [square(1, 0, 1)])).toBeCloseTo(0, 12)
    expect(intersectionArea([square(0, 0, 1)], [square(5, 5, 1)])).toBe(0)
  })

  it('measures overlaps of a concave polygon and of one with a hole', () => {
    expect(intersectionArea([L], [square(1, 1, 1)])).toBeCloseTo(0, 12) // the notch
    expect(intersectionArea([L], [square(0.5, 0.5, 1)])).toBeCloseTo(0.75, 12)
    expect(intersectionArea([square(0, 0, 4), square(1, 1, 2)], [square(0, 0, 2)])).toBeCloseTo(3, 12)
    expect(intersectionArea([[...L].reverse()], [[...square(0.5, 0.5, 1)].reverse()])).toBeCloseTo(0.75, 12)
  })
})

describe('validatePackage', () => {
  it('finds nothing wrong with a consistent package', () => {
    expect(validatePackage(buildJialingPackage(), emptyOrigins())).toEqual([])
  })

  it('places an issue with its origin, or at its section when the record has none', () => {
    const pkg = buildJialingPackage()
    pkg.reference.territory.grids[2]!.communityId = 'cm-lost'
    pkg.reference.org.people[3]!.sectorId = 'lost'
    const origins: PackageOrigins = {
      records: new Map([['grids:jl-binjiang-3', { file: 'grids.geojson', row: 3 }]]),
      columns: { grids: { communityId: 'community' } },
      sections: { people: { file: 'subdistrict.xlsx', sheet: '人员' } },
    }
    expect(validatePackage(pkg, origins)).toEqual([
      { file: 'grids.geojson', row: 3, column: 'community', id: 'jl-binjiang-3', code: 'unknown_reference', reason: '未知的社区：cm-lost', reasonEn: 'unknown community cm-lost' },
      { file: 'subdistrict.xlsx', sheet: '人员', column: 'sectorId', id: 'jl-sl-governance', code: 'unknown_reference', reason: '未知的板块：lost', reasonEn: 'unknown sector lost' },
    ])
  })

  it('takes the overlap tolerance as an option', () => {
    const pkg = buildJialingPackage()
    for (const k of [0, 3, 4]) pkg.reference.territory.grids[1]!.polygon[0]![k]![0]! -= 0.005 * 0.0036
    expect(packageIssues(pkg)).toEqual([])
    expect(packageIssues(pkg, { tolerance: 0.001 }).map(i => [i.id, i.code])).toEqual([['jl-binjiang-2', 'grid_overlap']])
  })

  it('finds no grid issue among 1,000 grids that only touch', () => {
    const pkg = buildJialingPackage()
    const grids = []
    for (let i = 0; i < 1000; i++) {
      const x = 106 + (i % 40) * 0.001
      const y = 30 + Math.floor(i / 40) * 0.001
      grids.push({ id: `g${i}`, communityId: 'cm-binjiang', name: `g${i}`, polygon: [square(x, y, 0.001)], center: { lon: x, lat: y }, riskTags: [], households: 1 })
    }
    pkg.reference.territory.communities = [{ id: 'cm-binjiang', name: 'c', nameEn: '', polygon: [square(106, 30, 0.04)], center: { lon: 106.02, lat: 30.02 } }]
    pkg.reference.territory.grids = grids
    pkg.reference.org.rosters = []
    pkg.reference.facilities.stations = []
    pkg.reference.facilities.riskPoints = []
    pkg.plans = []
    // How long this takes belongs in bench/, not here (a loaded CI machine once took 1.2 s).
    const issues = packageIssues(pkg)
    expect(issues.filter(i => i.code.startsWith('grid_'))).toEqual([])
  })
})
