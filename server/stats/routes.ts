import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { StatsResponse } from '../../shared/stats/schema.ts'

/** The wall's statistics panels: today's figures, the 30-day period, trends, headline figures, N forces. */
export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/stats', { schema: { response: { 200: StatsResponse } } }, async () => ctx.stats.get())
}
