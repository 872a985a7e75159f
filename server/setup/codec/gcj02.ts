import type { LngLat } from '../../../shared/kernel/geo.ts'

// GCJ-02 (国测局坐标, used by Amap and Tencent maps) ↔ WGS84. `gcoord` is not among our dependencies, so this is
// the published forward transform (Krasovsky 1940 ellipsoid constants) and its inverse by fixed-point iteration,
// which converges to well under a millimetre in a few steps inside China. Outside China GCJ-02 equals WGS84.

const A = 6378245.0
const EE = 0.006693421622965943

function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3
  r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3
  r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3
  return r
}

function transformLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3
  r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3
  r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3
  return r
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (outOfChina(lon, lat))
    return [lon, lat]
  const radLat = lat / 180 * Math.PI
  let magic = Math.sin(radLat)
  magic = 1 - EE * magic * magic
  const sqrtMagic = Math.sqrt(magic)
  const dLat = (transformLat(lon - 105, lat - 35) * 180) / ((A * (1 - EE)) / (magic * sqrtMagic) * Math.PI)
  const dLon = (transformLon(lon - 105, lat - 35) * 180) / (A / sqrtMagic * Math.cos(radLat) * Math.PI)
  return [lon + dLon, lat + dLat]
}

/** The WGS84 point whose GCJ-02 image is (lon, lat). */
export function gcj02ToWgs84(lon: number, lat: number): [number, number] {
  let [x, y] = [lon, lat]
  for (let i = 0; i < 10; i++) {
    const [gx, gy] = wgs84ToGcj02(x, y)
    const dx = gx - lon
    const dy = gy - lat
    x -= dx
    y -= dy
    if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10)
      break
  }
  return [x, y]
}

/** Converted to WGS84 and rounded to 1e-7° (about 1 cm), so a converted package stays readable. */
export function fromGcj02(p: LngLat): LngLat {
  const [lon, lat] = gcj02ToWgs84(p.lon, p.lat)
  return { lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7 }
}
