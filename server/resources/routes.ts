import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import fastifyMultipart from '@fastify/multipart'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { DepotStock, EvacuationBody, EvacuationCheck, EvacuationTally, RegisterAnswer, RegisterImportAnswer, ResourcesState, ShelterMoveBody, ShelterOccupancy, StockMoveBody, VulnerableBody, VulnerablePerson } from '../../shared/resources/schema.ts'
import { httpCall, httpOrigin } from '../auth/plugin.ts'
import { readUpload } from '../cases/routes.ts'
import { answer, errorBody } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
const IdemHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) })
const moveCall = (req: FastifyRequest<{ Headers: { 'idempotency-key'?: string } }>) => ({ principal: req.principal!, origin: httpOrigin(req), opKey: req.headers['idempotency-key'] })
const MAX_UPLOAD = 10 * 1024 * 1024

/** Live resources and the register of vulnerable people (#17): docs/resources.md. */
export const resourceRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 0, parts: 1 } })

  app.get('/api/resources', { schema: { response: { 200: ResourcesState } } }, async () => ctx.resources.state())

  app.post('/api/resources/depots/:id/moves', { schema: { params: IdParams, headers: IdemHeaders, body: StockMoveBody, response: { 201: DepotStock, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.resources.moveStock(moveCall(req), req.params.id, req.body)))

  app.post('/api/resources/shelters/:id/moves', { schema: { params: IdParams, headers: IdemHeaders, body: ShelterMoveBody, response: { 201: ShelterOccupancy, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.resources.moveShelter(moveCall(req), req.params.id, req.body)))

  app.get('/api/vulnerable', { schema: { response: { 200: RegisterAnswer, ...errors } } }, async (req, reply) => answer(reply, await ctx.register.list(httpCall(req))))

  app.post('/api/vulnerable', { schema: { body: VulnerableBody, response: { 201: VulnerablePerson, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.register.add(httpCall(req), req.body)))

  app.put('/api/vulnerable/:id', { schema: { params: IdParams, body: VulnerableBody, response: { 200: VulnerablePerson, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.register.edit(httpCall(req), req.params.id, req.body)))

  app.delete('/api/vulnerable/:id', { schema: { params: IdParams, response: { 200: IdParams, ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.register.remove(httpCall(req), req.params.id)))

  /** All or nothing: a file with a bad row is a 400 listing each row's problem; `?dryRun=1` only checks. */
  app.post('/api/vulnerable/import', { bodyLimit: MAX_UPLOAD, schema: { querystring: Type.Object({ dryRun: Type.Optional(Type.Union([Type.Boolean(), Type.Literal('1')])) }), response: { 200: RegisterImportAnswer, 201: RegisterImportAnswer, ...errors } } }, async (req, reply) => {
    const dryRun = req.query.dryRun === true || req.query.dryRun === '1'
    const res = await ctx.register.import(httpCall(req), await readUpload(req, MAX_UPLOAD), dryRun)
    if (res.ok && !dryRun && res.data.problems.length) {
      const first = res.data.problems[0]!
      return reply.code(400).send({ ...errorBody(400, `row ${first.row}: ${first.reasonEn}`, { field: 'file' }), problems: res.data.problems })
    }
    return answer(reply, res)
  })

  app.post('/api/vulnerable/:id/evacuation', { schema: { params: IdParams, body: EvacuationBody, response: { 200: Type.Object({ check: EvacuationCheck, tally: EvacuationTally }), ...errors } } }, async (req, reply) =>
    answer(reply, await ctx.register.check(httpCall(req), req.params.id, req.body)))
}
