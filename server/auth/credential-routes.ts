import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Permission } from '../../shared/auth/authz.ts'
import type { AppContext } from '../context.ts'
import QRCode from 'qrcode'
import { Type } from 'typebox'
import { authorize } from '../../shared/auth/authz.ts'
import { AuditRowT, RoleKeyT, ShareLinkCreate, ShareLinkCreated, ShareLinkT } from '../../shared/auth/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpOrigin } from './plugin.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const CredentialCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), roles: Type.Optional(Type.Array(RoleKeyT, { minItems: 1, maxItems: 3 })) }, { additionalProperties: false })
const CredentialCreated = Type.Object({ id: Type.String(), name: Type.String(), token: Type.String() })

/** Share links, devices, API keys and the audit trail: each checks its permission, each is audited. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  /** Decides, audits, and answers 403 when denied. Returns true when the caller may go on. */
  async function gate(req: FastifyRequest, reply: FastifyReply, permission: Permission, action: string, target: string | null = null): Promise<boolean> {
    const d = authorize(req.principal!, permission)
    await ctx.audit.record(req.principal, httpOrigin(req), { action, target, result: d.allow ? 'allow' : 'deny', role: d.allow ? d.role : null, detail: d.allow ? null : d.reason })
    if (!d.allow)
      reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: d.reason })
    return d.allow
  }

  app.get('/api/audit', {
    schema: {
      querystring: Type.Object({
        since: Type.Optional(Type.String({ format: 'date-time' })),
        actor: Type.Optional(Type.String({ maxLength: 64 })),
        action: Type.Optional(Type.String({ maxLength: 64 })),
        result: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny'), Type.Literal('fail')])),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
      }),
      response: { 200: Type.Array(AuditRowT), ...errors },
    },
  }, async (req, reply) => {
    const d = authorize(req.principal!, 'audit:read')
    if (!d.allow)
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: d.reason })
    const q = req.query
    return ctx.authStore.queryAudit({ since: q.since, actorId: q.actor, action: q.action, result: q.result, limit: q.limit ?? 200 })
  })

  app.get('/api/share-links', { schema: { response: { 200: Type.Array(ShareLinkT), ...errors } } }, async (req, reply) => {
    const d = authorize(req.principal!, 'share:create')
    if (!d.allow)
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: d.reason })
    return ctx.authStore.listShareLinks()
  })

  app.post('/api/share-links', { schema: { body: ShareLinkCreate, response: { 201: ShareLinkCreated, ...errors } } }, async (req, reply) => {
    if (!(await gate(req, reply, 'share:create', 'share:create')))
      return reply
    const { link, token } = await ctx.auth.createShareLink(req.principal!.personId ?? req.principal!.id, req.body.label ?? '领导查看链接', req.body.hours ?? 24)
    const path = `/m?share=${encodeURIComponent(token)}`
    const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`
    const qrSvg = await QRCode.toString(`${origin}${path}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
    return reply.code(201).send({ link, path, token, qrSvg })
  })

  app.delete('/api/share-links/:id', { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    if (!(await gate(req, reply, 'share:revoke', 'share:revoke', req.params.id)))
      return reply
    if (!(await ctx.auth.revokeShareLink(req.params.id)))
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `share link ${req.params.id} does not exist or is already revoked`, field: 'id' })
    return reply.code(204).send(null)
  })

  // Enrol a person's phone (a QR code handed over in person): it then acts as that person, nothing more.
  app.post('/api/enrolments', { schema: { body: Type.Object({ personId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }), response: { 201: CredentialCreated, ...errors } } }, async (req, reply) => {
    if (!(await gate(req, reply, 'device:enroll', 'person:enrol', req.body.personId)))
      return reply
    const person = ctx.reference.org.people.find(p => p.id === req.body.personId)
    if (!person)
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `person ${req.body.personId} does not exist`, field: 'personId' })
    const { credential, token } = await ctx.auth.createCredential('person', `${person.name}的手机`, person.roles, req.principal!.id, undefined, person.id)
    return reply.code(201).send({ id: credential.id, name: credential.name, token })
  })

  for (const kind of ['device', 'key'] as const) {
    const base = kind === 'device' ? '/api/devices' : '/api/api-keys'
    const defaultRoles = kind === 'device' ? ['wall' as const] : ['integration' as const]
    app.post(base, { schema: { body: CredentialCreate, response: { 201: CredentialCreated, ...errors } } }, async (req, reply) => {
      if (!(await gate(req, reply, 'device:enroll', `${kind}:create`, req.body.name)))
        return reply
      // A device only shows; a key only reports. Neither can be given a role that acts on incidents here.
      const roles = (req.body.roles ?? defaultRoles).filter(r => r === 'wall' || r === 'integration' || r === 'leader')
      const { credential, token } = await ctx.auth.createCredential(kind, req.body.name, roles.length ? roles : defaultRoles, req.principal!.id)
      return reply.code(201).send({ id: credential.id, name: credential.name, token })
    })
    app.delete(`${base}/:id`, { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
      if (!(await gate(req, reply, 'device:enroll', `${kind}:revoke`, req.params.id)))
        return reply
      if (!(await ctx.auth.revokeCredential(req.params.id)))
        return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${kind} ${req.params.id} does not exist or is already revoked`, field: 'id' })
      return reply.code(204).send(null)
    })
  }
}
