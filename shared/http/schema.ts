import type { Static } from 'typebox'
import { Type } from 'typebox'
import { PackageProblemT } from '../setup/schema.ts'

// The answers every route shares: the error shape and health.

/** Every 4xx/5xx answer: what went wrong and, where it applies, the field to fix. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String()),
  /** For 409 on an action: the incident's current state and the actions it allows. */
  state: Type.Optional(Type.String()),
  allowed: Type.Optional(Type.Array(Type.String())),
  /** For a refused subdistrict package: every problem, with its file, sheet, row and column. */
  problems: Type.Optional(Type.Array(PackageProblemT)),
})
export type ErrorResponse = Static<typeof ErrorResponse>

export const Health = Type.Object({
  ok: Type.Boolean(),
  seq: Type.Integer(),
  demo: Type.Boolean(),
  store: Type.String(),
  /** Whether the store can commit now; reads go on either way. */
  writable: Type.Boolean(),
  /** What stops it, and what to do. */
  problem: Type.Union([Type.String(), Type.Null()]),
  uptimeSeconds: Type.Number(),
})
export type Health = Static<typeof Health>
