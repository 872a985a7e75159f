import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { KeyGrant, KeyScope } from '../../shared/auth/scopes.ts'
import type { AppContext } from '../context.ts'
import type { Credential } from '../db/auth-store.ts'
import { Type } from 'typebox'
import { ApiKeyCreate, ApiKeyT } from '../../shared/auth/admin-schema.ts'
import { DEFAULT_KEY_GRANT } from '../../shared/auth/scopes.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpError } from '../http/errors.ts'
import { requirePermission } from './plugin.ts'

/**
 * The scope each integration route needs from an API key (method and route pattern). A key calling any other
 * route is decided by its role as before (`integration`: reference reads only). The auth hook checks this.
 */
export const KEY_ROUTES: Record<string, KeyScope> = {
  'POST /api/incidents': 'incidents:report',
  'GET /api/incidents/:id': 'incidents:read',
  'GET /api/changes': 'changes:read',
  'POST /api/cap': 'warnings:submit',
  'GET /api/webhooks/self': 'callbacks:manage',
  'PUT /api/webhooks/self': 'callbacks:manage',
  'DELETE /api/webhooks/self': 'callbacks:manage',
  // #16: the 12345 hotline's calls on its own orders.
  'GET /api/hotline/orders/:orderNo': 'hotline:sync',
  'POST /api/hotline/orders/:orderNo/marks': 'hotline:sync',
  'POST /api/hotline/orders/:orderNo/requests/:index/answer': 'hotline:sync',
  // #17: a sensor network's readings.
  'POST /api/sensors/readings': 'sensors:report',
  // Outside /api: the metrics route checks this scope itself (server/http/metrics.ts).
  'GET /metrics': 'metrics:read',
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const KeyCreated = Type.Object({ id: Type.String(), name: Type.String(), token: Type.String() })
const listed = ({ id, name, roles, createdBy, createdAt, revokedAt, grant }: Credential) => ({ id, name, roles, createdBy, createdAt, revokedAt, ...(grant ?? DEFAULT_KEY_GRANT) })

/** API keys for other systems (12345, Open311, CAP senders): made with a scope set, the token shown once. */
export const keyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/api-keys', { schema: { response: { 200: Type.Array(ApiKeyT), ...errors } } }, async (req) => {
    await requirePermission(ctx, req, 'device:enroll', { action: 'key:list' })
    return (await ctx.authStore.listCredentials('key')).map(listed)
  })

  app.post('/api/api-keys', { schema: { body: ApiKeyCreate, response: { 201: KeyCreated, ...errors } } }, async (req, reply) => {
    const { name, scopes, communityIds } = req.body
    const unknown = communityIds?.find(id => !ctx.reference.territory.communities.some(c => c.id === id))
    if (unknown)
      throw httpError(400, `community ${unknown} does not exist`, { field: 'communityIds' })
    // Duplicates are dropped here: the schema does not compare items (the fuzz test keeps bodies cheap to check).
    const grant: KeyGrant = scopes ? { scopes: [...new Set(scopes)], communityIds: communityIds ? [...new Set(communityIds)] : null } : DEFAULT_KEY_GRANT
    await requirePermission(ctx, req, 'device:enroll', { target: `${name} [${grant.scopes.join(' ')}${grant.communityIds ? ` @${grant.communityIds.join(',')}` : ''}]`, action: 'key:create', record: true })
    const { credential, token } = await ctx.auth.createCredential('key', name, ['integration'], req.principal!.id, undefined, null, grant)
    return reply.code(201).send({ id: credential.id, name: credential.name, token })
  })

  app.delete('/api/api-keys/:id', { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await requirePermission(ctx, req, 'device:enroll', { target: req.params.id, action: 'key:revoke', record: true })
    if (!(await ctx.auth.revokeCredential(req.params.id)))
      throw httpError(404, `key ${req.params.id} does not exist or is already revoked`, { field: 'id' })
    return reply.code(204).send(null)
  })
}
