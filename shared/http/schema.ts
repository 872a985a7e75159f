import type { Static } from 'typebox'
import { Type } from 'typebox'

// HTTP envelopes shared by server routes and client calls.

/** Every 4xx/5xx answer: what went wrong and, where it applies, the field to fix. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
  /** For 409 on an action: the incident's current state and the actions it allows. */
  state: Type.Optional(Type.String()),
  allowed: Type.Optional(Type.Array(Type.String())),
})
export type ErrorResponse = Static<typeof ErrorResponse>

export const Health = Type.Object({
  ok: Type.Boolean(),
  seq: Type.Integer(),
  demo: Type.Boolean(),
  store: Type.String(),
  uptimeSeconds: Type.Number(),
})
export type Health = Static<typeof Health>

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
  subdistrict: Type.Object({
    id: Type.String(),
    name: Type.String(),
    nameEn: Type.String(),
    code: Type.String(),
    center: Type.Object({ lon: Type.Number(), lat: Type.Number() }),
  }),
  communities: FeatureCollection,
  grids: FeatureCollection,
})
export type TerritoryResponse = Static<typeof TerritoryResponse>

export const BasemapResponse = Type.Object({ district: FeatureCollection, rivers: FeatureCollection })
export type BasemapResponse = Static<typeof BasemapResponse>
