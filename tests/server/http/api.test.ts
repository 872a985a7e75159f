import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

let t: TestApp
let fx: ReturnType<typeof fixtures>
let op: AuthHeaders

beforeAll(async () => {
  t = await buildTestApp()
  fx = fixtures(t.ctx)
  op = await t.as('operator')
})

/** A GET as the duty operator. */
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: op })
afterAll(() => t.close())

async function report(over: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: '/api/incidents', payload: fx.report(over), headers: { ...op, ...headers } })
}

async function act(id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, payload: body, headers: { ...op, ...headers } })
}

describe('reference routes', () => {
  it('reports health with the current seq, without a session', async () => {
    const res = await t.app.inject('/api/health')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, store: t.ctx.store.dialect, seq: await t.ctx.store.head() })
  })

  it('serves the territory as GeoJSON with every grid', async () => {
    const body = (await get('/api/territory')).json()
    expect(body.grids.type).toBe('FeatureCollection')
    expect(body.grids.features).toHaveLength(t.ctx.reference.territory.grids.length)
    expect(body.grids.features[0].geometry.type).toMatch(/Polygon/)
    expect(body.communities.features.length).toBe(t.ctx.reference.territory.communities.length)
  })

  it('serves the catalog with at least 20 categories', async () => {
    const body = (await get('/api/catalog')).json()
    expect(body.categories.length).toBeGreaterThanOrEqual(20)
    expect(body.sectors).toHaveLength(4)
  })

  it('answers an unknown route with a JSON 404', async () => {
    const res = await get('/api/nope')
    expect(res.statusCode).toBe(404)
    expect(res.json().message).toContain('/api/nope')
  })
})

describe('reporting an incident', () => {
  it('routes a report inside a grid to that grid and answers 201', async () => {
    const res = await report()
    expect(res.statusCode).toBe(201)
    const inc = res.json()
    expect(inc).toMatchObject({ state: 'reported', version: 1, owner: { gridId: fx.grid.id, communityId: fx.grid.communityId, loop: 'grid' } })
    const detail = (await get(`/api/incidents/${inc.id}`)).json()
    expect(detail.history).toHaveLength(1)
    expect(detail.history[0]).toMatchObject({ action: 'report', to: 'reported', from: null })
  })

  it.each([
    [{ description: undefined }, 'description'],
    [{ description: '' }, 'description'],
    [{ location: { lon: 106.6, lat: 'north' } }, 'location.lat'],
    [{ location: { lon: 106.6 } }, 'location.lat'],
    [{ severity: 9 }, 'severity'],
    [{ colour: 'red' }, 'colour'],
    [{ category: 'no_such_thing' }, 'category'],
    [{ location: { lon: 116.4, lat: 39.9 } }, 'location'],
  ])('refuses %o with 400 naming %s', async (over, field) => {
    const res = await report(over)
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ statusCode: 400, field })
    expect(res.json().message).toContain(field.split('.')[0])
  })

  it('refuses malformed JSON with 400, not 500', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/incidents', payload: '{"category":', headers: { ...op, 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(400)
  })

  it('returns the first result for a retried Idempotency-Key and creates one incident', async () => {
    const headSeq = await t.ctx.store.head()
    const key = 'retry-key-1'
    const [a, b] = await Promise.all([report({}, { 'idempotency-key': key }), report({}, { 'idempotency-key': key })])
    const c = await report({}, { 'idempotency-key': key })
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 201])
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1)
    expect(c.headers['idempotent-replayed']).toBe('true')
    expect(await t.ctx.store.head()).toBe(headSeq + 1)
  })

  it('refuses a reused Idempotency-Key with another body (422)', async () => {
    await report({}, { 'idempotency-key': 'key-2' })
    const res = await report({ description: '另一件事' }, { 'idempotency-key': 'key-2' })
    expect(res.statusCode).toBe(422)
    expect(res.json().field).toBe('Idempotency-Key')
  })

  it('takes a point outside every grid to the subdistrict loop', async () => {
    const c = t.ctx.reference.territory.subdistrict.center
    const res = await report({ location: { lon: c.lon + 0.1, lat: c.lat + 0.05 } })
    expect(res.statusCode).toBe(201)
    expect(res.json().owner).toMatchObject({ loop: 'subdistrict', gridId: null })
  })
})

describe('incident actions', () => {
  it('moves an incident through accept and records each step', async () => {
    const inc = (await report()).json()
    const res = await act(inc.id, { action: 'accept' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ state: 'accepted', version: 2 })
    const detail = (await get(`/api/incidents/${inc.id}`)).json()
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['report', 'accept'])
  })

  it('answers an illegal action with 409, the current state and what is allowed', async () => {
    const inc = (await report()).json()
    const res = await act(inc.id, { action: 'resolve', note: 'done' })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ state: 'reported' })
    expect(res.json().allowed).toContain('accept')
    expect(res.json().allowed).not.toContain('resolve')
  })

  it('answers a missing required field with 400 naming it', async () => {
    const inc = (await report()).json()
    const res = await act(inc.id, { action: 'reject' })
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('note')
  })

  it('answers an unknown action name with 400 naming action', async () => {
    const inc = (await report()).json()
    const res = await act(inc.id, { action: 'teleport' })
    expect(res.statusCode).toBe(400)
    expect(res.json().field).toBe('action')
  })

  it('answers an unknown incident with 404', async () => {
    expect((await act('inc_missing', { action: 'accept' })).statusCode).toBe(404)
    expect((await get('/api/incidents/inc_missing')).statusCode).toBe(404)
  })

  it('refuses a stale expectedVersion with 409', async () => {
    const inc = (await report()).json()
    await act(inc.id, { action: 'accept' })
    const res = await act(inc.id, { action: 'reject', note: 'dup', expectedVersion: 1 })
    expect(res.statusCode).toBe(409)
    expect(res.json().field).toBe('expectedVersion')
  })

  it('serialises concurrent actions on one incident: one wins, one is refused', async () => {
    const inc = (await report()).json()
    const [a, b] = await Promise.all([act(inc.id, { action: 'accept' }), act(inc.id, { action: 'accept' })])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409])
    const detail = (await get(`/api/incidents/${inc.id}`)).json()
    expect(detail.version).toBe(2)
  })
})

describe('the change log', () => {
  it('lists changes after `since` in gap-free seq order, one per mutation', async () => {
    const before = await t.ctx.store.head()
    const inc = (await report()).json()
    await act(inc.id, { action: 'accept' })
    const page = (await get(`/api/changes?since=${before}`)).json()
    expect(page.complete).toBe(true)
    expect(page.changes.map((c: { seq: number }) => c.seq)).toEqual([before + 1, before + 2])
    expect(page.changes.map((c: { action: string }) => c.action)).toEqual(['report', 'accept'])
    expect(page.head).toBe(before + 2)
  })

  it('honours limit and refuses a negative since', async () => {
    const page = (await get('/api/changes?since=0&limit=2')).json()
    expect(page.changes).toHaveLength(2)
    expect(page.changes[0].seq).toBe(1)
    const bad = await get('/api/changes?since=-1')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().field).toContain('since')
  })

  it('gives a snapshot whose seq is the log head and which holds every open incident', async () => {
    const inc = (await report()).json()
    const snap = (await get('/api/snapshot')).json()
    expect(snap.seq).toBe(await t.ctx.store.head())
    expect(snap.incidents.map((i: { id: string }) => i.id)).toContain(inc.id)
  })
})
