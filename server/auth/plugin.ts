import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Permission, Principal, Read } from '../../shared/auth/authz.ts'
import type { AppContext } from '../context.ts'
import type { SessionRow } from '../db/auth-store.ts'
import fastifyCookie from '@fastify/cookie'
import fp from 'fastify-plugin'
import { authorizeKey, authorizeRead } from '../../shared/auth/authz.ts'
import { errorBody, failureError } from '../http/errors.ts'
import { KEY_ROUTES } from './key-routes.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
    session: SessionRow | null
  }
  interface FastifyContextConfig {
    /** What a GET on this route reads (default `live`): checked for every caller before the handler runs. */
    read?: Read
  }
}

export const SESSION_COOKIE = 'os_sid'
/** A wall's device session, set aside while an operator is signed in on it. */
export const DEVICE_COOKIE = 'os_dev'
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Routes that work without a session: health, and the doors that open one. */
const PUBLIC_API = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/api/auth/login', '/api/auth/share', '/api/auth/device'])

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: string, name = SESSION_COOKIE): void {
  reply.setCookie(name, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto', expires: new Date(expiresAt) })
}

/** Same origin, or one of the configured extra origins (a dev server). A missing Origin is a non-browser client. */
export function originAllowed(origin: string | undefined, host: string | undefined, extra: string[]): boolean {
  if (!origin)
    return true
  try {
    return new URL(origin).host === host || extra.includes(origin)
  }
  catch {
    return false
  }
}

function deny(reply: FastifyReply, status: 401 | 403, message: string, field?: string) {
  return reply.code(status).send(errorBody(status, message, { field }))
}

/**
 * Who is calling: a session cookie (people, wall devices, share links) or a bearer API key (other systems).
 * Every /api route but the public ones needs one; cookie-authenticated mutations also need the CSRF token.
 */
export const authPlugin = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  await app.register(fastifyCookie)
  app.decorateRequest('principal', null)
  app.decorateRequest('session', null)

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (bearer) {
      // A key is a caller like any other from here on (its reads are checked below); it has no cookie or CSRF.
      // A monitor polling health with a stale key still gets its answer: health needs no caller.
      req.principal = await ctx.auth.resolveKey(bearer)
      if (!req.principal && !PUBLIC_API.has(path))
        return deny(reply, 401, 'API key is unknown or revoked', 'authorization')
    }
    else {
      const resolved = await ctx.auth.resolve(req.cookies[SESSION_COOKIE])
      if (resolved) {
        req.principal = resolved.principal
        req.session = resolved.session
      }
    }
    if (!path.startsWith('/api/'))
      return
    if (MUTATING.has(req.method) && !originAllowed(req.headers.origin, req.headers.host, ctx.config.allowedOrigins))
      return deny(reply, 403, `origin ${req.headers.origin} is not allowed`, 'origin')
    if (PUBLIC_API.has(path))
      return
    // No route (or only the static files' wildcard): nothing to protect, the not-found handler answers a 404.
    if (req.is404 || req.routeOptions.url === '/*')
      return
    if (!req.principal)
      return deny(reply, 401, req.cookies[SESSION_COOKIE] ? 'session expired or revoked: sign in again' : 'sign in first')
    // An API key's integration routes need the scope the key was made with; it reads within that scope only.
    const scope = req.principal.kind === 'key' ? KEY_ROUTES[`${req.method} ${req.routeOptions.url}`] : undefined
    if (scope) {
      const d = authorizeKey(req.principal, scope)
      if (!d.allow) {
        await ctx.audit.record(req.principal, { via: 'http', ip: req.ip }, { action: `key:${scope}`, target: path.slice(0, 120), result: 'deny', detail: d.reason })
        return deny(reply, 403, d.reason, 'authorization')
      }
      return
    }
    if (MUTATING.has(req.method) && req.session && req.headers['x-csrf-token'] !== req.session.csrf)
      return deny(reply, 403, 'missing or wrong x-csrf-token header', 'x-csrf-token')
    if (!MUTATING.has(req.method)) {
      const read = authorizeRead(req.principal, req.routeOptions.config?.read ?? 'live')
      if (!read.allow)
        return deny(reply, 403, read.reason)
    }
  })
})

/** The HTTP request's place in the audit trail. */
export const httpOrigin = (req: FastifyRequest) => ({ via: 'http' as const, ip: req.ip })

/** The caller of an HTTP request, as services take it. */
export const httpCall = (req: FastifyRequest) => ({ principal: req.principal!, origin: httpOrigin(req) })

/**
 * For a route with no service of its own (a privileged read): the caller must hold `permission` in the one
 * authorisation module; a refusal is audited and answered 403, an allowed read audited when `record` is set.
 */
export async function requirePermission(ctx: Pick<AppContext, 'audit'>, req: FastifyRequest, permission: Permission, opts: { target?: string | null, action?: string, record?: boolean } = {}): Promise<void> {
  const g = await ctx.audit.guard(httpCall(req), permission, opts.target ?? null, { action: opts.action, recordAllow: opts.record })
  if (!g.ok)
    throw failureError(g)
}
