import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Health } from '../../shared/http/schema.ts'

/** Liveness and the change-log head, without a session. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const started = Date.now()
  app.get('/api/health', { schema: { response: { 200: Health } } }, async () => ({
    ok: true,
    seq: await ctx.store.head(),
    demo: ctx.config.demo,
    store: ctx.store.dialect,
    uptimeSeconds: (Date.now() - started) / 1000,
  }))
}
