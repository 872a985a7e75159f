import type { FastifyInstance } from 'fastify'
import { readFileSync } from 'node:fs'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { SOCKET_EVENTS, socketSchemas } from '../../shared/realtime/catalog.ts'
import { KEY_ROUTES } from '../auth/key-routes.ts'

/**
 * The first path segment after /api (or the root segment) → the domain tag it is listed under, the same domain
 * names as the code's folders. A segment not here is its own tag, so a new route is listed, never lost.
 */
const DOMAIN_OF: Record<string, string> = {
  'health': 'health',
  'auth': 'auth',
  'api-keys': 'auth',
  'accounts': 'auth',
  'share-links': 'auth',
  'enrolments': 'auth',
  'devices': 'auth',
  'audit': 'audit',
  'setup': 'setup',
  'snapshot': 'sync',
  'changes': 'sync',
  'stats': 'stats',
  'scores': 'scoring',
  'patrols': 'scoring',
  'points': 'scoring',
  'reports': 'scoring',
  'desk': 'desk',
  'drill': 'drill',
  'territory': 'territory',
  'catalog': 'territory',
  'reference': 'territory',
  'tiles': 'territory',
  'basemap': 'territory',
  'tasks': 'wartime',
  'plans': 'wartime',
  'wartime': 'wartime',
  'operations': 'wartime',
  'cap': 'cap',
  'warnings': 'cap',
  'incidents': 'incident',
  'photos': 'photos',
  'messages': 'messages',
  'metrics': 'ops',
  'deliveries': 'notify',
  'notify': 'notify',
  't': 'notify',
}

/** The tags in the order the UI lists them, with one line each. */
const TAGS: { name: string, description: string }[] = [
  { name: 'incident', description: '事件闭环 the closed loop: report, act, read' },
  { name: 'desk', description: '工作台 the workbench\'s queue' },
  { name: 'sync', description: 'The change log and snapshots (the live stream is Socket.IO: see below)' },
  { name: 'territory', description: 'The subdistrict, its reference data and the basemap' },
  { name: 'setup', description: 'The subdistrict package: check, apply, roll back, export' },
  { name: 'wartime', description: '战时 plans, operations, tasks' },
  { name: 'messages', description: 'One-click messages' },
  { name: 'notify', description: '通知阶梯 the notification ladder: deliveries, the SMS link, the SMS gateway\'s callback' },
  { name: 'cap', description: 'CAP 1.2 warnings' },
  { name: 'scoring', description: 'Horse race, points, patrols, monthly report' },
  { name: 'stats', description: 'The wall\'s figures' },
  { name: 'photos', description: 'Photos' },
  { name: 'auth', description: 'Sign-in, accounts, devices, share links, API keys' },
  { name: 'audit', description: 'The audit trail' },
  { name: 'drill', description: 'The storm drill' },
  { name: 'health', description: 'Liveness and readiness (no session)' },
  { name: 'ops', description: 'Prometheus metrics' },
]

/** Short summaries for the routes other systems call; the rest are named by method and path. */
const SUMMARIES: Record<string, string> = {
  'POST /api/incidents': 'Report an incident',
  'GET /api/incidents/:id': 'Read one incident with its history',
  'POST /api/incidents/:id/actions': 'Act on an incident (accept, assign, finish …)',
  'GET /api/changes': 'A page of the change log after a seq',
  'GET /api/snapshot': 'Open incidents and the seq they reflect',
  'POST /api/cap': 'Submit a CAP 1.2 alert',
  'GET /metrics': 'Prometheus metrics (text format)',
  'GET /api/health': 'Health: the process, the store, the change-log head',
}

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

