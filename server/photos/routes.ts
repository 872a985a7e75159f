import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import fastifyMultipart from '@fastify/multipart'
import { Type } from 'typebox'
import { authorizeIncidentRead } from '../../shared/auth/authz.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { PhotoId } from '../../shared/incident/schema.ts'
import { MAX_PHOTO_BYTES } from '../../shared/kernel/limits.ts'
import { httpCall, requirePermission } from '../auth/plugin.ts'
import { answer, failureError, httpError } from '../http/errors.ts'
import { spend } from '../kernel/rate-limit.ts'
import { PHOTO_CONTENT_TYPE } from './service.ts'

/** Largest upload accepted. The phone sends ~300 KB; an uncompressed camera original still fits. */
const PhotoInfo = Type.Object({ id: PhotoId, width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer() })
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 429: ErrorResponse }

/**
 * The one file of a multipart body (null when it is too large). A body the multipart parser cannot read (no
 * boundary, cut short, not multipart at all inside) is the client's mistake: 400, never a 500.
 */
async function readPhoto(req: FastifyRequest): Promise<Buffer | null> {
  try {
    const part = await req.file()
    if (!part || part.fieldname !== 'file')
      throw httpError(400, 'no photo: send it in a multipart field named file', { field: 'file' })
    return await part.toBuffer()
  }
  catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      return null
    if ((e as { statusCode?: number }).statusCode === 400 && (e as { field?: string }).field === 'file')
      throw e
    throw httpError(400, `the multipart body cannot be read: ${(e as Error).message}`, { field: 'file' })
  }
}

/** Photos: upload one (multipart, field `file`), and read an incident's photos if the caller may see it. */
export const photoRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { photos } = ctx
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 0, parts: 1 } })

  app.post('/api/photos', {
    schema: { response: { 200: PhotoInfo, 201: PhotoInfo, ...errors } },
  }, async (req, reply) => {
    await requirePermission(ctx, req, 'photo:upload')
    const limited = spend(ctx.limits.photos, httpCall(req), 'photo uploads')
    if (limited)
      throw failureError(limited)
    if (!req.isMultipart())
      throw httpError(415, 'send the photo as multipart/form-data in a field named file', { field: 'file' })
    const data = await readPhoto(req)
    if (!data)
      throw httpError(413, `a photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB`, { field: 'file' })
    return answer(reply, await photos.save(data), ({ created: _, ...info }) => info)
  })

  app.get('/api/incidents/:id/photos/:photo', {
    schema: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), photo: PhotoId }),
      querystring: Type.Object({ size: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('thumb')])) }),
      response: { 200: Type.Unknown({ description: 'the photo, image/jpeg' }), 403: ErrorResponse, 404: ErrorResponse },
    },
  }, async (req, reply) => {
    const decision = authorizeIncidentRead(req.principal!)
    if (!decision.allow)
      throw httpError(403, decision.reason)
    const incident = await ctx.incidents.get(req.params.id)
    // A photo is served through an incident that lists it: knowing a hash alone shows nothing.
    const bytes = (incident?.photos?.includes(req.params.photo) || incident?.resultPhotos?.includes(req.params.photo)) ? await photos.read(req.params.photo, req.query.size ?? 'full') : null
    if (!bytes)
      throw httpError(404, `incident ${req.params.id} has no photo ${req.params.photo}`, { field: 'photo' })
    return reply
      .type(PHOTO_CONTENT_TYPE)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('etag', `"${req.params.photo}-${req.query.size ?? 'full'}"`)
      .send(bytes)
  })
}
