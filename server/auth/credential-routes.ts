import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import type { Credential } from '../db/auth-store.ts'
import QRCode from 'qrcode'
import { Type } from 'typebox'
import { RoleKeyT, ShareLinkCreate, ShareLinkCreated, ShareLinkT } from '../../shared/auth/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpError } from '../http/errors.ts'
import { requirePermission } from './plugin.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const CredentialCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), roles: Type.Optional(Type.Array(RoleKeyT, { minItems: 1, maxItems: 3 })) }, { additionalProperties: false })
const CredentialCreated = Type.Object({ id: Type.String(), name: Type.String(), token: Type.String() })
/** A credential as listed: never its token hash. */
const CredentialT = Type.Object({ id: Type.String(), name: Type.String(), roles: Type.Array(RoleKeyT), createdBy: Type.String(), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]) })
const listed = ({ id, name, roles, createdBy, createdAt, revokedAt }: Credential) => ({ id, name, roles, createdBy, createdAt, revokedAt })

/** Share links, wall devices, enrolled phones and API keys: each checks its permission, each is audited. */
export const credentialRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/share-links', { schema: { response: { 200: Type.Array(ShareLinkT), ...errors } } }, async (req) => {
    await requirePermission(ctx, req, 'share:create')
    return ctx.authStore.listShareLinks()
  })

  app.post('/api/share-links', { schema: { body: ShareLinkCreate, response: { 201: ShareLinkCreated, ...errors } } }, async (req, reply) => {
    await requirePermission(ctx, req, 'share:create', { record: true })
    const { link, token } = await ctx.auth.createShareLink(req.principal!.personId ?? req.principal!.id, req.body.label ?? '领导查看链接', req.body.hours ?? 24)
    const path = `/m?share=${encodeURIComponent(token)}`
    const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`
    const qrSvg = await QRCode.toString(`${origin}${path}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
    return reply.code(201).send({ link, path, token, qrSvg })
  })

  app.delete('/api/share-links/:id', { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await requirePermission(ctx, req, 'share:revoke', { target: req.params.id, record: true })
    if (!(await ctx.auth.revokeShareLink(req.params.id)))
      throw httpError(404, `share link ${req.params.id} does not exist or is already revoked`, { field: 'id' })
    return reply.code(204).send(null)
  })

  // Enrol a person's phone (a QR code handed over in person): it then acts as that person, nothing more.
  app.post('/api/enrolments', { schema: { body: Type.Object({ personId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }), response: { 201: CredentialCreated, ...errors } } }, async (req, reply) => {
    await requirePermission(ctx, req, 'device:enroll', { target: req.body.personId, action: 'person:enrol', record: true })
    const person = ctx.reference.org.people.find(p => p.id === req.body.personId)
    if (!person)
      throw httpError(404, `person ${req.body.personId} does not exist`, { field: 'personId' })
    const { credential, token } = await ctx.auth.createCredential('person', `${person.name}的手机`, person.roles, req.principal!.id, undefined, person.id)
    return reply.code(201).send({ id: credential.id, name: credential.name, token })
  })

  // API keys, with their scopes, are in key-routes.ts.
  for (const kind of ['device'] as const) {
    const base = '/api/devices'
    const defaultRoles = ['wall' as const]
    app.get(base, { schema: { response: { 200: Type.Array(CredentialT), ...errors } } }, async (req) => {
      await requirePermission(ctx, req, 'device:enroll', { action: `${kind}:list` })
      return (await ctx.authStore.listCredentials(kind)).map(listed)
    })
    app.post(base, { schema: { body: CredentialCreate, response: { 201: CredentialCreated, ...errors } } }, async (req, reply) => {
      await requirePermission(ctx, req, 'device:enroll', { target: req.body.name, action: `${kind}:create`, record: true })
      // A device only shows; a key only reports. Neither can be given a role that acts on incidents here.
      const roles = (req.body.roles ?? defaultRoles).filter(r => r === 'wall' || r === 'integration' || r === 'leader')
      const { credential, token } = await ctx.auth.createCredential(kind, req.body.name, roles.length ? roles : defaultRoles, req.principal!.id)
      return reply.code(201).send({ id: credential.id, name: credential.name, token })
    })
    app.delete(`${base}/:id`, { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
      await requirePermission(ctx, req, 'device:enroll', { target: req.params.id, action: `${kind}:revoke`, record: true })
      if (!(await ctx.auth.revokeCredential(req.params.id)))
        throw httpError(404, `${kind} ${req.params.id} does not exist or is already revoked`, { field: 'id' })
      return reply.code(204).send(null)
    })
  }
}
