import type { FeatureCollection, Polygon } from 'geojson'
import { describe, expect, it } from 'vitest'
import { gcj02ToWgs84, projectCollection, wgs84ToGcj02 } from '../../../shared/territory/crs.ts'

// Reference pairs published with the eviltransform library (wgsLat, wgsLng → gcjLat, gcjLng), as [lon, lat].
const KNOWN: [string, [number, number], [number, number]][] = [
  ['Shanghai', [121.5272106, 31.1774276], [121.531541859215, 31.17530398364597]],
  ['Shenzhen', [113.912316, 22.543847], [113.9171764808363, 22.540796131694766]],
  ['Beijing', [116.377817, 39.911954], [116.38404722455657, 39.91334545536069]],
]

describe('wgs84ToGcj02', () => {
  it.each(KNOWN)('shifts %s onto the published GCJ-02 point', (_, wgs, gcj) => {
    const [lon, lat] = wgs84ToGcj02(wgs)
    expect(lon).toBeCloseTo(gcj[0], 9)
    expect(lat).toBeCloseTo(gcj[1], 9)
  })

  it('shifts Cuntan by a few hundred metres, as Chongqing maps show', () => {
    const [lon, lat] = wgs84ToGcj02([106.58, 29.61])
    const metres = Math.hypot((lon - 106.58) * 111_320 * Math.cos(29.61 * Math.PI / 180), (lat - 29.61) * 110_540)
    expect(metres).toBeGreaterThan(100)
    expect(metres).toBeLessThan(700)
  })

  it('leaves a point outside China alone', () => {
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85])
  })
})

describe('gcj02ToWgs84', () => {
  it.each(KNOWN)('brings %s back to WGS84 within a centimetre', (_, wgs, gcj) => {
    const [lon, lat] = gcj02ToWgs84(gcj)
    expect(lon).toBeCloseTo(wgs[0], 7)
    expect(lat).toBeCloseTo(wgs[1], 7)
  })
})

describe('projectCollection', () => {
  it('moves every position of every feature and keeps properties and the input', () => {
    const fc: FeatureCollection<Polygon, { id: string }> = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'g1' }, geometry: { type: 'Polygon', coordinates: [[[106.5, 29.6], [106.6, 29.6], [106.6, 29.7], [106.5, 29.6]]] } }],
    }
    const out = projectCollection(fc, p => [p[0] + 1, p[1] + 2])
    expect(out.features[0]!.geometry.coordinates[0]![1]).toEqual([107.6, 31.6])
    expect(out.features[0]!.properties.id).toBe('g1')
    expect(fc.features[0]!.geometry.coordinates[0]![1]).toEqual([106.6, 29.6])
  })
})
