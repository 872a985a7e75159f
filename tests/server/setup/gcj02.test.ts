import type { SubdistrictPackage } from '../../../shared/setup/package.ts'
import type { LngLat } from '../../../shared/territory/types.ts'
import { describe, expect, it } from 'vitest'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { distanceMeters } from '../../../shared/kernel/geo.ts'
import { wgs84ToGcj02 as toGcj02, gcj02ToWgs84 as toWgs84 } from '../../../shared/territory/crs.ts'
import { jialing, replaceFile } from './helpers.ts'

const wgs84ToGcj02 = (lon: number, lat: number) => toGcj02([lon, lat])
const gcj02ToWgs84 = (lon: number, lat: number) => toWgs84([lon, lat])

/** The package as a GCJ-02 source (Amap, Tencent) would have drawn it. */
function shifted(pkg: SubdistrictPackage): SubdistrictPackage {
  const p = (x: LngLat): LngLat => {
    const [lon, lat] = wgs84ToGcj02(x.lon, x.lat)
    return { lon, lat }
  }
  const rings = (r: number[][][]) => r.map(ring => ring.map(([lon, lat]) => wgs84ToGcj02(lon!, lat!)))
  const out = structuredClone(pkg)
  const { territory, org, facilities } = out.reference
  territory.subdistrict.center = p(territory.subdistrict.center)
  for (const x of [...territory.communities, ...territory.grids]) {
    x.polygon = rings(x.polygon)
    x.center = p(x.center)
  }
  for (const u of org.forceUnits) u.base = p(u.base)
  for (const f of [...facilities.depots, ...facilities.stations, ...facilities.riskPoints, ...facilities.shelters]) f.location = p(f.location)
  return out
}

function expectNear(a: LngLat, b: LngLat): void {
  expect(distanceMeters(a, b)).toBeLessThan(0.05)
}

describe('gCJ-02 sources', () => {
  it('matches the published forward transform and inverts it to well under a millimetre', () => {
    // The reference values of wandergis/coordtransform's README for (116.404, 39.915).
    expect(wgs84ToGcj02(116.404, 39.915)).toEqual([116.41024449916938, 39.91640428150164])
    const [lon, lat] = gcj02ToWgs84(116.41024449916938, 39.91640428150164)
    expect(distanceMeters({ lon, lat }, { lon: 116.404, lat: 39.915 })).toBeLessThan(0.001)
  })

  it('shifts a point in Sichuan by a few hundred metres', () => {
    const [lon, lat] = wgs84ToGcj02(106.08, 30.8)
    const metres = distanceMeters({ lon, lat }, { lon: 106.08, lat: 30.8 })
    expect(metres).toBeGreaterThan(200)
    expect(metres).toBeLessThan(800)
  })

  it('leaves points outside China as they are', () => {
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85])
  })

  it('converts files that declare crs_name GCJ-02 (and 坐标系) back to WGS84, and the result validates', async () => {
    let files = await writePackage(shifted(jialing()), { tabular: 'csv' })
    for (const name of ['communities.geojson', 'grids.geojson', 'facilities.geojson'])
      files = replaceFile(files, name, t => t.replace('"crs_name":"WGS84"', '"crs_name":"GCJ-02"'))
    files = replaceFile(files, '街道.csv', t => t.replace('坐标系,WGS84', '坐标系,GCJ-02'))
    const { pkg, problems } = await readPackage(files)
    expect(problems).toEqual([])
    const want = jialing()
    expectNear(pkg!.reference.territory.grids[7]!.center, want.reference.territory.grids[7]!.center)
    const [lon, lat] = pkg!.reference.territory.grids[7]!.polygon[0]![2]!
    expectNear({ lon: lon!, lat: lat! }, { lon: want.reference.territory.grids[7]!.polygon[0]![2]![0]!, lat: want.reference.territory.grids[7]!.polygon[0]![2]![1]! })
    expectNear(pkg!.reference.facilities.shelters[1]!.location, want.reference.facilities.shelters[1]!.location)
    expectNear(pkg!.reference.org.forceUnits[2]!.base, want.reference.org.forceUnits[2]!.base)
    expectNear(pkg!.reference.territory.subdistrict.center, want.reference.territory.subdistrict.center)
  })

  it('converts undeclared files when the caller says the source is GCJ-02', async () => {
    let files = await writePackage(shifted(jialing()), { tabular: 'csv' })
    for (const name of ['communities.geojson', 'grids.geojson', 'facilities.geojson'])
      files = replaceFile(files, name, t => t.replace('"crs_name":"WGS84",', ''))
    files = replaceFile(files, '街道.csv', t => t.replace('坐标系,WGS84\r\n', ''))
    const { pkg, problems } = await readPackage(files, { crs: 'GCJ02' })
    expect(problems).toEqual([])
    expectNear(pkg!.reference.facilities.riskPoints[3]!.location, jialing().reference.facilities.riskPoints[3]!.location)
    expectNear(pkg!.reference.org.forceUnits[0]!.base, jialing().reference.org.forceUnits[0]!.base)
  })

  it('takes WGS84 and CGCS2000 as they are', async () => {
    const files = replaceFile(await writePackage(jialing()), 'grids.geojson', t => t.replace('"crs_name":"WGS84"', '"crs_name":"CGCS2000"'))
    const { pkg } = await readPackage(files, { crs: 'GCJ02' })
    expect(pkg!.reference.territory.grids).toStrictEqual(jialing().reference.territory.grids)
  })
})
