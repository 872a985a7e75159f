import type { Message } from '../../../shared/messages/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recipientsOf } from '../../../shared/messages/audience.ts'
import { DEFAULT_PLANS, JULY_RAINSTORM_PLAN } from '../../../shared/wartime/default-plans.ts'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { buildTestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

async function send(payload: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/messages', headers: { ...(await t.as('operator')), ...headers }, payload: payload as object })
}

describe('a message to the responders of a plan', () => {
  it('reaches exactly the people the plan reaches', async () => {
    const res = await send({ text: '请按预案立即到岗', planIds: [JULY_RAINSTORM_PLAN.id] })
    expect(res.statusCode).toBe(201)
    const m = res.json<Message>()
    const expected = [...new Set(matchPlan(JULY_RAINSTORM_PLAN, t.ctx.reference).map(a => a.personId))].sort()
    expect(expected.length).toBeGreaterThan(0)
    expect(m.recipients.map(r => r.personId)).toEqual(expected)
    expect(m.audience.planIds).toEqual([JULY_RAINSTORM_PLAN.id])
  })

  it('adds a plan\'s responders to a community without counting anyone twice', async () => {
    const community = t.ctx.reference.territory.communities[0]!.id
    const body = { text: '联合通知', communityIds: [community], planIds: [JULY_RAINSTORM_PLAN.id] }
    const res = await send(body)
    expect(res.statusCode).toBe(201)
    const ids = res.json<Message>().recipients.map(r => r.personId)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(recipientsOf(t.ctx.reference, body, DEFAULT_PLANS))
    expect(ids.length).toBeGreaterThan(recipientsOf(t.ctx.reference, { communityIds: [community] }).length)
  })
})

describe('what a sender must fix', () => {
  it.each([
    ['no text', { all: true }, 'text'],
    ['blank text (a template only fills the box)', { text: '   ', all: true }, 'text'],
    ['text over 500 characters', { text: '急'.repeat(501), all: true }, 'text'],
    ['an unknown plan', { text: 'x', planIds: ['no-such-plan'] }, 'planIds'],
    ['an unknown community', { text: 'x', communityIds: ['cm-nowhere'] }, 'communityIds'],
    ['an unknown grid', { text: 'x', gridIds: ['g-nowhere'] }, 'gridIds'],
    ['an unknown force kind', { text: 'x', forceKinds: ['dragons'] }, 'forceKinds'],
    ['a selection that reaches nobody', { text: 'x', planIds: [] }, 'all'],
    ['a field the API does not have', { text: 'x', all: true, templateId: 'meeting' }, 'templateId'],
  ])('refuses %s with a 400 naming the field', async (_, body, field) => {
    const res = await send(body)
    expect(res.statusCode).toBe(400)
    expect(res.json().field ?? res.json().message).toContain(field)
  })
})

describe('sending once', () => {
  it('answers a retry with the same Idempotency-Key with the first message, and a new body with 422', async () => {
    const before = (await t.ctx.store.listEntities('message')).length
    const body = { text: '会议通知：16:00 调度会', all: true }
    const first = await send(body, { 'idempotency-key': 'msg-key-1' })
    const again = await send(body, { 'idempotency-key': 'msg-key-1' })
    expect(first.statusCode).toBe(201)
    expect(again.json<Message>().id).toBe(first.json<Message>().id)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect((await t.ctx.store.listEntities('message')).length).toBe(before + 1)
    expect((await send({ ...body, text: '另一条' }, { 'idempotency-key': 'msg-key-1' })).statusCode).toBe(422)
  })
})
