import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { AppContext } from '../context.ts'
import type { Caller } from './api.ts'
import type { DrillReport } from './report.ts'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { requirePermission, SESSION_COOKIE } from '../auth/plugin.ts'
import { httpError } from '../http/errors.ts'

const DrillBody = Type.Object({
  responders: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  speed: Type.Optional(Type.Number({ minimum: 1, maximum: 600 })),
  seed: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  /** A chosen plan (no CAP warning) and group of volunteers (a force unit or a community id): outside the demo, both are needed. */
  planId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  group: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
}, { additionalProperties: false })
const DrillStatus = Type.Object({
  state: Type.Union([Type.Literal('idle'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  startedBy: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  /** Nothing lost and no step refused. */
  ok: Type.Union([Type.Boolean(), Type.Null()]),
  /** The last progress lines while it runs; the summary once it is done. */
  log: Type.Array(Type.String()),
  summary: Type.Array(Type.String()),
  figures: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  report: Type.Boolean(),
})
type DrillStatus = Static<typeof DrillStatus>
const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
const IDLE: DrillStatus = { state: 'idle', startedAt: null, startedBy: null, finishedAt: null, ok: null, log: [], summary: [], figures: null, error: null, report: false }

/** The server's own address as a client reaches it: an unspecified bind address means loopback. */
function ownUrl(app: FastifyInstance): string {
  const a = app.server.address()
  if (!a || typeof a === 'string')
    throw new Error('the server is not listening on a TCP port')
  const host = a.address === '0.0.0.0' || a.address === '::' ? '127.0.0.1' : a.family === 'IPv6' ? `[${a.address}]` : a.address
  return `http://${host}:${a.port}`
}

/** The caller's own session (or API key), handed to the drill so that it acts as them. */
function callerOf(req: FastifyRequest): Caller {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer '))
    return { bearer: auth.slice(7) }
  return { cookie: req.headers.cookie ?? '', csrf: String(req.headers['x-csrf-token'] ?? '') }
}

/** The storm drill, started from the wall: in the demo, or elsewhere with a chosen plan and group (an exercise); it plays against this server's own HTTP and socket. */
export const drillRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  let status: DrillStatus = IDLE
  let last: DrillReport | null = null
  const out = join(existsSync(ctx.config.dataDir) ? ctx.config.dataDir : tmpdir(), 'drills')

  app.post('/api/drill', { schema: { body: Type.Optional(DrillBody), response: { 202: DrillStatus, ...errors } } }, async (req, reply) => {
    const body = req.body ?? {}
    if (!ctx.config.demo && !(body.planId && body.group))
      throw httpError(404, 'outside the demo the drill runs a chosen plan with a chosen group: give planId and group', { field: body.planId ? 'group' : 'planId' })
    await requirePermission(ctx, req, 'drill:start', { record: true })
    // Outside the demo the exercise is declared in the caller's name: only the commander declares wartime.
    if (!ctx.config.demo)
      await requirePermission(ctx, req, 'wartime:declare', { action: 'drill:start' })
    if (status.state === 'running')
      throw httpError(409, 'a drill is already running')
    if (await ctx.wartime.active())
      throw httpError(409, 'wartime is declared: a drill would interfere with a real operation', { field: 'operation' })
    const run = status = { ...IDLE, state: 'running', startedAt: ctx.now().toISOString(), startedBy: req.principal!.personId ?? req.principal!.id }
    void import('./run.ts').then(m => m.runDrill({
      url: ownUrl(app),
      ...body,
      // The demo's accounts and simulated phones; elsewhere the caller's own session, and the group's own phones.
      login: ctx.config.demo ? undefined : { commander: callerOf(req) },
      out,
      log: line => run.log = [...run.log, line].slice(-50),
      // In-process, the phones' sessions open through the same service POST /api/auth/device calls: every
      // simulated phone comes from this one address, and that door allows 8 sign-ins a minute per address.
      openPhone: async (token) => {
        const o = await ctx.auth.openDevice(token)
        if (!o)
          throw new Error('enrolment token refused')
        return { cookie: `${SESSION_COOKIE}=${o.token}`, csrf: o.session.csrf }
      },
    })).then(async (report) => {
      last = report
      const { summaryLines } = await import('./report.ts')
      status = { ...run, state: 'done', finishedAt: ctx.now().toISOString(), ok: report.ok, summary: summaryLines(report), figures: { ...report.figures }, report: !!report.files }
    }, (e: unknown) => {
      status = { ...run, state: 'failed', finishedAt: ctx.now().toISOString(), ok: false, error: e instanceof Error ? e.message : String(e) }
    })
    return reply.code(202).send(run)
  })

  app.get('/api/drill', { schema: { response: { 200: DrillStatus } } }, async () => status)

  /** The last drill's after-action report, as a download (HTML or XLSX). */
  app.get('/api/drill/report.:ext', { schema: { params: Type.Object({ ext: Type.Union([Type.Literal('html'), Type.Literal('xlsx')]) }), response: { 200: Type.Unknown({ description: 'the file' }), 404: ErrorResponse } } }, async (req, reply) => {
    const file = last?.files?.[req.params.ext]
    if (!file)
      throw httpError(404, 'no drill report yet')
    const type = req.params.ext === 'html' ? 'text/html; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    return reply.type(type).header('content-disposition', `attachment; filename="${file.split('/').pop()}"`).send(await readFile(file))
  })
}
