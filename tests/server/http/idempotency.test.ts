import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matchPlan } from '../../../shared/wartime/plans.ts'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

// An idempotency key stands for one request of one caller: a retry that rebuilds the body with its keys in another
// order is the same request; the same key from another caller is another request; every keyed action (reports,
// incident actions, task reports, patrol check-ins) refuses the key with another body.

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp({ now: () => new Date('2026-07-15T04:00:00Z') })
})
afterAll(() => t.close())

async function post(url: string, role: string, key: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: { ...(await t.as(role)), 'idempotency-key': key }, payload: payload as object })
}

/** The same report written with its keys in reverse order, at every depth. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map(reversed)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
  return value
}

describe('idempotency keys', () => {
  it('replays a retry whose body has its keys in another order', async () => {
    const body = fixtures(t.ctx).report({ address: '寸滩街道 1 号', title: '楼道堆物' })
    const first = await post('/api/incidents', 'operator', 'reorder-1', body)
    const retry = await post('/api/incidents', 'operator', 'reorder-1', reversed(body))
    expect(first.statusCode).toBe(201)
    expect(retry.statusCode).toBe(201)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.json().id).toBe(first.json().id)
  })

  it('gives another caller who sends the same key a request of its own, never the first caller\'s result', async () => {
    const body = fixtures(t.ctx).report()
    const mine = await post('/api/incidents', 'operator', 'shared-key-1', body)
    const theirs = await post('/api/incidents', 'commander', 'shared-key-1', body)
    expect(theirs.statusCode).toBe(201)
    expect(theirs.headers['idempotent-replayed']).toBeUndefined()
    expect(theirs.json().id).not.toBe(mine.json().id)
  })

  it('refuses a key reused with another body for reports and actions (422 naming the key)', async () => {
    const made = await post('/api/incidents', 'operator', 'k-report', fixtures(t.ctx).report())
    const other = await post('/api/incidents', 'operator', 'k-report', fixtures(t.ctx).report({ description: '另一件事' }))
    expect(other.statusCode).toBe(422)
    expect(other.json()).toMatchObject({ statusCode: 422, field: 'Idempotency-Key' })
    const id = made.json().id
    expect((await post(`/api/incidents/${id}/actions`, 'operator', 'k-act', { action: 'accept' })).statusCode).toBe(200)
    const again = await post(`/api/incidents/${id}/actions`, 'operator', 'k-act', { action: 'reject', note: '重复' })
    expect(again.statusCode).toBe(422)
  })

  it('refuses a patrol check-in key reused for another place', async () => {
    const grid = t.ctx.reference.territory.grids.find(g => g.id === t.ctx.reference.org.rosters.find(r => r.workerId === 'gw-001')!.gridId)!
    const first = await post('/api/patrols', 'grid_worker', 'patrol-1', { location: grid.center })
    expect(first.statusCode).toBe(201)
    const retry = await post('/api/patrols', 'grid_worker', 'patrol-1', { location: grid.center })
    expect(retry.statusCode).toBe(200)
    expect(retry.json().id).toBe(first.json().id)
    const elsewhere = await post('/api/patrols', 'grid_worker', 'patrol-1', { location: { lon: grid.center.lon + 1e-5, lat: grid.center.lat } })
    expect(elsewhere.statusCode).toBe(422)
  })

  it('refuses a task report key reused with another state', async () => {
    expect((await post('/api/wartime/declare', 'commander', 'decl', { reason: '暴雨红色预警', planId: 'rainstorm-red' })).statusCode).toBe(201)
    expect((await post('/api/wartime/activate', 'operator', 'act', { planId: 'rainstorm-red' })).statusCode).toBe(200)
    const plan = (await t.ctx.wartime.plan('rainstorm-red'))!
    const assignee = matchPlan(plan, t.ctx.reference).find(a => a.templateId === 'patrol')!.personId
    const phone = await t.phoneOf(assignee)
    const task = (await t.ctx.wartime.tasksOf(assignee))[0]!
    const send = (key: string, state: string) => t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/status`, headers: { ...phone, 'idempotency-key': key }, payload: { state } })
    expect((await send('task-k', 'acknowledged')).statusCode).toBe(200)
    expect((await send('task-k', 'acknowledged')).headers['idempotent-replayed']).toBe('true')
    const other = await send('task-k', 'on_scene')
    expect(other.statusCode).toBe(422)
    expect(other.json()).toMatchObject({ field: 'Idempotency-Key' })
  })
})
