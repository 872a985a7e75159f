import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { MonthResult, MonthStatus } from '../../shared/scoring/schema.ts'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { monthOf, monthRange } from '../../shared/kernel/time.ts'
import { MonthQuery, MonthScores, MonthT, MyScore, Rankings } from '../../shared/scoring/schema.ts'
import { requirePermission } from '../auth/plugin.ts'
import { httpError } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

/** The month asked for (default: the running one); a month that has not started yet is refused. */
export function monthParam(ctx: Pick<AppContext, 'now'>, month: string | undefined) {
  const current = monthOf(ctx.now())
  const m = month ?? current
  if (m > current)
    throw httpError(400, `month ${m} has not started yet (now ${current})`, { field: 'month' })
  return { month: m, range: monthRange(m) }
}

export const status = (r: MonthResult): MonthStatus => ({ month: r.month, from: r.from, to: r.to, frozen: r.frozen, frozenAt: r.frozenAt, computedAt: r.computedAt, configVersion: r.configVersion })

/** Monthly scores (赛马比拼): my own breakdown, everyone's (admin, commander), rankings (any signed-in screen). */
export const scoreRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { scoring } = ctx

  app.get('/api/scores/me', { schema: { querystring: MonthQuery, response: { 200: MyScore, ...errors } } }, async (req) => {
    const result = await scoring.get(monthParam(ctx, req.query.month).month)
    const score = result.scores.find(s => s.personId === req.principal!.personId)
    if (!score)
      throw httpError(404, 'no score: the caller is not the grid worker of any grid')
    return { ...status(result), score, of: result.scores.length }
  })

  app.get('/api/scores', { schema: { querystring: MonthQuery, response: { 200: MonthScores, ...errors } } }, async (req) => {
    const { month } = monthParam(ctx, req.query.month)
    await requirePermission(ctx, req, 'scores:read_all', { target: month })
    const result = await scoring.get(month)
    return { ...status(result), scores: result.scores }
  })

  app.get('/api/scores/rankings', { schema: { querystring: MonthQuery, response: { 200: Rankings, ...errors } } }, async req =>
    (await scoring.get(monthParam(ctx, req.query.month).month)).rankings)

  app.post('/api/scores/freeze', {
    schema: { body: Type.Object({ upTo: Type.Optional(MonthT) }, { additionalProperties: false }), response: { 200: Type.Object({ frozen: Type.Array(MonthT) }), ...errors } },
  }, async (req) => {
    await requirePermission(ctx, req, 'scores:freeze', { target: req.body.upTo ?? null, record: true })
    return { frozen: await scoring.freezeEnded(req.body.upTo) }
  })

  // Ended months are frozen once the server listens (after the demo back-fill), off the request path; a month
  // that ends while it runs is frozen by the first request for it. Tests that only inject never listen.
  app.addHook('onListen', async () => {
    scoring.freezeEnded().catch(e => app.log.error(e))
  })
}
