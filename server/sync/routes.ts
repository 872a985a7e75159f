import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { keyCovers, seesPersonalData } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { ChangesPage, ChangesRequest, Snapshot } from '../../shared/sync/schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'
import { changesFor, readSnapshot } from './service.ts'

/** The snapshot and the change log: how every screen gets the truth and catches up. */
export const syncRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/snapshot', { schema: { response: { 200: Snapshot } } }, async req => readSnapshot(ctx, !seesPersonalData(req.principal!)))

  app.get('/api/changes', { schema: { querystring: ChangesRequest, response: { 200: ChangesPage, 400: ErrorResponse, 429: ErrorResponse } } }, async (req, reply) =>
    answer(reply, await changesFor(ctx, httpCall(req), req.query.since, req.query.limit), page => req.principal!.kind === 'key'
      // An API key reads incident changes only, within the communities its incidents:read scope covers (#15).
      ? { ...page, changes: page.changes.filter(c => c.kind === 'incident' && keyCovers(req.principal!, c.data.owner.communityId)) }
      : page))
}
