import type { Feature, FeatureCollection, Geometry, Position } from 'geojson'

// Our data is WGS84 (what phones' GNSS reports). Maps licensed in China (Amap, Tencent, many Tianditu-derived
// packages) draw in GCJ-02, an obfuscated datum shifted 100–700 m from WGS84: to line up with such tiles the
// territory and every overlay are shifted onto them for display only; nothing stored is ever converted.

export type LonLat = [number, number]

const A = 6378245 // Krasovsky 1940 semi-major axis, as in the published GCJ-02 formula (not WGS84's 6378137)
const EE = 0.006693421622965943 // eccentricity squared

/** Whether GCJ-02 leaves a point alone: it only shifts points inside mainland China's rough bounding box. */
export function outsideChina([lon, lat]: LonLat): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function shift(lon: number, lat: number): LonLat {
  const x = lon - 105
  const y = lat - 35
  const waves = 20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)
  let dLat = waves + 20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI) + 160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y / 30 * Math.PI)
  let dLon = waves + 20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI) + 150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)
  dLat = dLat * 2 / 3 - 100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  dLon = dLon * 2 / 3 + 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  const rad = lat / 180 * Math.PI
  const magic = 1 - EE * Math.sin(rad) ** 2
  const sqrtMagic = Math.sqrt(magic)
  return [
    dLon * 180 / (A / sqrtMagic * Math.cos(rad) * Math.PI),
    dLat * 180 / (A * (1 - EE) / (magic * sqrtMagic) * Math.PI),
  ]
}

/** WGS84 → GCJ-02 ("Mars coordinates"), the well-known published formula. */
export function wgs84ToGcj02(p: LonLat): LonLat {
  if (outsideChina(p))
    return p
  const [dLon, dLat] = shift(p[0], p[1])
  return [p[0] + dLon, p[1] + dLat]
}

/** GCJ-02 → WGS84 by fixed-point iteration (better than 1e-7°, a centimetre): for a pin dropped on GCJ-02 tiles. */
export function gcj02ToWgs84(p: LonLat): LonLat {
  if (outsideChina(p))
    return p
  let w: LonLat = [p[0], p[1]]
  for (let i = 0; i < 30; i++) {
    const g = wgs84ToGcj02(w)
    const dx = g[0] - p[0]
    const dy = g[1] - p[1]
    w = [w[0] - dx, w[1] - dy]
    if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9)
      break
  }
  return w
}

function positions(c: unknown, f: (p: LonLat) => LonLat): unknown {
  if (Array.isArray(c) && typeof c[0] === 'number') {
    const [lon, lat] = f([c[0], c[1] as number])
    return c.length > 2 ? [lon, lat, ...c.slice(2)] : [lon, lat]
  }
  return (c as unknown[]).map(x => positions(x, f))
}

/** A geometry with every position passed through `f` (a new object; the input is not touched). */
export function projectGeometry<G extends Geometry | null>(g: G, f: (p: LonLat) => LonLat): G {
  if (g === null)
    return g
  if (g.type === 'GeometryCollection')
    return { ...g, geometries: g.geometries.map(x => projectGeometry(x, f)) }
  return { ...g, coordinates: positions(g.coordinates as Position | Position[], f) } as G
}

export function projectFeature<F extends Feature>(feature: F, f: (p: LonLat) => LonLat): F {
  return { ...feature, geometry: projectGeometry(feature.geometry, f) }
}

export function projectCollection<C extends FeatureCollection>(fc: C, f: (p: LonLat) => LonLat): C {
  return { ...fc, features: fc.features.map(x => projectFeature(x, f)) }
}
