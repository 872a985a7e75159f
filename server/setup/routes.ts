import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { PackageUpload as Upload } from '../../shared/setup/schema.ts'
import type { Call } from '../audit/service.ts'
import type { AppContext } from '../context.ts'
import type { PackageFile } from './codec/index.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { validateScoringConfig } from '../../shared/scoring/config.ts'
import { ScoringConfigT } from '../../shared/scoring/schema.ts'
import { DryRunT, PackageFileList, PackageUpload, ReferenceVersion, SettingsEdit, SetupStatus } from '../../shared/setup/schema.ts'
import { httpOrigin, requirePermission } from '../auth/plugin.ts'
import { answer, errorBody, httpError } from '../http/errors.ts'
import { readPackage, writePackage } from './codec/index.ts'
import { cuntanPackageFiles } from './packages.ts'
import { settingsProblems } from './settings.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse }
const Tabular = Type.Object({ tabular: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('csv')])), version: Type.Optional(Type.Integer({ minimum: 1 })) })
const FileParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) })
const TYPES: Record<string, string> = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv; charset=utf-8', geojson: 'application/geo+json', json: 'application/json' }
const BODY_LIMIT = 96 * 1024 * 1024

const read = (body: Upload) => readPackage(body.files.map(f => ({ name: f.name, data: Buffer.from(f.data, 'base64') })), { crs: body.crs })

/** The subdistrict package: status, dry run, apply, roll back, history, export and the template. */
export const setupRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const call = (req: FastifyRequest): Call => ({ principal: req.principal!, origin: httpOrigin(req) })

  app.get('/api/setup/status', { config: { read: 'reference' }, schema: { response: { 200: SetupStatus } } }, async () => ctx.setup.status())

  app.post('/api/setup/check', { bodyLimit: BODY_LIMIT, schema: { body: PackageUpload, response: { 200: DryRunT, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.setup.check(call(req), await read(req.body))))

  app.post('/api/setup/apply', { bodyLimit: BODY_LIMIT, schema: { body: PackageUpload, response: { 201: ReferenceVersion, ...errors } } }, async (req, reply) => {
    const pkg = await read(req.body)
    const res = await ctx.setup.apply(call(req), pkg, { note: req.body.note ?? '', baseVersion: req.body.baseVersion })
    if (!res.ok && res.field === 'files' && pkg.problems.length)
      return reply.code(400).send({ ...errorBody(400, res.message, { field: 'files' }), problems: pkg.problems })
    return answer(reply, res)
  })

  app.post('/api/setup/rollback', { schema: { body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), response: { 201: ReferenceVersion, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.setup.rollback(call(req), req.body.version)))

  app.get('/api/setup/versions', { schema: { response: { 200: Type.Array(ReferenceVersion), ...errors } } }, async (req) => {
    await requirePermission(ctx, req, 'reference:export', { action: 'reference:history' })
    return ctx.setup.history()
  })

  // Export: the same files the import reads, so an export imported again changes nothing. The console lists the
  // files and then fetches each: one package is written once, until its version or its plans change.
  const written = new Map<string, Promise<PackageFile[]>>()
  const exported = async (req: FastifyRequest, q: { tabular?: 'xlsx' | 'csv', version?: number }) => {
    const res = await ctx.setup.packageOf(call(req), q.version)
    if (!res.ok)
      return res
    const tabular = q.tabular ?? 'xlsx'
    const key = `${tabular}:${q.version ?? ctx.live.version}:${JSON.stringify(res.data.plans)}`
    let files = written.get(key)
    if (!files) {
      if (written.size >= 4)
        written.clear()
      files = writePackage(res.data, { tabular })
      files.catch(() => written.delete(key))
      written.set(key, files)
    }
    return { ok: true as const, files: await files }
  }
  app.get('/api/setup/export', { schema: { querystring: Tabular, response: { 200: PackageFileList, ...errors } } }, async (req, reply) => {
    const res = await exported(req, req.query)
    return res.ok ? res.files.map(f => ({ name: f.name, bytes: f.data.length })) : answer(reply, res)
  })
  app.get('/api/setup/export/:name', { schema: { params: FileParams, querystring: Tabular, response: errors } }, async (req, reply) => {
    const res = await exported(req, req.query)
    if (!res.ok)
      return answer(reply, res)
    return sendFile(reply, res.files, req.params.name)
  })

  // The template: Cuntan's package, the demo filled in as the example (Chinese headers), to start from.
  app.get('/api/setup/template', { config: { read: 'reference' }, schema: { querystring: Tabular, response: { 200: PackageFileList } } }, async req =>
    (await cuntanPackageFiles(req.query.tabular ?? 'xlsx')).map(f => ({ name: f.name, bytes: f.data.length })))
  app.get('/api/setup/template/:name', { config: { read: 'reference' }, schema: { params: FileParams, querystring: Tabular, response: errors } }, async (req, reply) =>
    sendFile(reply, await cuntanPackageFiles(req.query.tabular ?? 'xlsx'), req.params.name))

  app.put('/api/setup/settings', { schema: { body: SettingsEdit, response: { 201: ReferenceVersion, ...errors } } }, async (req, reply) => {
    const { note, headline, ...s } = req.body
    return answer(reply, await ctx.setup.edit(call(req), (pkg) => {
      Object.assign(pkg.reference.territory.subdistrict, s)
      pkg.headline = headline
      return pkg
    }, settingsProblems, note ?? '修改街道设置 settings edited'))
  })

  app.get('/api/setup/scoring', { schema: { response: { 200: ScoringConfigT, ...errors } } }, async (req) => {
    await requirePermission(ctx, req, 'reference:export', { action: 'reference:read' })
    return ctx.live.pkg.scoring
  })

  app.put('/api/setup/scoring', { schema: { body: Type.Object({ scoring: ScoringConfigT, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: { 201: ReferenceVersion, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.setup.edit(call(req), (pkg) => {
      pkg.scoring = req.body.scoring
      return pkg
    }, pkg => validateScoringConfig(pkg.scoring).map(p => ({ file: 'scoring.json', code: 'invalid_scoring', column: 'scoring', reason: `积分规则有误：${p}`, reasonEn: p })), req.body.note ?? '修改积分规则 scoring edited')))
}

function sendFile(reply: Parameters<typeof answer>[0], files: { name: string, data: Buffer }[], name: string) {
  const file = files.find(f => f.name === name)
  if (!file)
    throw httpError(404, `the package has no file ${name}: ${files.map(f => f.name).join(', ')}`, { field: 'name' })
  const ext = name.split('.').pop() ?? ''
  return reply
    .type(TYPES[ext] ?? 'application/octet-stream')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(file.data)
}
