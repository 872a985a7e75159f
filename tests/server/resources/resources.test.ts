import type { DepotStock, ResourcesState, ShelterOccupancy } from '../../../shared/resources/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeAt } from '../../../server/resources/service.ts'
import { movesOf, resourcesUsed } from '../../../shared/resources/figures.ts'
import { buildTestApp } from '../../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp()
})
afterAll(() => t.close())

const depot = () => t.ctx.reference.facilities.depots.find(d => d.items.length > 0)!
const shelter = () => t.ctx.reference.facilities.shelters[0]!

async function moveStock(id: string, payload: object, as = 'operator', headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/resources/depots/${id}/moves`, headers: { ...(await t.as(as)), ...headers }, payload })
}
async function moveShelter(id: string, payload: object, as = 'operator') {
  return t.app.inject({ method: 'POST', url: `/api/resources/shelters/${id}/moves`, headers: await t.as(as), payload })
}
async function levelOf(depotId: string, kind: string): Promise<number> {
  const res = await t.app.inject({ method: 'GET', url: '/api/resources', headers: await t.as('wall') })
  return res.json<ResourcesState>().depots.find(d => d.id === depotId)!.items.find(i => i.kind === kind)?.qty ?? 0
}

describe('a depot\'s stock', () => {
  it('starts from the package\'s items and refuses an issue below zero, naming qty', async () => {
    const d = depot()
    const item = d.items[0]!
    expect(await levelOf(d.id, item.kind)).toBe(item.qty)
    const res = await moveStock(d.id, { kind: 'issue', itemKind: item.kind, qty: item.qty + 1 })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json()).toMatchObject({ statusCode: 409, field: 'qty' })
    expect(await levelOf(d.id, item.kind)).toBe(item.qty)
  })

  it('keeps the level exact under concurrent issues and returns, and refuses exactly the ones that would go below zero', async () => {
    const d = depot()
    const item = d.items[0]!
    const full = await levelOf(d.id, item.kind)
    expect(full).toBeGreaterThan(5)
    expect((await moveStock(d.id, { kind: 'issue', itemKind: item.kind, qty: full - 5 })).statusCode).toBe(201)
    // Ten issues of one against five in stock, and three returns, all at once: what is refused is what would go below zero.
    const issues = Array.from({ length: 10 }, () => moveStock(d.id, { kind: 'issue', itemKind: item.kind, qty: 1 }))
    const returns = Array.from({ length: 3 }, () => moveStock(d.id, { kind: 'return', itemKind: item.kind, qty: 1 }))
    const answers = await Promise.all([...issues, ...returns])
    const issued = answers.slice(0, 10).filter(r => r.statusCode === 201).length
    const refused = answers.slice(0, 10).filter(r => r.statusCode === 409).length
    expect(issued + refused).toBe(10)
    expect(answers.slice(10).map(r => r.statusCode)).toEqual([201, 201, 201])
    expect(issued).toBeGreaterThanOrEqual(5)
    expect(issued).toBeLessThanOrEqual(8)
    expect(await levelOf(d.id, item.kind)).toBe(5 - issued + 3)
  })

  it('answers a retry under the same Idempotency-Key once', async () => {
    const d = depot()
    const item = d.items[0]!
    const before = await levelOf(d.id, item.kind)
    const headers = { 'idempotency-key': 'stock-retry-1' }
    const first = await moveStock(d.id, { kind: 'return', itemKind: item.kind, qty: 3 }, 'operator', headers)
    const again = await moveStock(d.id, { kind: 'return', itemKind: item.kind, qty: 3 }, 'operator', headers)
    expect([first.statusCode, again.statusCode]).toEqual([201, 201])
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(await levelOf(d.id, item.kind)).toBe(before + 3)
  })

  it('refuses a move outside the caller\'s territory and from the read-only screens', async () => {
    const d = depot()
    const item = d.items[0]!
    const worker = t.ctx.reference.org.people.find(p => p.roles.includes('grid_worker'))!
    const gridIds = t.ctx.reference.org.rosters.filter(r => r.workerId === worker.id).map(r => r.gridId)
    const away = t.ctx.reference.facilities.depots.find(x => !gridIds.includes(placeAt(t.ctx.grids, x.location).gridId ?? ''))!
    expect((await moveStock(away.id, { kind: 'return', itemKind: item.kind, qty: 1 }, 'grid_worker')).statusCode).toBe(403)
    for (const role of ['wall', 'leader'])
      expect((await moveStock(d.id, { kind: 'return', itemKind: item.kind, qty: 1 }, role)).statusCode).toBe(403)
  })
})

describe('a shelter\'s occupancy', () => {
  it('counts check-ins and check-outs, flags over capacity and refuses checking out more than are in', async () => {
    const s = shelter()
    const ins = await moveShelter(s.id, { kind: 'check_in', people: 12, households: 4 })
    expect(ins.statusCode, ins.body).toBe(201)
    expect(ins.json<ShelterOccupancy>()).toMatchObject({ people: 12, households: 4, over: false, capacity: s.capacity })
    const out = await moveShelter(s.id, { kind: 'check_out', people: 5, households: 1 })
    expect(out.json<ShelterOccupancy>()).toMatchObject({ people: 7, households: 3 })
    const tooMany = await moveShelter(s.id, { kind: 'check_out', people: 8 })
    expect(tooMany.statusCode).toBe(409)
    expect(tooMany.json().field).toBe('qty')
    const crowd = await moveShelter(s.id, { kind: 'check_in', people: s.capacity })
    expect(crowd.statusCode).toBe(201)
    expect(crowd.json<ShelterOccupancy>()).toMatchObject({ people: 7 + s.capacity, over: true })
  })
})

describe('resources used during an operation', () => {
  it('sums the issues and returns stamped with the operation, from the change log', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '资源测试' } })
    expect(declared.statusCode).toBe(201)
    const opId = declared.json<{ id: string }>().id
    const d = depot()
    const item = d.items[0]!
    await moveStock(d.id, { kind: 'return', itemKind: item.kind, qty: 10 })
    await moveStock(d.id, { kind: 'issue', itemKind: item.kind, qty: 7 })
    await moveStock(d.id, { kind: 'return', itemKind: item.kind, qty: 2 })
    const moved = await moveStock(d.id, { kind: 'issue', itemKind: item.kind, qty: 1 })
    expect(moved.json<DepotStock>().last).toMatchObject({ operationId: opId, kind: 'issue', qty: 1 })
    const changes = await t.ctx.store.changesSince(0, 1000)
    expect(resourcesUsed(movesOf(changes, opId))).toEqual([{ kind: item.kind, issued: 8, returned: 12, net: -4 }])
    expect((await t.ctx.resources.usedIn(opId)).used).toEqual([{ kind: item.kind, issued: 8, returned: 12, net: -4 }])
    const ended = await t.app.inject({ method: 'POST', url: '/api/wartime/end', headers: await t.as('commander'), payload: { reason: '结束' } })
    expect(ended.statusCode).toBe(200)
  })
})
