import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyInstance } from 'fastify'
import type { AppContext } from './context.ts'
import type { IoServer } from './realtime/index.ts'
import { existsSync } from 'node:fs'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { adminRoutes } from './auth/credential-routes.ts'
import { authPlugin } from './auth/plugin.ts'
import { authRoutes } from './auth/routes.ts'
import { capRoutes } from './cap/routes.ts'
import { VersionConflictError } from './db/errors.ts'
import { cspDirectives, demoWallSignIn } from './http/csp.ts'
import { describeError } from './http/validation.ts'
import { incidentRoutes } from './incident/routes.ts'
import { photoRoutes } from './photos/routes.ts'
import { attachRealtime } from './realtime/index.ts'
import { pointRoutes } from './scoring/ledger-routes.ts'
import { patrolRoutes } from './scoring/patrol-routes.ts'
import { reportRoutes } from './scoring/report-routes.ts'
import { scoreRoutes } from './scoring/routes.ts'
import { statsRoutes } from './stats/routes.ts'
import { syncRoutes } from './sync/routes.ts'
import { metaRoutes } from './territory/routes.ts'
import { wartimeRoutes } from './wartime/routes.ts'

export interface BuiltApp { app: FastifyInstance, io: IoServer }

/** Builds the whole server around a context: routes, realtime, the built client. Does not listen. */
export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<BuiltApp> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)

  app.setErrorHandler((err: FastifyError, req, reply) => {
    // Two writers raced on one entity: the loser is told to re-read, never a 500.
    if ((err as unknown) instanceof VersionConflictError)
      return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: `${err.message}: read it again and retry` })
    if (err.validation) {
      const first = describeError(err.validation[0] as never, err.validationContext === 'body' ? '' : err.validationContext)
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: first.message, field: first.field })
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500)
      req.log.error(err)
    return reply.code(status).send({ statusCode: status, error: status === 500 ? 'Internal Server Error' : err.name, message: status === 500 ? 'internal error' : err.message })
  })

  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: cspDirectives(ctx) } })
  await app.register(fastifyRateLimit, { global: false })
  await app.register(authPlugin, { ctx })
  if (ctx.config.demo)
    app.addHook('onRequest', demoWallSignIn(ctx))

  // Routes, one plugin per resource.
  await app.register(authRoutes, { ctx })
  await app.register(adminRoutes, { ctx })
  await app.register(metaRoutes, { ctx })
  await app.register(syncRoutes, { ctx })
  await app.register(incidentRoutes, { ctx })
  await app.register(wartimeRoutes, { ctx })
  await app.register(capRoutes, { ctx })
  await app.register(statsRoutes, { ctx })
  await app.register(patrolRoutes, { ctx })
  await app.register(scoreRoutes, { ctx })
  await app.register(pointRoutes, { ctx })
  await app.register(reportRoutes, { ctx })
  await app.register(photoRoutes, { ctx })
  await app.register((await import('./drill/routes.ts')).drillRoutes, { ctx })

  const staticDir = ctx.config.staticDir
  if (staticDir && existsSync(staticDir)) {
    // wildcard: files are looked up per request, so a rebuilt client is served without a restart.
    await app.register(fastifyStatic, { root: staticDir, wildcard: true })
    // Client-side routes (/m, /field, …) all load the single-page app.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/socket.io'))
        return reply.sendFile('index.html')
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${req.method} ${req.url.split('?')[0]} does not exist` })
    })
  }
  else {
    app.setNotFoundHandler((req, reply) => reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${req.method} ${req.url.split('?')[0]} does not exist` }))
  }

  const io = attachRealtime(app, ctx)
  return { app, io }
}
