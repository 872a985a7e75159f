import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { SensorIntake, SensorReading, SensorReadingsBody, SensorState } from '../../shared/sensors/schema.ts'
import { httpCall } from '../auth/plugin.ts'
import { answer } from '../http/errors.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

/** Sensor readings in (a key with sensors:report, the duty desk) and the stations the wall shows (docs/sensors.md). */
export const sensorRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post('/api/sensors/readings', { schema: { body: SensorReadingsBody, response: { 200: SensorIntake, 201: SensorIntake, ...errors } } }, async (req, reply) => {
    const readings = 'readings' in req.body ? req.body.readings : [req.body]
    return answer(reply, await ctx.sensors.report(httpCall(req), readings))
  })

  app.get('/api/sensors', { schema: { response: { 200: Type.Array(SensorState) } } }, async () => ctx.sensors.list())

  app.get('/api/sensors/:id/readings', {
    schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })) }), response: { 200: Type.Array(SensorReading), ...errors } },
  }, async (req, reply) => answer(reply, await ctx.sensors.series(req.params.id, req.query.hours ?? 72)))
}
