// Reference data of one subdistrict: territory, organisation, forces and facilities.
// Plain data (JSON-serialisable) so the same objects travel in snapshots and live in the store.

import type { LngLat, PolygonRings } from '../kernel/geo.ts'

export type { LngLat, PolygonRings }

export type Loop = 'grid' | 'community' | 'subdistrict'
export const LOOPS: readonly Loop[] = ['grid', 'community', 'subdistrict']

/** A subdistrict's own list of kinds (force kinds, risk tags, …): the id is stored, the names are shown. */
export interface Vocabulary { id: string, name: string, nameEn: string }

/** A risk tag's id, from `Facilities.riskTags` (e.g. low_lying, slope, riverside). */
export type RiskTag = string

export interface Subdistrict {
  id: string
  name: string
  nameEn: string
  /** GB/T 2260 + township code (12 digits, or 9 without the village part), e.g. 500105005000. */
  code: string
  center: LngLat
  /** The wall's title (大屏标题); the name + 基层治理指挥中心 when empty. */
  wallTitle: string
  wallTitleEn: string
  /** Division codes (GB/T 2260 prefixes) whose CAP warnings cover the whole territory: the subdistrict, its district, its city. */
  capAreaCodes: string[]
  /** Area descriptions (CAP areaDesc) that mean the whole territory, e.g. 江北区, 重庆市. */
  capAreaNames: string[]
}
export interface Community { id: string, name: string, nameEn: string, polygon: PolygonRings, center: LngLat }
export interface Grid {
  id: string
  communityId: string
  name: string
  polygon: PolygonRings
  center: LngLat
  riskTags: RiskTag[]
  households: number
}

/** A sector's id, from `Organisation.sectors` (any number of sectors). */
export type SectorKey = string
export interface Sector { id: SectorKey, name: string, nameEn: string }
export interface Post { id: string, sectorId: SectorKey, name: string, nameEn: string }

/** A force kind's id, from `Organisation.forceKinds` (the "grid + N forces": water, power, volunteers, …). */
export type ForceKind = string

export type RoleKey
  = | 'admin' | 'commander' | 'operator' | 'sector_lead' | 'post_staff' | 'community_staff'
    | 'grid_worker' | 'force_member' | 'leader' | 'wall' | 'integration' | 'system'
export const ROLE_KEYS: readonly RoleKey[] = ['admin', 'commander', 'operator', 'sector_lead', 'post_staff', 'community_staff', 'grid_worker', 'force_member', 'leader', 'wall', 'integration', 'system']

export interface Person {
  id: string
  name: string
  roles: RoleKey[]
  /** Titles shown on screens, e.g. 专职网格员, 网格指导员. */
  title: string
  sectorId?: SectorKey
  postId?: string
  communityId?: string
  forceKind?: ForceKind
  forceUnitId?: string
  phone?: string
  /** False: no smartphone (no app, no push): the notification ladder reaches them by SMS at once (#17). Absent = true. */
  smartphone?: boolean
}

export interface GridRoster {
  gridId: string
  workerId: string
  instructorId: string
  contactLeaderId: string
  liaisons: { kind: ForceKind, personId: string }[]
}

export interface ForceUnit { id: string, kind: ForceKind, name: string, memberIds: string[], base: LngLat }

/** A resource kind's id, from `Facilities.resourceKinds` (pumps, sandbags, …). */
export type ResourceKind = string
export interface Depot { id: string, name: string, location: LngLat, items: { kind: ResourceKind, qty: number }[] }
export interface GridStation { id: string, name: string, gridId: string, location: LngLat }
/** A risk point kind's id, from `Facilities.riskPointKinds`. */
export type RiskPointKind = string
export interface RiskPoint { id: string, name: string, kind: RiskPointKind, gridId: string, location: LngLat }
export interface Shelter { id: string, name: string, capacity: number, location: LngLat }

export interface Territory {
  subdistrict: Subdistrict
  communities: Community[]
  grids: Grid[]
}

export interface Organisation {
  sectors: Sector[]
  posts: Post[]
  people: Person[]
  rosters: GridRoster[]
  /** The kinds of forces this subdistrict names, in display order. */
  forceKinds: Vocabulary[]
  forceUnits: ForceUnit[]
}

export interface Facilities {
  depots: Depot[]
  stations: GridStation[]
  riskPoints: RiskPoint[]
  shelters: Shelter[]
  /** The vocabularies the facilities and grids use. */
  riskTags: Vocabulary[]
  riskPointKinds: Vocabulary[]
  resourceKinds: Vocabulary[]
}

/** Everything static about one subdistrict's territory, organisation and facilities. */
export interface ReferenceData {
  territory: Territory
  org: Organisation
  facilities: Facilities
}

/** The names of a vocabulary entry, or the id itself when the list does not name it. */
export function vocabName(list: readonly Vocabulary[], id: string, lang: 'zh' | 'en' = 'zh'): string {
  const v = list.find(x => x.id === id)
  return v ? (lang === 'en' ? v.nameEn || v.name : v.name) : id
}
