import type { Static } from 'typebox'
import type { DuplicateSettings } from '../incident/duplicates.ts'
import type { Catalog } from '../organisation/catalog.ts'
import type { Facilities, Organisation } from './types.ts'
import { Type } from 'typebox'

// The territory and reference answers every screen loads once: the subdistrict's geometry as GeoJSON (RFC 7946),
// the offline basemap, the responsibility catalog, the organisation and the facilities.

const Feature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  properties: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
})
export const FeatureCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Feature),
})

export const TerritoryResponse = Type.Object({
  /** The reference version this answer reflects (0 = nothing set up yet). */
  version: Type.Integer({ minimum: 0 }),
  subdistrict: Type.Object({
    id: Type.String(),
    name: Type.String(),
    nameEn: Type.String(),
    code: Type.String(),
    center: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
    /** The wall's title (the subdistrict's name + 基层治理指挥中心 when the package sets none). */
    wallTitle: Type.String(),
    wallTitleEn: Type.String(),
    capAreaCodes: Type.Array(Type.String()),
    capAreaNames: Type.Array(Type.String()),
  }),
  communities: FeatureCollection,
  grids: FeatureCollection,
})
export type TerritoryResponse = Static<typeof TerritoryResponse>

export const BasemapResponse = Type.Object({ district: FeatureCollection, rivers: FeatureCollection })
export type BasemapResponse = Static<typeof BasemapResponse>

const Loose = Type.Record(Type.String(), Type.Unknown())
export const CatalogResponse = Type.Object({
  sectors: Type.Array(Loose),
  posts: Type.Array(Loose),
  categories: Type.Array(Loose),
})
export type CatalogResponse = Catalog

export const ReferenceResponse = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  org: Type.Unsafe<Organisation>(Loose),
  facilities: Type.Unsafe<Facilities>(Loose),
  /** Category codes heading the wall's year-on-year figures. */
  headline: Type.Array(Type.String()),
  /** The package's possible-duplicate thresholds, when it sets any (docs/duplicates.md). */
  duplicates: Type.Optional(Type.Unsafe<Partial<DuplicateSettings>>(Loose)),
})
export type ReferenceResponse = Static<typeof ReferenceResponse>
