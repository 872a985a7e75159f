import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import type { AppContext } from '../context.ts'
import type { LedgerResult } from './ledger.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { AwardBody, LedgerEntry, MonthQuery, PointsBoard, PointsHistory, RedeemBody } from '../../shared/scoring/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { ledgerOf } from './ledger.ts'
import { gate, monthParam } from './routes.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse }
const PersonParams = Type.Object({ personId: Type.String({ minLength: 1, maxLength: 64 }) })

function send<T>(reply: FastifyReply, res: LedgerResult<T>) {
  if (!res.ok) {
    const { ok: _ok, status, ...rest } = res
    return reply.code(status).send({ statusCode: status, ...rest })
  }
  if (res.replayed)
    reply.header('idempotent-replayed', 'true')
  return reply.code(res.status).send(res.data)
}

/** The volunteers' pioneer index (先锋指数): award, redeem, one account's history, the board. */
export const pointRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const ledger = ledgerOf(ctx)

  app.post('/api/points/award', { schema: { body: AwardBody, response: { 200: LedgerEntry, 201: LedgerEntry, ...errors } } }, async (req, reply) =>
    send(reply, await ledger.post('earn', req.body, req.principal!, httpOrigin(req))))

  app.post('/api/points/redeem', { schema: { body: RedeemBody, response: { 200: LedgerEntry, 201: LedgerEntry, ...errors } } }, async (req, reply) =>
    send(reply, await ledger.post('redeem', req.body, req.principal!, httpOrigin(req))))

  app.get('/api/points', { schema: { querystring: MonthQuery, response: { 200: PointsBoard, ...errors } } }, async (req, reply) => {
    const m = monthParam(ctx, req.query.month)
    if (!m.ok)
      return reply.code(400).send(m.error)
    if (!(await gate(ctx, req, reply, 'points:read', 'points:read', null)))
      return reply
    return { month: m.month, accounts: await ledger.board(m.month) }
  })

  /** A volunteer sees their own account; the desks that award points see anyone's. */
  app.get('/api/points/:personId', { schema: { params: PersonParams, querystring: MonthQuery, response: { 200: PointsHistory, ...errors } } }, async (req, reply) => {
    const m = monthParam(ctx, req.query.month)
    if (!m.ok)
      return reply.code(400).send(m.error)
    const own = req.principal!.kind === 'user' && req.principal!.personId === req.params.personId
    if (!own && !(await gate(ctx, req, reply, 'points:read', 'points:read', req.params.personId)))
      return reply
    const history = await ledger.history(req.params.personId, m.month)
    if (!history)
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${req.params.personId} is not a volunteer (志愿者) of the N forces`, field: 'personId' })
    return history
  })
}
