import type { SourceCrs } from '../../../shared/setup/package.ts'

/** A declared coordinate system, as written by hand: WGS84, WGS-84, EPSG:4326, CGCS2000, EPSG:4490, GCJ-02, GCJ02. */
export function parseCrs(text: string): SourceCrs | undefined {
  const t = text.trim().toUpperCase().replaceAll(/[\s_-]/g, '')
  if (t === 'WGS84' || t === 'EPSG:4326')
    return 'WGS84'
  if (t === 'CGCS2000' || t === 'EPSG:4490')
    return 'CGCS2000'
  if (t === 'GCJ02')
    return 'GCJ02'
  return undefined
}
