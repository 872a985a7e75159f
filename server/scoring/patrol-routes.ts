import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Patrol as PatrolT } from '../../shared/scoring/schema.ts'
import type { AppContext } from '../context.ts'
import { randomUUID } from 'node:crypto'
import { Type } from 'typebox'
import { authorize } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { monthOf } from '../../shared/kernel/time.ts'
import { MonthQuery, Patrol, PatrolBody } from '../../shared/scoring/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { monthParam } from './routes.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse }
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
/** A check-in sent late from an offline phone is accepted this long after it happened. */
const LATE_MS = 7 * 24 * 3_600_000

/** Patrol check-ins (巡查打卡): a grid worker at a point inside one of their grids. Counted in the monthly score. */
export const patrolRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/patrols', { schema: { headers: IdemHeaders, body: PatrolBody, response: { 200: Patrol, 201: Patrol, ...errors } } }, async (req, reply) => {
    const p = req.principal!
    const grid = ctx.grids.locate(req.body.location)
    const d = authorize(p, 'patrol:checkin')
    const inGrid = grid !== null && p.gridIds.includes(grid.id)
    const why = !d.allow ? d.reason : inGrid ? null : `the point is ${grid ? `in grid ${grid.id}, ` : 'outside every grid, '}not in the caller's grids`
    if (why) {
      await ctx.audit.record(p, httpOrigin(req), { action: 'patrol:checkin', target: grid?.id ?? null, result: 'deny', detail: why })
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: why, field: d.allow ? 'location' : undefined })
    }
    const now = ctx.now()
    const at = req.body.at ? new Date(req.body.at) : now
    if (at.getTime() > now.getTime() + 60_000 || now.getTime() - at.getTime() > LATE_MS)
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'at must be within the last 7 days and not in the future', field: 'at' })
    if (await ctx.store.scoring.getFrozen(monthOf(at)))
      return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: `${monthOf(at)} is already scored and frozen; a check-in can no longer be added to it`, field: 'at' })
    const patrol: PatrolT = {
      id: `pt_${randomUUID()}`,
      personId: p.personId ?? p.id,
      gridId: grid!.id,
      at: at.toISOString(),
      location: { lon: req.body.location.lon, lat: req.body.location.lat },
      note: req.body.note ?? null,
      device: req.headers['user-agent']?.slice(0, 120) ?? null,
      recordedAt: now.toISOString(),
    }
    const key = req.headers['idempotency-key']
    const audit = ctx.audit.entry(p, httpOrigin(req), { action: 'patrol:checkin', target: grid!.id, result: 'allow', role: d.allow ? d.role : null })
    const res = await ctx.store.scoring.addPatrol(patrol, key ? `${patrol.personId}:${key}` : null, audit)
    if (res.replayed)
      reply.header('idempotent-replayed', 'true')
    return reply.code(res.replayed ? 200 : 201).send(res.patrol)
  })

  app.get('/api/patrols/me', { schema: { querystring: MonthQuery, response: { 200: Type.Array(Patrol), ...errors } } }, async (req, reply) => {
    const month = monthParam(ctx, req.query.month)
    if (!month.ok)
      return reply.code(400).send(month.error)
    const me = req.principal!.personId
    const { fromIso, toIso } = month.range
    return me ? (await ctx.store.scoring.listPatrols(fromIso, toIso)).filter(x => x.personId === me) : []
  })
}
