import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import type { CaseFile } from './service.ts'
import fastifyMultipart from '@fastify/multipart'
import { Type } from 'typebox'
import { CaseExportQuery, CaseImportAnswer, CaseImportQuery } from '../../shared/cases/schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { dayOf } from '../../shared/kernel/time.ts'
import { httpCall, requirePermission } from '../auth/plugin.ts'
import { answer, errorBody, httpError } from '../http/errors.ts'
import { CASE_TYPES } from './export.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse }
const FileT = Type.Unsafe<Buffer>({ type: 'string', description: 'the file' })
/** 100,000 cases with their steps fit well inside this. */
const MAX_UPLOAD = 200 * 1024 * 1024

/** The one file of a multipart body (field `file`); a body the parser cannot read is a 400. */
export async function readUpload(req: FastifyRequest, max = MAX_UPLOAD): Promise<CaseFile> {
  if (!req.isMultipart())
    throw httpError(415, 'send the file as multipart/form-data in a field named file', { field: 'file' })
  try {
    const part = await req.file()
    if (!part || part.fieldname !== 'file')
      throw httpError(400, 'no file: send it in a multipart field named file', { field: 'file' })
    return { name: part.filename || 'cases', data: await part.toBuffer() }
  }
  catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw httpError(413, `the file may be at most ${max / 1024 / 1024} MiB`, { field: 'file' })
    if ((e as { statusCode?: number }).statusCode === 400)
      throw e
    throw httpError(400, `the multipart body cannot be read: ${(e as Error).message}`, { field: 'file' })
  }
}

const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`

/** Cases out (`GET /api/cases/export`, the desk's filters) and in (the template, a dry run, the import). */
export const caseRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { cases } = ctx
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 0, parts: 1 } })

  app.get('/api/cases/export', { schema: { querystring: CaseExportQuery, response: { 200: FileT, ...errors } } }, async (req, reply) => {
    const res = await cases.exportCases(httpCall(req), req.query)
    if (!res.ok)
      return answer(reply, res)
    const { format, data, count } = res.data
    return reply.type(CASE_TYPES[format]).header('x-total-count', String(count)).header('content-disposition', attachment(`onescreen-cases-${dayOf(ctx.now())}.${format}`)).send(data)
  })

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/api/cases/template.${format}`, { schema: { response: { 200: FileT, ...errors } } }, async (req, reply) => {
      await requirePermission(ctx, req, 'cases:import', { action: 'cases:template' })
      return reply.type(CASE_TYPES[format]).header('content-disposition', attachment(`cases-template.${format}`)).send(await cases.template(format))
    })
  }

  app.post('/api/cases/import', { bodyLimit: MAX_UPLOAD, schema: { querystring: CaseImportQuery, response: { 200: CaseImportAnswer, 201: CaseImportAnswer, ...errors } } }, async (req, reply) => {
    const dryRun = req.query.dryRun === true || req.query.dryRun === '1'
    // Refused before the upload is read: a large file from someone who may not import is never parsed.
    await requirePermission(ctx, req, 'cases:import', { action: dryRun ? 'cases:import.check' : 'cases:import' })
    const res = await cases.importCases(httpCall(req), await readUpload(req), dryRun)
    if (!res.ok && 'problems' in res)
      return reply.code(400).send({ ...errorBody(400, res.message, { field: res.field }), problems: res.problems })
    return answer(reply, res)
  })
}
