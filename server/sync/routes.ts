import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { seesPersonalData } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { ChangesPage, Snapshot } from '../../shared/sync/schema.ts'
import { readChanges, readSnapshot } from './service.ts'

/** The snapshot and the change log: how every screen gets the truth and catches up. */
export const syncRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/snapshot', { schema: { response: { 200: Snapshot } } }, async req => readSnapshot(ctx, !seesPersonalData(req.principal!)))

  app.get('/api/changes', {
    schema: {
      querystring: Type.Object({
        since: Type.Integer({ minimum: 0 }),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
      }),
      response: { 200: ChangesPage, 400: ErrorResponse },
    },
  }, async req => readChanges(ctx, req.query.since, req.query.limit ?? 1000, !seesPersonalData(req.principal!)))
}
