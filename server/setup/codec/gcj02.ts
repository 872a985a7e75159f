import type { LngLat } from '../../../shared/kernel/geo.ts'
import { gcj02ToWgs84 } from '../../../shared/territory/crs.ts'

// A GCJ-02 source (国测局坐标: Amap, Tencent maps) converted on import, with the one conversion the maps use too.

/** Converted to WGS84 and rounded to 1e-7° (about 1 cm), so a converted package stays readable. */
export function fromGcj02(p: LngLat): LngLat {
  const [lon, lat] = gcj02ToWgs84([p.lon, p.lat])
  return { lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7 }
}