export function domainOf(url: string): string {
  const segment = url.replace(/^\/api\//, '/').split('/')[1] ?? ''
  return DOMAIN_OF[segment] ?? (segment || 'root')
}

/**
 * GET /docs (Swagger UI from its package's own files, no CDN) and GET /docs/json (OpenAPI 3.1), built from the
 * TypeBox schema every route declares. Register before the routes: @fastify/swagger collects them as they are
 * added. Public: it shows the API's shape, no data (docs/operations.md).
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  const socketList = SOCKET_EVENTS.map(e => `| \`${e.name}\` | ${e.direction} | ${e.payload.name} | ${e.ack?.name ?? '—'} | ${e.summary} |`)
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OneScreen 一屏统揽 API',
        version: VERSION,
        description: [
          'Screens sign in with a session cookie (`os_sid`; mutations also send `x-csrf-token`); other systems send an API',
          'key as `Authorization: Bearer <key>`, limited to the scopes it was made with. Errors are one shape:',
          '`{ statusCode, error, message, field? }`.',
          '',
          '### Socket.IO events',
          'The live stream is one Socket.IO connection (`/socket.io/`, the session cookie). Payload schemas are in',
          '`components.schemas`; the list is also `x-socket-events` in this document and docs/socket-events.md.',
          '',
          '| event | direction | payload | ack | summary |',
          '|---|---|---|---|---|',
          ...socketList,
        ].join('\n'),
      },
      tags: TAGS,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'os_sid' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
        schemas: socketSchemas() as Record<string, object>,
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    // Fastify's route pattern in each path, with its domain tag.
    transform: ({ schema, url, route }) => {
      // The static client and the single-page app's fallback are not API.
      if (url === '/*' || schema?.hide)
        return { schema: { ...schema, hide: true }, url }
      const key = `${route.method} ${url}`
      const scope = KEY_ROUTES[key]
      return {
        url,
        schema: {
          ...schema,
          tags: [domainOf(url)],
          summary: schema?.summary ?? SUMMARIES[key],
          ...(scope ? { description: [schema?.description, `API keys need the \`${scope}\` scope.`].filter(Boolean).join('\n\n') } : {}),
        },
      }
    },
    transformObject: doc => ({
      ...withEveryTag(tuplesAs2020('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject)),
      'x-socket-events': SOCKET_EVENTS.map(e => ({
        name: e.name,
        direction: e.direction,
        summary: e.summary,
        audience: e.audience,
        payload: { $ref: `#/components/schemas/${e.payload.name}` },
        ...(e.ack ? { ack: { $ref: `#/components/schemas/${e.ack.name}` } } : {}),
      })),
    }),
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // No validator badge (it calls validator.swagger.io); the UI loads nothing from another host.
    validatorUrl: false,
    uiConfig: { deepLinking: true, docExpansion: 'list' },
    theme: { title: 'OneScreen API' },
  })
}

/**
 * TypeBox writes a tuple the draft-07 way (`items: [..]`, `additionalItems: false`); OpenAPI 3.1 is JSON Schema
 * 2020-12, where that is `prefixItems: [..]`, `items: false`. Copies, never touches the schemas routes validate with.
 */
export function tuplesAs2020<T>(value: T): T {
  if (Array.isArray(value))
    return value.map(tuplesAs2020) as T
  if (value === null || typeof value !== 'object')
    return value
  const out: Record<string, unknown> = {}
  const tuple = Array.isArray((value as { items?: unknown }).items)
  for (const [k, v] of Object.entries(value)) {
    if (tuple && k === 'items')
      out.prefixItems = tuplesAs2020(v)
    else if (tuple && k === 'additionalItems')
      out.items = v
    else
      out[k] = tuplesAs2020(v)
  }
  return out as T
}

/** A domain not in TAGS yet (a new route folder) is declared too, after the known ones. */
function withEveryTag<T extends object>(doc: T): T {
  const d = doc as { tags?: { name: string }[], paths?: Record<string, Record<string, { tags?: string[] }>> }
  const declared = new Set((d.tags ?? []).map(t => t.name))
  const used = Object.values(d.paths ?? {}).flatMap(item => Object.values(item).flatMap(op => op.tags ?? []))
  const extra = [...new Set(used)].filter(t => !declared.has(t)).map(name => ({ name, description: name }))
  return extra.length ? { ...doc, tags: [...(d.tags ?? []), ...extra] } : doc
}
