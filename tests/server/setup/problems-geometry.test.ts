import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import { describe, expect, it } from 'vitest'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { jialing, problemsAfter, where } from './helpers.ts'

// Geometry that cannot be a grid or a community, and grids that do not tile the territory.

const ring = (p: SubdistrictPackage, grid: number): number[][] => p.reference.territory.grids[grid]!.polygon[0]!

/** Moves a rectangle grid's west edge (vertices 0, 3, 4) by dx degrees. */
function moveWest(p: SubdistrictPackage, grid: number, dx: number): void {
  for (const k of [0, 3, 4]) ring(p, grid)[k]![0]! += dx
}

describe('polygon rings', () => {
  it('names a ring that is not closed', async () => {
    const problems = await problemsAfter(p => ring(p, 2).pop())
    expect(problems.map(where)).toEqual([{ file: 'grids.geojson', row: 3, column: 'geometry', id: 'jl-binjiang-3', code: 'ring_not_closed' }])
  })

  it('names a ring with too few points', async () => {
    const problems = await problemsAfter((p) => {
      const r = ring(p, 4)
      p.reference.territory.grids[4]!.polygon = [[r[0]!, r[1]!, r[0]!]]
    })
    expect(problems.map(where)).toEqual([{ file: 'grids.geojson', row: 5, column: 'geometry', id: 'jl-binjiang-5', code: 'too_few_points' }])
  })

  it('names a self-intersecting ring (a bow tie)', async () => {
    const problems = await problemsAfter((p) => {
      const r = ring(p, 6)
      ;[r[1], r[2]] = [r[2]!, r[1]!]
    })
    expect(problems.map(where)).toEqual([{ file: 'grids.geojson', row: 7, column: 'geometry', id: 'jl-xishan-2', code: 'self_intersection' }])
  })

  it('names a broken community ring, and the grids it leaves outside every community', async () => {
    const problems = await problemsAfter(p => p.reference.territory.communities[1]!.polygon[0]!.pop())
    expect(problems.map(where)).toEqual([
      { file: 'communities.geojson', row: 2, column: 'geometry', id: 'cm-xishan', code: 'ring_not_closed' },
      ...[6, 7, 8, 9].map(row => ({ file: 'grids.geojson', row, column: 'geometry', id: `jl-xishan-${row - 5}`, code: 'grid_outside' })),
    ])
  })

  it('names a polygon that is not a Polygon', async () => {
    const files = (await writePackage(jialing())).map(f => f.name !== 'communities.geojson'
      ? f
      : { name: f.name, data: Buffer.from(f.data.toString('utf8').replace('"type":"Polygon"', '"type":"MultiPolygon"')) })
    const { problems } = await readPackage(files)
    expect(problems.map(where)[0]).toEqual({ file: 'communities.geojson', row: 1, column: 'geometry', id: 'cm-binjiang', code: 'bad_geometry' })
  })
})

describe('grids tile the territory', () => {
  it('names a grid overlapping its neighbour by more than 1%', async () => {
    const problems = await problemsAfter(p => moveWest(p, 1, -0.3 * 0.0036))
    expect(problems.map(where)).toEqual([{ file: 'grids.geojson', row: 2, column: 'geometry', id: 'jl-binjiang-2', code: 'grid_overlap' }])
    expect(problems[0]!.reason).toBe('与网格 jl-binjiang-1 重叠 30.0%（容差 1.0%）')
  })

  it('accepts an overlap within the tolerance', async () => {
    const pkg = jialing()
    moveWest(pkg, 1, -0.005 * 0.0036)
    const { problems } = await readPackage(await writePackage(pkg))
    expect(problems).toEqual([])
  })

  it('names a grid lying outside every community', async () => {
    const problems = await problemsAfter((p) => {
      for (const pt of ring(p, 17)) pt[0]! += 0.002
    })
    expect(problems.map(where)).toEqual([{ file: 'grids.geojson', row: 18, column: 'geometry', id: 'jl-tongxin-4', code: 'grid_outside' }])
    expect(problems[0]!.reasonEn).toBe('44.4% of its area lies outside every community (tolerance 1.0%)')
  })
})
