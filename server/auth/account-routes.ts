import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AppContext } from '../context.ts'
import { Type } from 'typebox'
import { AccountCreate, AccountDisable, AccountT, AccountUpdate, PasswordReset } from '../../shared/auth/admin-schema.ts'
import { ErrorResponse } from '../../shared/http/schema.ts'
import { answer } from '../http/errors.ts'
import { createAccountService } from './account-service.ts'
import { httpCall, requirePermission } from './plugin.ts'

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** Accounts (admin, `user:manage`): list, create, edit roles and territory, disable, reset a password. */
export const accountRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const accounts = createAccountService(ctx)

  app.get('/api/accounts', { schema: { response: { 200: Type.Array(AccountT), ...errors } } }, async (req) => {
    await requirePermission(ctx, req, 'user:manage', { action: 'account:list' })
    return accounts.list()
  })

  app.post('/api/accounts', { schema: { body: AccountCreate, response: { 201: AccountT, ...errors } } }, async (req, reply) =>
    answer(reply, await accounts.create(httpCall(req), req.body)))

  app.patch('/api/accounts/:id', { schema: { params: IdParams, body: AccountUpdate, response: { 200: AccountT, ...errors } } }, async (req, reply) =>
    answer(reply, await accounts.update(httpCall(req), req.params.id, req.body)))

  app.put('/api/accounts/:id/disabled', { schema: { params: IdParams, body: AccountDisable, response: { 200: AccountT, ...errors } } }, async (req, reply) =>
    answer(reply, await accounts.setDisabled(httpCall(req), req.params.id, req.body.disabled)))

  app.put('/api/accounts/:id/password', { schema: { params: IdParams, body: PasswordReset, response: { 204: Type.Null(), ...errors } } }, async (req, reply) => {
    const res = await accounts.resetPassword(httpCall(req), req.params.id, req.body.password)
    return res.ok ? reply.code(204).send(null) : answer(reply, res)
  })
}
