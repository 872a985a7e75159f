import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from './context.ts'
import type { IoServer } from './realtime/index.ts'
import { existsSync } from 'node:fs'
import fastifyHelmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import Fastify, { LogController } from 'fastify'
import { auditRoutes } from './audit/routes.ts'
import { accountRoutes } from './auth/account-routes.ts'
import { credentialRoutes } from './auth/credential-routes.ts'
import { keyRoutes } from './auth/key-routes.ts'
import { authPlugin } from './auth/plugin.ts'
import { authRoutes } from './auth/routes.ts'
import { capRoutes } from './cap/routes.ts'
import { caseRoutes } from './cases/routes.ts'
import { wallSignIn } from './demo/wall-sign-in.ts'
import { deskRoutes } from './desk/routes.ts'
import { districtRoutes } from './district/routes.ts'
import { drillRoutes } from './drill/routes.ts'
import { dutyRoutes } from './duty/routes.ts'
import { hotlineRoutes } from './hotline/routes.ts'
import { cspDirectives } from './http/csp.ts'
import { registerDocs } from './http/docs.ts'
import { errorHandler, frameworkErrorHandler } from './http/errors.ts'
import { healthRoutes } from './http/health.ts'
import { registerMetrics } from './http/metrics.ts'
import { notFound } from './http/not-found.ts'
import { nulError, nulPath } from './http/validation.ts'
import { incidentRoutes } from './incident/routes.ts'
import { infoReportRoutes } from './inforeport/routes.ts'
import { messageRoutes } from './messages/routes.ts'
import { pushRoutes } from './notify/push-routes.ts'
import { robotRoutes } from './notify/robot-routes.ts'
import { notifyRoutes } from './notify/routes.ts'
import { open311Routes } from './open311/routes.ts'
import { photoRoutes } from './photos/routes.ts'
import { attachRealtime } from './realtime/index.ts'
import { resourceRoutes } from './resources/routes.ts'
import { pointRoutes } from './scoring/ledger-routes.ts'
import { patrolRoutes } from './scoring/patrol-routes.ts'
import { reportRoutes } from './scoring/report-routes.ts'
import { scoreRoutes } from './scoring/routes.ts'
import { sensorRoutes } from './sensors/routes.ts'
import { setupRoutes } from './setup/routes.ts'
import { statsRoutes } from './stats/routes.ts'
import { syncRoutes } from './sync/routes.ts'
import { createBasemapService } from './territory/basemap-setting.ts'
import { territoryRoutes } from './territory/routes.ts'
import { basemapRoutes } from './territory/tile-routes.ts'
import { afterActionRoutes } from './wartime/after-action/routes.ts'
import { wartimeRoutes } from './wartime/routes.ts'
import { webhookRoutes } from './webhooks/routes.ts'

export interface BuiltApp { app: FastifyInstance, io: IoServer }

/** Builds the whole server around a context: routes, realtime, the built client. Does not listen. */
export async function buildApp(ctx: AppContext, opts: { logger?: boolean | { level: string } } = {}): Promise<BuiltApp> {
  const app = Fastify({
    // Structured JSON logs with request ids (an upstream proxy's x-request-id is kept); one line per request
    // only at debug, errors and refused writes always.
    logger: opts.logger ?? false,
    logController: new LogController({ disableRequestLogging: typeof opts.logger !== 'object' || opts.logger.level !== 'debug' }),
    requestIdHeader: 'x-request-id',
    // Behind a TLS-terminating proxy: the client's address and protocol (Secure cookies) from X-Forwarded-*.
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 256 * 1024,
    // Errors before routing (a malformed URL, a bad content type header) take the one error shape too.
    frameworkErrors: frameworkErrorHandler,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array' } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  // Every request's parts through TypeBox, after a look for NUL characters (refused as bad input: validation.ts).
  app.setValidatorCompiler((route) => {
    const validate = TypeBoxValidatorCompiler(route)
    return (value: unknown) => {
      const nul = nulPath(value)
      return nul === null ? validate(value) : { error: [nulError(nul)] }
    }
  })

  app.setErrorHandler(errorHandler)
  // API answers carry personal data and live state: no browser or proxy keeps them unless a route says so.
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store')
  })

  // The basemap setting changes at run time: the CSP of every response allows the tile service it names now.
  const basemap = createBasemapService({ store: ctx.store, audit: ctx.audit, dataDir: ctx.config.dataDir, now: ctx.now })
  await basemap.load()
  app.addHook('onClose', () => basemap.close())
  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: cspDirectives(ctx, () => basemap.origins()) } })
  await app.register(authPlugin, { ctx })
  if (ctx.config.demo)
    app.addHook('onRequest', wallSignIn(ctx))

  // API docs and metrics before the routes: both collect the routes as they are added.
  await registerDocs(app)
  registerMetrics(app, ctx)

  // Routes: one plugin per domain.
  for (const routes of [healthRoutes, authRoutes, credentialRoutes, keyRoutes, accountRoutes, auditRoutes, territoryRoutes, setupRoutes, syncRoutes, incidentRoutes, deskRoutes, photoRoutes, wartimeRoutes, messageRoutes, capRoutes, statsRoutes, scoreRoutes, patrolRoutes, pointRoutes, reportRoutes, drillRoutes, open311Routes, hotlineRoutes, caseRoutes, afterActionRoutes, districtRoutes])
    await app.register(routes, { ctx })
  await app.register(basemapRoutes, { ctx, basemap })
  await app.register(webhookRoutes, { ctx })
  await app.register(resourceRoutes, { ctx })
  await app.register(infoReportRoutes, { ctx })
  // #17: sensor feeds and the duty roster.
  for (const routes of [sensorRoutes, dutyRoutes])
    await app.register(routes, { ctx })
  await app.register(pushRoutes, { ctx })
  await app.register(robotRoutes, { ctx })
  await app.register(notifyRoutes, { ctx })

  const staticDir = ctx.config.staticDir
  if (staticDir && existsSync(staticDir)) {
    // wildcard: files are looked up per request, so a rebuilt client is served without a restart.
    // preCompressed: the build writes .br and .gz beside each text file (vite.config.ts), sent as the browser
    // accepts them, with no compression work per request.
    await app.register(fastifyStatic, { root: staticDir, wildcard: true, preCompressed: true })
    // Client-side routes (/m, /field, …) all load the single-page app; unknown API paths are a JSON 404.
    app.setNotFoundHandler(notFound({ spa: true }))
  }
  else {
    app.setNotFoundHandler(notFound({ spa: false }))
  }

  const io = attachRealtime(app, ctx)
  ctx.metrics.watchSockets(() => io.sockets.sockets.values())
  return { app, io }
}
