import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { BlockList, isIPv6 } from 'node:net'
import { Type } from 'typebox'
import { authorizeKey } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { httpError } from './errors.ts'

/**
 * The request-duration hook (one `onResponse`, the route pattern from `routeOptions.url`, no per-request
 * allocation beyond the label set) and GET /metrics. Who may scrape is `config.metrics` + `config.metricsAllow`.
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const m = ctx.metrics
  app.addHook('onResponse', (req, reply, done) => {
    m.request(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
    done()
  })

  // The webhook outbox (another part, wired when present): its backlog is read at each scrape.
  m.registerGauge('onescreen_webhook_outbox_backlog', 'Webhook deliveries waiting in the outbox.', () => (ctx as AppContext & { webhooks?: { backlog: () => number } }).webhooks?.backlog() ?? null)

  const allowed = allowList(ctx.config.metricsAllow)
  const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
  app.get('/metrics', { schema: { produces: ['text/plain'], response: { 200: Type.String(), ...errors } } }, async (req, reply) => {
    const mode = ctx.config.metrics
    if (mode === 'off')
      throw httpError(404, 'GET /metrics does not exist: metrics are off (ONESCREEN_METRICS)', { field: 'url' })
    if (allowed && !allowed(req.ip))
      throw await refused(req, 403, `address ${req.ip} may not read metrics (ONESCREEN_METRICS_ALLOW)`)
    if (mode === 'key') {
      if (!req.principal)
        throw httpError(401, 'an API key with the metrics:read scope is required', { field: 'authorization' })
      // A signed-in person is not a scraper: authorizeKey would leave them to their roles.
      if (req.principal.kind !== 'key')
        throw await refused(req, 403, 'metrics are read with an API key with the metrics:read scope')
      const d = authorizeKey(req.principal, 'metrics:read')
      if (!d.allow)
        throw await refused(req, 403, d.reason)
    }
    return reply.header('content-type', m.registry.contentType).header('cache-control', 'no-store').send(await m.text())
  })

  /** A refused scrape by a known caller is audited (anonymous ones are not: a scanner would fill the trail). */
  async function refused(req: FastifyRequest, status: number, message: string): Promise<Error> {
    if (req.principal)
      await ctx.audit.record(req.principal, { via: 'http', ip: req.ip }, { action: 'metrics:read', target: '/metrics', result: 'deny', detail: message })
    return httpError(status, message, { field: 'authorization' })
  }
}

/** ONESCREEN_METRICS_ALLOW as a check (null: any address); entries are addresses or CIDRs, IPv4 or IPv6. */
export function allowList(entries: string[]): ((ip: string) => boolean) | null {
  if (entries.length === 0)
    return null
  const list = new BlockList()
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined]
    const type = isIPv6(address) ? 'ipv6' : 'ipv4'
    if (bits === undefined)
      list.addAddress(address, type)
    else
      list.addSubnet(address, Number(bits), type)
  }
  return (ip) => {
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1]
    return v4 ? list.check(v4, 'ipv4') : list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4')
  }
}
