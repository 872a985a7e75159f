import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { matchPlan } from '../../shared/wartime/plans.ts'
import { Operation, Plan, Task, TaskStatusBody, WartimeState } from '../../shared/wartime/schema.ts'
import { httpOrigin, requirePermission } from '../auth/plugin.ts'
import { answer, httpError } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
const Reason = Type.String({ minLength: 1, maxLength: 300 })
const Responders = Type.Array(Type.Object({ templateId: Type.String(), personId: Type.String(), gridIds: Type.Array(Type.String()), riskPointIds: Type.Array(Type.String()) }))
const call = (req: FastifyRequest, opKey?: string) => ({ principal: req.principal!, origin: httpOrigin(req), opKey })

/** Wartime: the operation, plans, one-click activation, responders' tasks. */
export const wartimeRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Receipts wait a few milliseconds to be folded into an acknowledgement: written before the store closes.
  app.addHook('onClose', async () => ctx.wartime.flushReceipts())
  app.get('/api/wartime', { schema: { response: { 200: WartimeState } } }, async () => ctx.wartime.state())

  app.post('/api/wartime/declare', {
    schema: { body: Type.Object({ reason: Reason, warningId: Type.Optional(Type.String({ maxLength: 200 })), planId: Type.Optional(Type.String({ maxLength: 40 })), exercise: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 201: Operation, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.wartime.declare(call(req), req.body)))

  app.post('/api/wartime/end', {
    schema: { body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: Operation, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.wartime.end(call(req), req.body)))

  app.post('/api/wartime/activate', {
    schema: { body: Type.Object({ planId: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }), response: { 200: Operation, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.wartime.activate(call(req), req.body)))

  app.get('/api/plans', { schema: { response: { 200: Type.Array(Plan) } } }, async () => ctx.wartime.plans())

  /** Who a plan would reach now (a dry run: nothing is sent). */
  app.get('/api/plans/:id/responders', { schema: { params: IdParams, response: { 200: Responders, 404: ErrorResponse } } }, async (req) => {
    const p = await ctx.wartime.plan(req.params.id)
    if (!p)
      throw httpError(404, `plan ${req.params.id} does not exist`, { field: 'id' })
    return matchPlan(p, ctx.reference)
  })

  /** Who a plan being edited would reach (a dry run of the unsaved form: nothing is stored or sent). */
  app.post('/api/plans/dry-run', {
    schema: { body: Type.Omit(Plan, ['version', 'updatedAt'], { additionalProperties: false }), response: { 200: Responders, ...errors } },
  }, async (req) => {
    await requirePermission(ctx, req, 'plan:edit', { action: 'plan:dry-run', target: req.body.id })
    return matchPlan({ ...req.body, version: 0, updatedAt: '' }, ctx.reference)
  })

  app.put('/api/plans/:id', {
    schema: { params: IdParams, body: Type.Omit(Plan, ['version', 'updatedAt'], { additionalProperties: false }), response: { 200: Plan, 201: Plan, ...errors } },
  }, async (req, reply) => answer(reply, await ctx.wartime.editPlan(call(req), req.params.id, req.body)))

  app.get('/api/tasks/mine', { schema: { response: { 200: Type.Array(Task) } } }, async req => ctx.wartime.tasksOf(req.principal!.personId))

  app.post('/api/tasks/:id/status', {
    schema: { params: IdParams, headers: IdemHeaders, body: TaskStatusBody, response: { 200: Task, ...errors } },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key']
    return answer(reply, await ctx.wartime.taskStatus(call(req, key ? `task:${req.params.id}:${key}` : undefined), req.params.id, req.body))
  })
}
