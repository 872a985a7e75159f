import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import type { ServiceResult } from '../incident/service.ts'
import { Type } from 'typebox'
import { authorize } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { matchPlan } from '../../shared/wartime/plans.ts'
import { Message, MessageBody, Operation, Plan, Task, TaskStatusBody, WartimeState } from '../../shared/wartime/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { entity } from './service.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
const Reason = Type.String({ minLength: 1, maxLength: 300 })
function send<T>(reply: FastifyReply, res: ServiceResult<T>) {
  if (!res.ok) {
    const { ok: _ok, status, ...rest } = res
    return reply.code(status).send({ statusCode: status, ...rest })
  }
  return reply.code(res.status).send(res.data)
}
const call = (req: FastifyRequest, opKey?: string) => ({ principal: req.principal!, origin: httpOrigin(req), opKey })

/** Wartime: the operation, plans, one-click activation, responders' tasks, one-click messages. */
export const wartimeRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/wartime', { schema: { response: { 200: WartimeState } } }, async () => {
    const operation = await ctx.wartime.active()
    return {
      operation,
      plan: operation?.planId ? await ctx.wartime.plan(operation.planId) : null,
      tasks: operation ? await ctx.wartime.tasks(operation.id) : [],
      online: ctx.presence.online(),
      warnings: (await ctx.store.listEntities('warning')).filter(w => w.state === 'active'),
    }
  })

  app.post('/api/wartime/declare', {
    schema: { body: Type.Object({ reason: Reason, warningId: Type.Optional(Type.String({ maxLength: 200 })), planId: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }), response: { 201: Operation, ...errors } },
  }, async (req, reply) => send(reply, await ctx.wartime.declare(call(req), req.body)))

  app.post('/api/wartime/end', {
    schema: { body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: Operation, ...errors } },
  }, async (req, reply) => send(reply, await ctx.wartime.end(call(req), req.body)))

  app.post('/api/wartime/activate', {
    schema: { body: Type.Object({ planId: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }), response: { 200: Operation, ...errors } },
  }, async (req, reply) => send(reply, await ctx.wartime.activate(call(req), req.body)))

  app.get('/api/plans', { schema: { response: { 200: Type.Array(Plan) } } }, async () => ctx.wartime.plans())

  /** Who a plan would reach now (a dry run: nothing is sent). */
  app.get('/api/plans/:id/responders', {
    schema: { params: IdParams, response: { 200: Type.Array(Type.Object({ templateId: Type.String(), personId: Type.String(), gridIds: Type.Array(Type.String()), riskPointIds: Type.Array(Type.String()) })), 404: ErrorResponse } },
  }, async (req, reply) => {
    const p = await ctx.wartime.plan(req.params.id)
    if (!p)
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `plan ${req.params.id} does not exist`, field: 'id' })
    return matchPlan(p, ctx.reference)
  })

  app.put('/api/plans/:id', { schema: { params: IdParams, body: Type.Omit(Plan, ['version', 'updatedAt']), response: { 200: Plan, ...errors } } }, async (req, reply) => {
    const d = authorize(req.principal!, 'plan:edit')
    await ctx.audit.record(req.principal, httpOrigin(req), { action: 'plan:edit', target: req.params.id, result: d.allow ? 'allow' : 'deny', detail: d.allow ? null : d.reason })
    if (!d.allow)
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: d.reason })
    if (req.body.id !== req.params.id)
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'body id must match the URL', field: 'id' })
    const current = await ctx.wartime.plan(req.params.id)
    const at = ctx.now().toISOString()
    const plan = { ...req.body, version: (current?.version ?? 0) + 1, updatedAt: at }
    await ctx.store.commit({ mutations: [entity('plan', plan, current ? 'edit' : 'create', at)] })
    return plan
  })

  app.get('/api/tasks/mine', { schema: { response: { 200: Type.Array(Task) } } }, async (req) => {
    const me = req.principal!.personId
    return me ? (await ctx.store.listEntities('task')).filter(t => t.assigneeId === me) : []
  })

  app.post('/api/tasks/:id/status', {
    schema: { params: IdParams, headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }), body: TaskStatusBody, response: { 200: Task, ...errors } },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key']
    return send(reply, await ctx.wartime.taskStatus(call(req, key ? `task:${req.params.id}:${key}` : undefined), req.params.id, req.body))
  })

  app.get('/api/messages', { schema: { response: { 200: Type.Array(Message) } } }, async (req) => {
    const all = await ctx.messages.list()
    const p = req.principal!
    return authorize(p, 'message:send').allow || p.roles.includes('leader') || p.roles.includes('wall') ? all : all.filter(m => m.recipients.some(r => r.personId === p.personId))
  })

  app.post('/api/messages', { schema: { body: MessageBody, response: { 201: Message, ...errors } } }, async (req, reply) => send(reply, await ctx.messages.send(call(req), req.body)))
}
