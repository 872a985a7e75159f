import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { MAX_CAP_BYTES } from '../../shared/kernel/limits.ts'
import { Warning } from '../../shared/wartime/schema.ts'
import { httpOrigin } from '../auth/plugin.ts'
import { answer, httpError } from '../http/errors.ts'

const XML_TYPES = ['application/xml', 'text/xml', 'application/cap+xml']

/** CAP 1.2 intake (an integration key or the duty desk) and the warnings the wall shows. */
export const capRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Raw text in: the CAP parser, not Fastify, decides what is well-formed and says why not.
  app.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: MAX_CAP_BYTES }, (_req, body, done) => done(null, body))

  app.post('/api/cap', {
    preValidation: async (req) => {
      if (!XML_TYPES.some(t => req.headers['content-type']?.startsWith(t)))
        throw httpError(415, `send the CAP alert as ${XML_TYPES.join(' or ')}`, { field: 'content-type' })
    },
    schema: { body: Type.String(), response: { 200: Warning, 201: Warning, 400: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse } },
  }, async (req, reply) => {
    return answer(reply, await ctx.warnings.ingest({ principal: req.principal!, origin: httpOrigin(req) }, req.body))
  })

  app.get('/api/warnings', { schema: { response: { 200: Type.Array(Warning) } } }, async () => ctx.warnings.list())
}
