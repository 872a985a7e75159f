import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { Headline, MonthQuery } from '../../shared/scoring/schema.ts'
import { requirePermission } from '../auth/plugin.ts'
import { monthlyCsv, monthlyWorkbook } from './report.ts'
import { monthParam } from './routes.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }
const FileT = Type.Unsafe<string | Buffer>({ type: 'string', description: 'the report file' })
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The monthly evaluation report (admin): XLSX, CSV, and the headline figures with their definitions. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  for (const format of ['xlsx', 'csv'] as const) {
    // 200 is a file (a Buffer or a string with its own content type): Fastify sends it as it is.
    app.get(`/api/reports/monthly.${format}`, { schema: { querystring: MonthQuery, response: { 200: FileT, ...errors } } }, async (req, reply) => {
      const { month } = monthParam(ctx, req.query.month)
      await requirePermission(ctx, req, 'reports:read', { target: month, action: `reports:monthly.${format}`, record: true })
      const result = await ctx.scoring.get(month)
      reply.header('content-disposition', `attachment; filename="onescreen-monthly-${month}.${format}"`)
      reply.header('cache-control', 'no-store')
      if (format === 'csv')
        return reply.type('text/csv; charset=utf-8').send(monthlyCsv(result, ctx.reference))
      return reply.type(XLSX_TYPE).send(await monthlyWorkbook(result, ctx.reference))
    })
  }

  app.get('/api/reports/headline', { schema: { querystring: MonthQuery, response: { 200: Headline, ...errors } } }, async (req) => {
    const { month } = monthParam(ctx, req.query.month)
    await requirePermission(ctx, req, 'reports:read', { target: month, action: 'reports:headline' })
    return { month, figures: (await ctx.scoring.get(month)).headline }
  })
}
