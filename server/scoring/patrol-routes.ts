import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { MonthQuery, Patrol, PatrolBody } from '../../shared/scoring/schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'
import { monthParam } from './routes.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse }
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })

/** Patrol check-ins (巡查打卡) from grid workers' phones, and their own list. */
export const patrolRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/patrols', { schema: { headers: IdemHeaders, body: PatrolBody, response: { 200: Patrol, 201: Patrol, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.patrols.checkIn({ ...httpCall(req), opKey: req.headers['idempotency-key'], device: req.headers['user-agent']?.slice(0, 120) ?? null }, req.body)))

  app.get('/api/patrols/me', { schema: { querystring: MonthQuery, response: { 200: Type.Array(Patrol), ...errors } } }, async req =>
    ctx.patrols.mine(req.principal!.personId, monthParam(ctx, req.query.month).month))
}
