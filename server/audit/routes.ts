import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { AuditFilter, AuditPageQuery } from '../../shared/auth/admin-schema.ts'
import { AuditRowT } from '../../shared/auth/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { dayOf } from '../../shared/kernel/time.ts'
import { requirePermission } from '../auth/plugin.ts'
import { httpError } from '../http/errors.ts'
import { auditCsv, auditQuery, auditWorkbook } from './export.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }
const FileT = Type.Unsafe<string | Buffer>({ type: 'string', description: 'the export file' })
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
/** An export is bounded: a year of a busy subdistrict's actions fits; more is narrowed with the filters. */
const EXPORT_MAX = 50_000

function checkRange(q: AuditFilter): void {
  if (q.from && q.to && q.from > q.to)
    throw httpError(400, `from (${q.from}) is after to (${q.to})`, { field: 'from' })
}

/** The audit trail, newest first (admin): filters, pages (the total in `x-total-count`), CSV and XLSX exports. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/audit', { schema: { querystring: AuditPageQuery, response: { 200: Type.Array(AuditRowT), ...errors } } }, async (req, reply) => {
    checkRange(req.query)
    await requirePermission(ctx, req, 'audit:read')
    const q = auditQuery(req.query)
    reply.header('x-total-count', String(await ctx.authStore.countAudit(q)))
    return ctx.authStore.queryAudit({ ...q, limit: req.query.limit ?? 200, offset: req.query.offset ?? 0 })
  })

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/api/audit/export.${format}`, { schema: { querystring: AuditFilter, response: { 200: FileT, ...errors } } }, async (req, reply) => {
      checkRange(req.query)
      // Who took a copy of the trail is itself part of the trail.
      await requirePermission(ctx, req, 'audit:read', { action: `audit:export.${format}`, target: new URLSearchParams(req.query as Record<string, string>).toString().slice(0, 120) || null, record: true })
      const rows = await ctx.authStore.queryAudit({ ...auditQuery(req.query), limit: EXPORT_MAX })
      reply.header('content-disposition', `attachment; filename="onescreen-audit-${dayOf(ctx.now())}.${format}"`)
      reply.header('cache-control', 'no-store')
      if (format === 'csv')
        return reply.type('text/csv; charset=utf-8').send(auditCsv(rows))
      return reply.type(XLSX_TYPE).send(await auditWorkbook(rows, ctx.now()))
    })
  }
}
