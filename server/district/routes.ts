import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { DistrictAreas, DistrictIncidents, DistrictOverview } from '../../shared/district/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { failureError } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

/** The district's overview and one subdistrict's open work (#19). */
export const districtRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/district', { schema: { response: { 200: DistrictOverview, ...errors } } }, async (req) => {
    const res = await ctx.district.overview(httpCall(req))
    if (!res.ok)
      throw failureError(res)
    return res.data
  })
  app.get('/api/district/areas', { schema: { response: { 200: DistrictAreas, ...errors } } }, async (req) => {
    const res = await ctx.district.areas(httpCall(req))
    if (!res.ok)
      throw failureError(res)
    return res.data
  })
  app.get('/api/district/:tenant/incidents', { schema: { params: Type.Object({ tenant: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' }) }), response: { 200: DistrictIncidents, ...errors } } }, async (req) => {
    const res = await ctx.district.incidents(httpCall(req), req.params.tenant)
    if (!res.ok)
      throw failureError(res)
    return res.data
  })
}
