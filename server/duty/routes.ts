import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { DayString, DutyDay, DutyEdit, DutyQuery, DutyRoster } from '../../shared/duty/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse }

/** The duty roster: read by every screen (names only), edited on the desk (docs/duty.md). */
export const dutyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/duty', { schema: { querystring: DutyQuery, response: { 200: DutyRoster } } }, async req => ctx.duty.roster(req.query))

  app.put('/api/duty/:date', {
    schema: { params: Type.Object({ date: DayString }), body: DutyEdit, response: { 200: DutyDay, 201: DutyDay, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.duty.set(httpCall(req), req.params.date, req.body)))
}
