import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { AwardBody, LedgerEntry, MonthQuery, PointsBoard, PointsHistory, RedeemBody } from '../../shared/scoring/schema.ts'
import { httpCall, requirePermission } from '../auth/plugin.ts'
import { answer, httpError } from '../http/errors.ts'
import { monthParam } from './routes.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse }
const PersonParams = Type.Object({ personId: Type.String({ minLength: 1, maxLength: 64 }) })

/** The volunteers' pioneer index (先锋指数): award, redeem, one account's history, the board. */
export const pointRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { ledger } = ctx

  app.post('/api/points/award', { schema: { body: AwardBody, response: { 200: LedgerEntry, 201: LedgerEntry, ...errors } } }, async (req, reply) =>
    answer(reply, await ledger.post('earn', req.body, httpCall(req))))

  app.post('/api/points/redeem', { schema: { body: RedeemBody, response: { 200: LedgerEntry, 201: LedgerEntry, ...errors } } }, async (req, reply) =>
    answer(reply, await ledger.post('redeem', req.body, httpCall(req))))

  app.get('/api/points', { schema: { querystring: MonthQuery, response: { 200: PointsBoard, ...errors } } }, async (req) => {
    const { month } = monthParam(ctx, req.query.month)
    await requirePermission(ctx, req, 'points:read')
    return { month, accounts: await ledger.board(month) }
  })

  /** The caller's own account: a volunteer's phone shows its balance and history. */
  app.get('/api/points/me', { schema: { querystring: MonthQuery, response: { 200: PointsHistory, ...errors } } }, async (req) => {
    const { month } = monthParam(ctx, req.query.month)
    const p = req.principal!
    const history = p.personId !== null && (p.kind === 'user' || p.kind === 'device') ? await ledger.history(p.personId, month) : null
    if (!history)
      throw httpError(404, 'no points account: the caller is not a volunteer (志愿者) of the N forces')
    return history
  })

  /** A volunteer sees their own account; the desks that award points see anyone's. */
  app.get('/api/points/:personId', { schema: { params: PersonParams, querystring: MonthQuery, response: { 200: PointsHistory, ...errors } } }, async (req) => {
    const { month } = monthParam(ctx, req.query.month)
    const own = req.principal!.kind === 'user' && req.principal!.personId === req.params.personId
    if (!own)
      await requirePermission(ctx, req, 'points:read', { target: req.params.personId })
    const history = await ledger.history(req.params.personId, month)
    if (!history)
      throw httpError(404, `${req.params.personId} is not a volunteer (志愿者) of the N forces`, { field: 'personId' })
    return history
  })
}
