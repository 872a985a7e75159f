import type { Static } from 'typebox'
import { Type } from 'typebox'

// The district's overview (区级总览, #19): each subdistrict (tenant) this install oversees, on one screen, and one
// subdistrict's open work when the district drills into it. Figures only: no reporter, phone or address.

export const DistrictOperation = Type.Object({
  id: Type.String(),
  reason: Type.String(),
  exercise: Type.Boolean(),
  declaredAt: Type.String(),
})

export const DistrictTenant = Type.Object({
  /** The tenant's schema name: how the district names it in links. */
  tenant: Type.String(),
  /** The subdistrict's name from its package in force; the tenant's name when it has none yet. */
  name: Type.String(),
  /** Its English name from that package ('' when it gives none: the page shows the Chinese one). */
  nameEn: Type.String(),
  /** False when the tenant's store does not exist yet (no node has started it). */
  started: Type.Boolean(),
  /** Its package in force (0 before any): when it moves, the district's map reads the subdistrict's area again. */
  version: Type.Integer({ minimum: 0 }),
  /** Where its own wall is, when the district's settings say (ONESCREEN_DISTRICT). */
  url: Type.Union([Type.String(), Type.Null()]),
  open: Type.Integer({ minimum: 0 }),
  overdue: Type.Integer({ minimum: 0 }),
  reportedToday: Type.Integer({ minimum: 0 }),
  closedToday: Type.Integer({ minimum: 0 }),
  /** The active wartime operation, if any (a real one or an exercise). */
  operation: Type.Union([DistrictOperation, Type.Null()]),
})
export type DistrictTenant = Static<typeof DistrictTenant>

export const DistrictOverview = Type.Object({
  at: Type.String(),
  tenants: Type.Array(DistrictTenant),
})
export type DistrictOverview = Static<typeof DistrictOverview>

/** Where each subdistrict lies, for the district's map: its communities' outlines from its package in force. */
export const DistrictArea = Type.Object({
  tenant: Type.String(),
  version: Type.Integer({ minimum: 0 }),
  /** The subdistrict's name from that package; the tenant's name when it has none yet. */
  name: Type.String(),
  /** The subdistrict's English name ('' when its package gives none, or it has no package yet). */
  nameEn: Type.String(),
  communities: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), nameEn: Type.String(), polygon: Type.Array(Type.Array(Type.Array(Type.Number()))) })),
})
export type DistrictArea = Static<typeof DistrictArea>
export const DistrictAreas = Type.Object({ tenants: Type.Array(DistrictArea) })
export type DistrictAreas = Static<typeof DistrictAreas>

/** One open incident of a subdistrict, as the district sees it when it drills in. */
export const DistrictIncident = Type.Object({
  id: Type.String(),
  title: Type.String(),
  category: Type.String(),
  state: Type.String(),
  severity: Type.Integer(),
  reportedAt: Type.String(),
  stageDeadline: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  communityId: Type.Union([Type.String(), Type.Null()]),
  /** The community's name as the incident was labelled when stored (the subdistrict's package at the time). */
  community: Type.Union([Type.String(), Type.Null()]),
})
export type DistrictIncident = Static<typeof DistrictIncident>

export const DistrictIncidents = Type.Object({ tenant: Type.String(), name: Type.String(), nameEn: Type.String(), incidents: Type.Array(DistrictIncident) })
export type DistrictIncidents = Static<typeof DistrictIncidents>
