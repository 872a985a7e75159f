import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import type { Opened } from './service.ts'
import { Type } from 'typebox'
import { LoginBody, MeResponse, PasswordBody, TokenBody } from '../../shared/auth/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { failureError, httpError } from '../http/errors.ts'
import { DEVICE_COOKIE, httpOrigin, SESSION_COOKIE, setSessionCookie } from './plugin.ts'
import { isReadOnly } from './service.ts'
import { sha256 } from './tokens.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse }

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const me = (o: Pick<Opened, 'principal' | 'session'>) => ({ principal: o.principal, csrf: o.session.csrf, expiresAt: o.session.expiresAt, readOnly: isReadOnly(o.principal), demo: ctx.config.demo })
  const opened = (reply: FastifyReply, o: Opened) => {
    setSessionCookie(reply, o.token, o.session.expiresAt)
    return me(o)
  }
  const throttle = ctx.signInThrottle
  /** Runs one sign-in attempt under the throttle: 429 with Retry-After while it holds, its outcome counted after. */
  async function attempt<T>(req: FastifyRequest, subject: string, run: () => Promise<T>, succeeded: (out: T) => boolean = out => out !== null): Promise<T> {
    const t = await throttle.check(req.ip, subject)
    if (!t.ok) {
      await ctx.audit.record(null, httpOrigin(req), { action: 'auth:throttled', target: subject.slice(0, 64), result: 'deny', detail: t.why })
      throw httpError(429, `${t.why}; try again in ${Math.ceil(t.retryAfterMs / 1000)} s`, { retryAfterSeconds: Math.ceil(t.retryAfterMs / 1000) })
    }
    const out = await run()
    if (succeeded(out))
      await throttle.succeeded(req.ip, subject)
    else
      await throttle.failed(req.ip, subject)
    return out
  }

  app.post('/api/auth/login', { schema: { body: LoginBody, response: { 200: MeResponse, ...errors } } }, async (req, reply) => {
    const o = await attempt(req, `user:${req.body.username}`, () => ctx.auth.login(req.body.username, req.body.password))
    await ctx.audit.record(o?.principal ?? null, httpOrigin(req), { action: 'auth:login', target: req.body.username, result: o ? 'allow' : 'deny' })
    if (!o)
      throw httpError(401, 'wrong username or password', { field: 'password' })
    // An operator signing in at an enrolled wall: keep the wall's own session aside for when they sign out.
    if (req.session?.kind === 'device')
      setSessionCookie(reply, req.cookies[SESSION_COOKIE]!, req.session.expiresAt, DEVICE_COOKIE)
    return opened(reply, o)
  })

  app.post('/api/auth/logout', { schema: { response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    await ctx.auth.logout(req.cookies[SESSION_COOKIE])
    await ctx.audit.record(req.principal, httpOrigin(req), { action: 'auth:logout', result: 'allow' })
    const wall = await ctx.auth.resolve(req.cookies[DEVICE_COOKIE])
    if (wall && req.session?.kind === 'user') {
      // Back to the wall display this browser was before the operator signed in.
      setSessionCookie(reply, req.cookies[DEVICE_COOKIE]!, wall.session.expiresAt)
    }
    else {
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
    }
    reply.clearCookie(DEVICE_COOKIE, { path: '/' })
    return reply.code(204).send(null)
  })

  app.get('/api/auth/me', { schema: { response: { 200: MeResponse, ...errors } } }, async (req) => {
    if (!req.session || !req.principal)
      throw httpError(401, 'an API key has no session')
    return me({ principal: req.principal, session: req.session })
  })

  app.post('/api/auth/password', { schema: { body: PasswordBody, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const p = req.principal!
    if (p.kind !== 'user')
      throw httpError(403, 'only a person has a password')
    // Only a wrong current password is a failed guess; a too-short new one is not.
    const res = await attempt(req, `account:${p.id}`, () => ctx.auth.changePassword(p.id, req.body.current, req.body.next), r => r.ok || r.code !== 'forbidden')
    await ctx.audit.record(p, httpOrigin(req), { action: 'auth:password', target: p.id, result: res.ok ? 'allow' : 'deny', detail: res.ok ? null : res.message })
    if (!res.ok)
      throw failureError(res)
    return reply.code(204).send(null)
  })

  app.post('/api/auth/share', { schema: { body: TokenBody, response: { 200: MeResponse, ...errors } } }, async (req, reply) => {
    const o = await attempt(req, `token:${sha256(req.body.token)}`, () => ctx.auth.openShare(req.body.token))
    await ctx.audit.record(o?.principal ?? null, httpOrigin(req), { action: 'auth:share', result: o ? 'allow' : 'deny' })
    if (!o)
      throw httpError(401, 'share link is invalid, expired or revoked', { field: 'token' })
    return opened(reply, o)
  })

  app.post('/api/auth/device', { schema: { body: TokenBody, response: { 200: MeResponse, ...errors } } }, async (req, reply) => {
    const o = await attempt(req, `token:${sha256(req.body.token)}`, () => ctx.auth.openDevice(req.body.token))
    await ctx.audit.record(o?.principal ?? null, httpOrigin(req), { action: 'auth:device', result: o ? 'allow' : 'deny' })
    if (!o)
      throw httpError(401, 'device token is unknown or revoked', { field: 'token' })
    return opened(reply, o)
  })
}
