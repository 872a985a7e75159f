import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Permission } from '../../shared/auth/authz.ts'
import type { MonthResult, MonthStatus } from '../../shared/scoring/schema.ts'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { authorize } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { monthOf, monthRange } from '../../shared/kernel/time.ts'
import { MonthQuery, MonthScores, MonthT, MyScore, Rankings } from '../../shared/scoring/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { scoringOf } from './service.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

/** The month asked for (default: the running one), refused when it has not started yet. */
export function monthParam(ctx: Pick<AppContext, 'now'>, month: string | undefined) {
  const current = monthOf(ctx.now())
  const m = month ?? current
  if (m > current)
    return { ok: false as const, error: { statusCode: 400, error: 'Bad Request', message: `month ${m} has not started yet (now ${current})`, field: 'month' } }
  return { ok: true as const, month: m, range: monthRange(m) }
}

export const status = (r: MonthResult): MonthStatus => ({ month: r.month, from: r.from, to: r.to, frozen: r.frozen, frozenAt: r.frozenAt, computedAt: r.computedAt, configVersion: r.configVersion })

/** Checks a permission; a refusal is audited and answered 403. Returns true when the caller may go on. */
export async function gate(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, permission: Permission, action: string, target: string | null, auditAllow = false): Promise<boolean> {
  const d = authorize(req.principal!, permission)
  if (!d.allow || auditAllow)
    await ctx.audit.record(req.principal, httpOrigin(req), { action, target, result: d.allow ? 'allow' : 'deny', role: d.allow ? d.role : null, detail: d.allow ? null : d.reason })
  if (!d.allow)
    reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: d.reason })
  return d.allow
}

/** Monthly scores (赛马比拼): my own breakdown, everyone's (admin, commander), rankings (any signed-in screen). */
export const scoreRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const scoring = scoringOf(ctx)

  app.get('/api/scores/me', { schema: { querystring: MonthQuery, response: { 200: MyScore, ...errors } } }, async (req, reply) => {
    const m = monthParam(ctx, req.query.month)
    if (!m.ok)
      return reply.code(400).send(m.error)
    const result = await scoring.get(m.month)
    const score = result.scores.find(s => s.personId === req.principal!.personId)
    if (!score)
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no score: the caller is not the grid worker of any grid' })
    return { ...status(result), score, of: result.scores.length }
  })

  app.get('/api/scores', { schema: { querystring: MonthQuery, response: { 200: MonthScores, ...errors } } }, async (req, reply) => {
    const m = monthParam(ctx, req.query.month)
    if (!m.ok)
      return reply.code(400).send(m.error)
    if (!(await gate(ctx, req, reply, 'scores:read_all', 'scores:read_all', m.month)))
      return reply
    const result = await scoring.get(m.month)
    return { ...status(result), scores: result.scores }
  })

  app.get('/api/scores/rankings', { schema: { querystring: MonthQuery, response: { 200: Rankings, ...errors } } }, async (req, reply) => {
    const m = monthParam(ctx, req.query.month)
    if (!m.ok)
      return reply.code(400).send(m.error)
    return (await scoring.get(m.month)).rankings
  })

  app.post('/api/scores/freeze', {
    schema: { body: Type.Object({ upTo: Type.Optional(MonthT) }, { additionalProperties: false }), response: { 200: Type.Object({ frozen: Type.Array(MonthT) }), ...errors } },
  }, async (req, reply) => {
    if (!(await gate(ctx, req, reply, 'scores:freeze', 'scores:freeze', req.body.upTo ?? null, true)))
      return reply
    return { frozen: await scoring.freezeEnded(req.body.upTo) }
  })

  // Ended months are frozen once the server listens (after the demo back-fill), off the request path; a month
  // that ends while it runs is frozen by the first request for it. Tests that only inject never listen.
  app.addHook('onListen', async () => {
    scoring.freezeEnded().catch(e => app.log.error(e))
  })
}
