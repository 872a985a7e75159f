import type { Grid } from '../../../shared/territory/types.ts'
import { describe, expect, it } from 'vitest'
import { bboxOf, boundsOf, distanceMeters } from '../../../shared/kernel/geo.ts'
import { GridIndex, pointInRings } from '../../../shared/territory/geo.ts'
import { GRIDS, PARK, square } from '../fixtures.ts'

const WITH_HOLE = [square(0, 0, 10, 10), square(4, 4, 6, 6)]

describe('pointInRings', () => {
  it('finds a point inside the outer ring', () => {
    expect(pointInRings({ lon: 2, lat: 2 }, WITH_HOLE)).toBe(true)
  })

  it('rejects a point outside the outer ring', () => {
    expect(pointInRings({ lon: 11, lat: 5 }, WITH_HOLE)).toBe(false)
    expect(pointInRings({ lon: -0.001, lat: 5 }, WITH_HOLE)).toBe(false)
  })

  it('rejects a point inside a hole', () => {
    expect(pointInRings({ lon: 5, lat: 5 }, WITH_HOLE)).toBe(false)
  })

  it('counts a point exactly on an outer edge as inside', () => {
    expect(pointInRings({ lon: 10, lat: 5 }, WITH_HOLE)).toBe(true)
    expect(pointInRings({ lon: 5, lat: 0 }, WITH_HOLE)).toBe(true)
  })

  it('counts a point exactly on a vertex as inside', () => {
    expect(pointInRings({ lon: 0, lat: 0 }, WITH_HOLE)).toBe(true)
    expect(pointInRings({ lon: 10, lat: 10 }, WITH_HOLE)).toBe(true)
  })

  it('counts a point on a hole\'s edge as inside (the polygon is closed)', () => {
    expect(pointInRings({ lon: 4, lat: 5 }, WITH_HOLE)).toBe(true)
  })

  it('does not count a point 0.1 m outside a short diagonal edge as on it', () => {
    // A ~700 m diagonal edge; the point sits ~0.1 m (1e-6°) off it, outside the triangle but inside its bbox.
    const tri = [[[106.6, 29.6], [106.605, 29.605], [106.6, 29.605], [106.6, 29.6]]]
    const off = 1e-6 / Math.SQRT2
    expect(pointInRings({ lon: 106.6025 + off, lat: 29.6025 - off }, tri)).toBe(false)
    expect(pointInRings({ lon: 106.6025 - off, lat: 29.6025 + off }, tri)).toBe(true)
  })

  it('handles a concave ring', () => {
    const u = [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]]
    expect(pointInRings({ lon: 1.5, lat: 2 }, u)).toBe(false)
    expect(pointInRings({ lon: 0.5, lat: 2 }, u)).toBe(true)
  })

  it('accepts an edge point after a lossy round-trip of coordinates', () => {
    expect(pointInRings({ lon: 106.61 + 1e-10, lat: 29.585 }, GRIDS[0]!.polygon)).toBe(true)
    expect(pointInRings({ lon: 106.61 + 1e-6, lat: 29.585 }, GRIDS[0]!.polygon)).toBe(false)
  })
})

describe('bboxOf and boundsOf', () => {
  it('bounds every ring', () => {
    expect(bboxOf(WITH_HOLE)).toEqual({ minX: 0, minY: 0, maxX: 10, maxY: 10 })
  })

  it('gives MapLibre bounds of a feature collection, and null for an empty one', () => {
    const fc = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [square(1, 2, 3, 5)] } }] }
    expect(boundsOf(fc)).toEqual([[1, 2], [3, 5]])
    expect(boundsOf({ type: 'FeatureCollection', features: [] })).toBeNull()
  })
})

describe('distanceMeters', () => {
  it('is zero for the same point', () => {
    expect(distanceMeters({ lon: 106.6, lat: 29.6 }, { lon: 106.6, lat: 29.6 })).toBe(0)
  })

  it('measures one degree of latitude as about 111.2 km', () => {
    expect(distanceMeters({ lon: 106, lat: 29 }, { lon: 106, lat: 30 })).toBeCloseTo(111_195, -1)
  })

  it('shrinks a degree of longitude with latitude', () => {
    const d = distanceMeters({ lon: 106, lat: 60 }, { lon: 107, lat: 60 })
    expect(d).toBeCloseTo(111_195 / 2, -2)
  })
})

describe('gridIndex', () => {
  const index = new GridIndex(GRIDS)

  it('locates a point inside a grid', () => {
    expect(index.locate({ lon: 106.605, lat: 29.585 })?.id).toBe('a-s')
    expect(index.locate({ lon: 106.619, lat: 29.599 })?.id).toBe('b-n')
  })

  it('returns null outside every grid', () => {
    expect(index.locate({ lon: 106.7, lat: 29.585 })).toBeNull()
  })

  it('returns null inside a hole of a grid', () => {
    expect(index.locate(PARK)).toBeNull()
  })

  it('gives a point on a boundary shared by two grids to the grid with the smallest id', () => {
    expect(index.locate({ lon: 106.61, lat: 29.585 })?.id).toBe('a-s')
    expect(index.locate({ lon: 106.615, lat: 29.59 })?.id).toBe('b-n')
  })

  it('gives a corner shared by four grids to the smallest id whatever the insertion order', () => {
    const reversed = new GridIndex([...GRIDS].reverse())
    expect(reversed.locate({ lon: 106.61, lat: 29.59 })?.id).toBe('a-n')
  })

  it('locates nothing when there are no grids', () => {
    expect(new GridIndex([] as Grid[]).locate({ lon: 106.605, lat: 29.585 })).toBeNull()
  })
})
