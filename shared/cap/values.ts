// CAP 1.2 value syntaxes (§3.3.2 and the element tables): date-times, polygons, circles, references.
import type { CapCircle, CapReference } from './types.ts'

export class CapError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message)
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/**
 * A CAP date-time to ISO (UTC), or null. CAP 1.2 requires an explicit offset ("-00:00" for UTC);
 * we also accept "Z", which the spec forbids but real feeds send.
 */
export function capDateTime(raw: string): string | null {
  const m = DATE_TIME.exec(raw.trim())
  if (!m)
    return null
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const fraction = m[7] ? Number(m[7]) : 0
  const zone = m[8]!
  const local = Date.UTC(y, mo - 1, d, h, mi, s)
  const back = new Date(local)
  // Date.UTC rolls Feb 30 over to March: a round trip catches impossible calendar values.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d
    || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) {
    return null
  }
  let offsetMinutes = 0
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3))
    const om = Number(zone.slice(4, 6))
    if (oh > 14 || om > 59)
      return null
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om)
  }
  return new Date(local + Math.round(fraction * 1000) - offsetMinutes * 60_000).toISOString()
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/

/** "lat,lon" (WGS 84) → [lon, lat], or a reason it is not one. */
function point(raw: string): number[] | string {
  const parts = raw.split(',')
  if (parts.length !== 2 || !parts.every(p => NUMBER.test(p.trim())))
    return `"${raw}" is not a "lat,lon" pair`
  const lat = Number(parts[0])
  const lon = Number(parts[1])
  if (lat < -90 || lat > 90)
    return `latitude ${lat} in "${raw}" is outside −90…90 (CAP writes "lat,lon")`
  if (lon < -180 || lon > 180)
    return `longitude ${lon} in "${raw}" is outside −180…180`
  return [lon, lat]
}

/** CAP `<polygon>`: whitespace-separated "lat,lon" pairs, at least four, first equal to last. */
export function capPolygon(raw: string, field: string): number[][] {
  const pairs = raw.trim().split(/\s+/).filter(Boolean)
  const ring: number[][] = []
  for (const pair of pairs) {
    const p = point(pair)
    if (typeof p === 'string')
      throw new CapError(`<polygon> ${p}`, field)
    ring.push(p)
  }
  if (ring.length < 4)
    throw new CapError(`<polygon> has ${ring.length} point${ring.length === 1 ? '' : 's'}; CAP 1.2 needs at least 4, the first repeated as the last`, field)
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1])
    throw new CapError(`<polygon> is not closed: the first point (${pairs[0]}) differs from the last (${pairs[pairs.length - 1]})`, field)
  return ring
}

/** CAP `<circle>`: "lat,lon radius", radius in kilometres. */
export function capCircle(raw: string, field: string): CapCircle {
  const parts = raw.trim().split(/\s+/)
  if (parts.length !== 2 || !NUMBER.test(parts[1]!))
    throw new CapError(`<circle> "${raw.trim()}" is not "lat,lon radius" (radius in km)`, field)
  const p = point(parts[0]!)
  if (typeof p === 'string')
    throw new CapError(`<circle> ${p}`, field)
  const radiusKm = Number(parts[1])
  if (radiusKm < 0)
    throw new CapError(`<circle> radius ${radiusKm} km is negative`, field)
  return { center: { lon: p[0]!, lat: p[1]! }, radiusKm }
}

/** `<references>`: whitespace-separated "sender,identifier,sent" triples (CAP forbids spaces and commas in the first two). */
export function capReferences(raw: string): CapReference[] {
  return raw.trim().split(/\s+/).filter(Boolean).map((triple) => {
    const parts = triple.split(',')
    if (parts.length !== 3 || parts.includes(''))
      throw new CapError(`<references> entry "${triple}" is not "sender,identifier,sent"`, 'references')
    const [sender, identifier, sent] = parts as [string, string, string]
    return { sender, identifier, sent: capDateTime(sent) ?? sent }
  })
}
