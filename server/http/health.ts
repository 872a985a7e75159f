import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import type { StoreUnavailableError } from '../db/errors.ts'
import { Type } from 'typebox'
import { ErrorResponse, Health } from '../../shared/http/schema.ts'
import { errorBody } from './errors.ts'

/** A probe commits a row: at most this often, however many monitors ask. */
const PROBE_EVERY_MS = 2000

/**
 * Health, without a session: `/api/health/live` (the process answers), `/api/health/ready` (the store can commit:
 * 503 when it cannot, so a load balancer or monitor sees a full disk) and `/api/health` (both, with the change-log
 * head, for people and the wall).
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const started = Date.now()
  let last: { at: number, problem: Promise<StoreUnavailableError | null> } | null = null
  const writeProblem = () => {
    const now = ctx.now().getTime()
    if (!last || now - last.at >= PROBE_EVERY_MS)
      last = { at: now, problem: ctx.store.probe().catch(e => e as StoreUnavailableError) }
    return last.problem
  }

  app.get('/api/health', { schema: { response: { 200: Health } } }, async () => {
    const problem = await writeProblem()
    return {
      ok: true,
      seq: await ctx.store.head(),
      demo: ctx.config.demo,
      store: ctx.store.dialect,
      writable: problem === null,
      problem: problem?.message ?? null,
      uptimeSeconds: (Date.now() - started) / 1000,
    }
  })

  app.get('/api/health/live', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => ({ ok: true }))

  app.get('/api/health/ready', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }), 503: ErrorResponse } } }, async (_req, reply) => {
    const problem = await writeProblem()
    if (problem)
      return reply.code(503).send(errorBody(503, problem.message))
    return { ok: true }
  })
}
