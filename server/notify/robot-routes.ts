import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { RobotIdT, RobotSetT, RobotT } from '../../shared/notify/robot-schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

/** The messaging robots the ladder posts to (#17): the admin's (webhook:manage); reads never carry a secret. */
export const robotRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const robots = ctx.robots
  app.get('/api/notify/robots', { schema: { response: { 200: Type.Array(RobotT), ...errors } } }, async (req, reply) =>
    answer(reply, await robots.list(httpCall(req))))
  app.put('/api/notify/robots/:id', { schema: { params: RobotIdT, body: RobotSetT, response: { 200: RobotT, 201: RobotT, ...errors } } }, async (req, reply) =>
    answer(reply, await robots.save(httpCall(req), req.params.id, req.body)))
  app.delete('/api/notify/robots/:id', { schema: { params: RobotIdT, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const res = await robots.remove(httpCall(req), req.params.id)
    return res.ok ? reply.code(204).send(null) : answer(reply, res)
  })
}
