// Reference data of one subdistrict: territory, organisation, forces and facilities.
// Plain data (JSON-serialisable) so the same objects travel in snapshots and live in the store.

import type { LngLat, PolygonRings } from '../kernel/geo.ts'

export type { LngLat, PolygonRings }

export type Loop = 'grid' | 'community' | 'subdistrict'
export const LOOPS: readonly Loop[] = ['grid', 'community', 'subdistrict']

export type RiskTag = 'low_lying' | 'slope' | 'old_building' | 'riverside'

export interface Subdistrict { id: string, name: string, nameEn: string, code: string, center: LngLat }
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

export type SectorKey = 'party' | 'economy' | 'livelihood' | 'safety'
export interface Sector { id: SectorKey, name: string, nameEn: string }
export interface Post { id: string, sectorId: SectorKey, name: string, nameEn: string }

/** The 8 kinds of "grid + N forces" plus grid supervisors. */
export type ForceKind = 'water' | 'power' | 'gas' | 'telecom' | 'fire' | 'property' | 'finance' | 'volunteer' | 'supervisor'
export const FORCE_KINDS: readonly ForceKind[] = ['water', 'power', 'gas', 'telecom', 'fire', 'property', 'finance', 'volunteer', 'supervisor']

export type RoleKey
  = | 'admin' | 'commander' | 'operator' | 'sector_lead' | 'post_staff' | 'community_staff'
    | 'grid_worker' | 'force_member' | 'leader' | 'wall' | 'integration' | 'system'

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
}

export interface GridRoster {
  gridId: string
  workerId: string
  instructorId: string
  contactLeaderId: string
  liaisons: { kind: ForceKind, personId: string }[]
}

export interface ForceUnit { id: string, kind: ForceKind, name: string, memberIds: string[], base: LngLat }

export type ResourceKind = 'pump' | 'sandbag' | 'vehicle' | 'generator' | 'boat' | 'lifejacket'
export interface Depot { id: string, name: string, location: LngLat, items: { kind: ResourceKind, qty: number }[] }
export interface GridStation { id: string, name: string, gridId: string, location: LngLat }
export type RiskPointKind = 'low_lying_road' | 'slope' | 'old_building'
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
  forceUnits: ForceUnit[]
}

export interface Facilities {
  depots: Depot[]
  stations: GridStation[]
  riskPoints: RiskPoint[]
  shelters: Shelter[]
}

/** Everything static about one subdistrict. */
export interface ReferenceData {
  territory: Territory
  org: Organisation
  facilities: Facilities
}
