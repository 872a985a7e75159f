import type { BBox, LngLat } from '../kernel/geo.ts'
import type { Incident } from './schema.ts'
import { distanceMeters } from '../kernel/geo.ts'
import { isOpen } from './lifecycle.ts'

// Possible duplicates (疑似重复): two reports of the same problem — the same or a related category, near each other,
// reported close in time. The server asks it when a report comes in and when the desk looks for merge candidates;
// the wall asks it to draw one marker per cluster of open duplicates. One set of rules for all three.

/** The thresholds, as the subdistrict package may set them (`SubdistrictPackage.duplicates`); see docs/duplicates.md. */
export interface DuplicateSettings {
  /** How far apart two reports of one problem may be (haversine). */
  meters: number
  /** How far apart in time (either way) two reports of one problem may be. */
  hours: number
  /** At most this many candidates are kept per report, nearest first. */
  max: number
  /** A finished (closed) incident stays a candidate this long after it closed: a fresh report may be the same problem come back. */
  closedHours: number
  /** Groups of category codes that are the same problem seen differently (积水内涝 ~ 污水外溢). */
  related: string[][]
}

/**
 * Defaults: 800 m and 7 days are what the desk used before the rules were data. The related groups name codes of the
 * default catalog; a package without those codes never matches them.
 */
export const DEFAULT_DUPLICATE_SETTINGS: DuplicateSettings = {
  meters: 800,
  hours: 7 * 24,
  max: 8,
  closedHours: 72,
  related: [
    ['waterlogging', 'sewage_overflow'], // 积水内涝 ~ 污水外溢 (a blocked drain shows as both)
    ['illegal_parking', 'fire_lane_blocked'], // 违规停车 ~ 消防通道占用
    ['garbage', 'corridor_clutter'], // 垃圾乱堆 ~ 楼道杂物堆放
  ],
}

/** The fields the rules look at. */
export type DupSubject = Pick<Incident, 'id' | 'category' | 'location' | 'reportedAt' | 'state' | 'closedAt'>

export interface DuplicateRules extends Readonly<DuplicateSettings> {
  /** Each category code's related codes (itself included). */
  readonly relatedTo: ReadonlyMap<string, ReadonlySet<string>>
}

export interface DuplicateCandidate<T extends DupSubject = Incident> {
  incident: T
  /** Rounded metres between the two reports. */
  meters: number
  /** Rounded hours between the two reports' times (absolute). */
  hours: number
}

const HOUR = 3_600_000

/** The rules in force: the defaults, overridden by a package's settings, plus each category's own `related` list. */
export function duplicateRules(settings: Partial<DuplicateSettings> = {}, categories: readonly { code: string, related?: readonly string[] }[] = []): DuplicateRules {
  const s = { ...DEFAULT_DUPLICATE_SETTINGS, ...settings }
  const relatedTo = new Map<string, Set<string>>()
  const link = (a: string, b: string) => {
    if (!relatedTo.has(a))
      relatedTo.set(a, new Set([a]))
    relatedTo.get(a)!.add(b)
  }
  const groups = [...s.related, ...categories.flatMap(c => (c.related ?? []).map(r => [c.code, r]))]
  for (const group of groups) {
    // Related is symmetric: "A is related to B" on A's row means B's reports are A's candidates and back.
    for (const a of group) {
      for (const b of group) link(a, b)
    }
  }
  return { ...s, relatedTo }
}

export function areRelated(rules: DuplicateRules, a: string, b: string): boolean {
  return a === b || (rules.relatedTo.get(a)?.has(b) ?? false)
}

/** Every code whose reports may be duplicates of a report of `code` (itself included). */
export function relatedCodes(rules: DuplicateRules, code: string): string[] {
  return [...(rules.relatedTo.get(code) ?? [code])]
}

/** Whether `other` may still absorb a duplicate: not merged or rejected, and open or closed recently before `at`. */
export function eligible(rules: DuplicateRules, other: DupSubject, at: number): boolean {
  if (other.state === 'merged' || other.state === 'rejected')
    return false
  if (isOpen(other))
    return true
  return other.closedAt !== null && Date.parse(other.closedAt) >= at - rules.closedHours * HOUR
}

/** How `other` is a possible duplicate of `inc` (distance, time apart), or null when it is not one. */
export function candidateOf<T extends DupSubject>(rules: DuplicateRules, inc: DupSubject, other: T): DuplicateCandidate<T> | null {
  if (other.id === inc.id || !areRelated(rules, inc.category, other.category))
    return null
  const at = Date.parse(inc.reportedAt)
  const apart = Math.abs(Date.parse(other.reportedAt) - at)
  if (apart > rules.hours * HOUR || !eligible(rules, other, at))
    return null
  const meters = distanceMeters(inc.location, other.location)
  if (meters > rules.meters)
    return null
  return { incident: other, meters: Math.round(meters), hours: Math.round(apart / HOUR) }
}

/** The candidates among `others`, nearest first (then the newest), at most `rules.max`. */
export function rankDuplicates<T extends DupSubject>(rules: DuplicateRules, inc: DupSubject, others: Iterable<T>): DuplicateCandidate<T>[] {
  const out: DuplicateCandidate<T>[] = []
  for (const other of others) {
    const c = candidateOf(rules, inc, other)
    if (c)
      out.push(c)
  }
  return out
    .sort((a, b) => a.meters - b.meters || b.incident.reportedAt.localeCompare(a.incident.reportedAt) || a.incident.id.localeCompare(b.incident.id))
    .slice(0, rules.max)
}

/** A box in degrees that holds every point within `meters` of `p` (what a spatial index is searched with). */
export function searchBox(p: LngLat, meters: number): BBox {
  const dLat = meters / 111_320
  const dLon = dLat / Math.max(Math.cos(p.lat * Math.PI / 180), 0.01)
  return { minX: p.lon - dLon, minY: p.lat - dLat, maxX: p.lon + dLon, maxY: p.lat + dLat }
}
