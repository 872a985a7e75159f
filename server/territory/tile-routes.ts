import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import type { BasemapService } from './basemap-setting.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { BasemapBody, BasemapFile, BasemapSetting } from '../../shared/territory/basemap.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer, failureError, httpError } from '../http/errors.ts'
import { CONTENT_TYPES } from './tile-archive.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse }
const TileParams = Type.Object({ z: Type.Integer({ minimum: 0, maximum: 24 }), x: Type.Integer({ minimum: 0 }), y: Type.Integer({ minimum: 0 }) })
const reference = { read: 'reference' as const }
/** `v`: the setting's version (cache busting); `file`: the admin's preview of a package not saved yet. */
const TileQuery = Type.Object({ v: Type.Optional(Type.String({ maxLength: 20 })), file: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
/** Tile URLs carry the setting's version (`?v=`), so a browser may keep a tile: a new package gets new URLs. */
const TILE_CACHE = 'private, max-age=86400'

/** The basemap setting (every screen reads it, the admin edits it) and the offline package's tiles. */
export const basemapRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext, basemap: BasemapService }> = async (app, { basemap }) => {
  app.get('/api/basemap/setting', { config: reference, schema: { response: { 200: BasemapSetting } } }, async () => basemap.current())

  app.put('/api/basemap/setting', {
    schema: { body: BasemapBody, response: { 200: BasemapSetting, ...errors } },
  }, async (req, reply) => answer(reply, await basemap.update(httpCall(req), req.body)))

  app.get('/api/basemap/files', { schema: { response: { 200: Type.Array(BasemapFile), ...errors } } }, async (req, reply) =>
    answer(reply, await basemap.files(httpCall(req))))

  app.get('/api/tiles/:z/:x/:y', { config: reference, schema: { params: TileParams, querystring: TileQuery } }, async (req, reply) => {
    const { z, x, y } = req.params
    const file = req.query.file
    const res = await basemap.tile(z, x, y, file === undefined ? undefined : { call: httpCall(req), file })
    if (!res.ok)
      throw failureError(res)
    const t = res.data
    if (t.found === 'no-package')
      throw httpError(404, t.reason)
    reply.header('cache-control', file === undefined ? TILE_CACHE : 'no-store')
    if (t.found === 'none')
      return reply.code(204).send()
    reply.header('content-type', CONTENT_TYPES[t.format])
    if (t.tile.gzip)
      reply.header('content-encoding', 'gzip')
    return reply.send(t.tile.data)
  })
}
