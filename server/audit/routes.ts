import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { AuditRowT } from '../../shared/auth/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { requirePermission } from '../auth/plugin.ts'

const AuditQuery = Type.Object({
  since: Type.Optional(Type.String({ format: 'date-time' })),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  result: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny'), Type.Literal('fail')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
})

/** The audit trail, newest first (admin). */
export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/audit', { schema: { querystring: AuditQuery, response: { 200: Type.Array(AuditRowT), 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse } } }, async (req) => {
    await requirePermission(ctx, req, 'audit:read')
    const q = req.query
    return ctx.authStore.queryAudit({ since: q.since, actorId: q.actor, action: q.action, result: q.result, limit: q.limit ?? 200 })
  })
}
