import type { Incident } from '../../../shared/incident/schema.ts'
import type { AuthHeaders, TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDuplicateIndex } from '../../../server/incident/duplicates.ts'
import { createIncident } from '../../../shared/incident/routing.ts'
import { distanceMeters } from '../../../shared/kernel/geo.ts'
import { at, LABELLED_PAIRS, LABELLED_REPORTS } from '../../fixtures/duplicates.ts'
import { buildTestApp } from '../../helpers/app.ts'

// The spatial index over recent incidents: loaded from the store at start, kept right by every commit, asked by the
// report path (possibleDuplicates) and the desk (GET /api/incidents/:id/similar).

const T0 = Date.parse('2026-06-01T02:00:00.000Z')
const H = 3_600_000
let clock = new Date(T0 + 50 * H)
let t: TestApp
let operator: AuthHeaders

/** The labelled reports as stored incidents, in their final states. */
function seed(): Incident[] {
  const { catalog, grids, reference } = t.ctx
  return LABELLED_REPORTS.map((r) => {
    const made = createIncident(r.id, { category: r.category, description: r.note, location: r.location }, { personId: 'seed', role: 'system' }, { now: new Date(r.reportedAt), catalog, grids, reference })
    if (!made.ok)
      throw new Error(`${r.id}: ${made.message}`)
    return { ...made.incident, state: r.state, closedAt: r.closedAt, mergedInto: r.mergedInto ?? null, updatedAt: r.closedAt ?? r.reportedAt }
  })
}

async function report(location: { lon: number, lat: number }, category = 'waterlogging'): Promise<Incident> {
  const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: operator, payload: { category, description: '地下通道积水', location } })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

async function act(id: string, payload: Record<string, unknown>): Promise<Incident> {
  const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/actions`, headers: operator, payload })
  expect(res.statusCode, `${String(payload.action)}: ${res.body}`).toBe(200)
  return res.json()
}

const candidateIds = async (inc: Incident) => (await t.ctx.duplicates.candidates(inc)).map(c => c.incident.id)

beforeAll(async () => {
  t = await buildTestApp({ now: () => clock })
  operator = await t.as('operator')
  await t.ctx.store.importMutations(seed().map(incident => ({ kind: 'incident' as const, incident, entry: { at: incident.reportedAt, action: 'report' as const, actor: { personId: 'seed', role: 'system' }, from: null, to: incident.state } })))
})
afterAll(() => t.close())

describe('the duplicate index', () => {
  it('answers the labelled pairs from the store\'s incidents', async () => {
    const stored = await Promise.all(LABELLED_REPORTS.map(r => t.ctx.store.getIncidentState(r.id)))
    const got: string[] = []
    for (const inc of stored) {
      for (const c of await t.ctx.duplicates.candidates(inc!)) {
        if (c.incident.reportedAt < inc!.reportedAt)
          got.push(`${inc!.id}~${c.incident.id}`)
      }
    }
    expect(got.sort()).toEqual(LABELLED_PAIRS.map(([a, b]) => `${a}~${b}`).sort())
    expect(t.ctx.duplicates.has('E4'), 'a merged incident is not indexed').toBe(false)
    expect(t.ctx.duplicates.has('H1'), 'a rejected incident is not indexed').toBe(false)
  })

  it('stores a new report\'s possible duplicates, nearest first', async () => {
    clock = new Date(T0 + 7 * H)
    const where = at(5, 0)
    const made = await report(where)
    const want = ['A1', 'A2', 'A3', 'A4', 'A5']
      .map(id => ({ id, m: distanceMeters(where, LABELLED_REPORTS.find(r => r.id === id)!.location) }))
      .sort((a, b) => a.m - b.m)
      .map(x => x.id)
    expect(made.possibleDuplicates).toEqual(want)
    const stored = await t.app.inject({ method: 'GET', url: `/api/incidents/${made.id}`, headers: operator })
    expect(stored.json().possibleDuplicates).toEqual(want)
  })

  it('leaves possibleDuplicates off a report with none', async () => {
    const made = await report(at(0, 2600), 'streetlight')
    expect(made.possibleDuplicates).toBeUndefined()
  })

  it('stays right after report, merge, reject and close', async () => {
    clock = new Date(T0 + 8 * H)
    const first = await report(at(-2000, -1500))
    const second = await report(at(-2010, -1500))
    expect(second.possibleDuplicates, 'the first report is indexed as soon as it is committed').toEqual([first.id])
    const third = await report(at(-1990, -1500))
    expect(third.possibleDuplicates).toEqual([first.id, second.id])

    await act(second.id, { action: 'merge', mergeInto: first.id })
    expect(t.ctx.duplicates.has(second.id)).toBe(false)
    await act(third.id, { action: 'reject', note: '重复' })
    expect(t.ctx.duplicates.has(third.id)).toBe(false)
    const probe = await report(at(-2005, -1505))
    expect(probe.possibleDuplicates, 'merged and rejected ones are no candidates').toEqual([first.id])

    await act(first.id, { action: 'accept' })
    await act(first.id, { action: 'assign', assigneeId: 'gw-001' })
    await act(first.id, { action: 'start' })
    await act(first.id, { action: 'resolve', note: '已排水' })
    await act(first.id, { action: 'verify' })
    await act(first.id, { action: 'close' })
    expect(t.ctx.duplicates.has(first.id), 'a closed incident stays a while').toBe(true)
    clock = new Date(T0 + 30 * H)
    expect((await report(at(-2000, -1495))).possibleDuplicates, 'closed within 72 h: still a candidate').toContain(first.id)
    // A sign-in does not live 100 hours: ask the index directly for a report made then.
    const later = { ...probe, id: 'later', reportedAt: new Date(T0 + 8 * H + 100 * H).toISOString() }
    expect(await candidateIds(later), 'closed 100 h ago: no longer').not.toContain(first.id)
    expect(await candidateIds({ ...later, reportedAt: new Date(T0 + 40 * H).toISOString() }), 'the same probe 32 h after closing').toContain(first.id)
  })

  it('is rebuilt the same from the store at start', async () => {
    const fresh = createDuplicateIndex({ store: t.ctx.store, now: () => clock, live: t.ctx.live })
    await fresh.start()
    expect(fresh.size()).toBe(t.ctx.duplicates.size())
    for (const id of ['A5', 'B3', 'F2', 'D3']) {
      const inc = (await t.ctx.store.getIncidentState(id))!
      expect((await fresh.candidates(inc)).map(c => c.incident.id), id).toEqual(await candidateIds(inc))
    }
  })

  it('answers the desk\'s merge candidates with the same rules', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/incidents/B2/similar', headers: operator })
    expect(res.statusCode, res.body).toBe(200)
    const got = res.json() as { incident: Incident, meters: number, hours: number }[]
    expect(got.map(c => c.incident.id)).toEqual(await candidateIds((await t.ctx.store.getIncidentState('B2'))!))
    expect(got.map(c => c.incident.id).sort(), 'related category 污水外溢 included').toEqual(['B1', 'B3'])
    expect(got.find(c => c.incident.id === 'B3')?.hours).toBe(19)
  })
})

describe('a merged report', () => {
  it('keeps its reporter and history, and its reporter reads the master\'s outcome', async () => {
    clock = new Date(T0 + 40 * H)
    const worker = await t.as('grid_worker')
    const account = (await t.ctx.authStore.listAccounts()).find(a => a.username === 'grid_worker')!
    const grid = t.ctx.reference.org.rosters.find(r => r.workerId === account.personId)!
    const place = t.ctx.reference.territory.grids.find(g => g.id === grid.gridId)!.center
    const master = await report(place)
    const mine = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: { category: 'waterlogging', description: '路口积水', location: { lon: place.lon + 0.0002, lat: place.lat } } })
    expect(mine.statusCode, mine.body).toBe(201)
    const dup = mine.json() as Incident
    expect(dup.possibleDuplicates?.[0]).toBe(master.id)

    await act(dup.id, { action: 'merge', mergeInto: master.id })
    for (const [action, extra] of [['accept', {}], ['assign', { assigneeId: 'gw-001' }], ['start', {}], ['resolve', { note: '已疏通雨水口' }], ['verify', {}], ['close', {}]] as const)
      await act(master.id, { action, ...extra })

    const merged = (await t.ctx.store.getIncident(dup.id))!
    expect(merged.reporterId, 'the reporter stays on their own report').toBe(account.personId)
    expect(merged.history.map(e => e.action)).toEqual(['report', 'merge'])
    expect(merged.history.at(-1)!.data).toMatchObject({ mergeInto: master.id })

    const listed = await t.app.inject({ method: 'GET', url: '/api/desk/queue?tab=mine', headers: worker })
    const item = (listed.json().items as Incident[]).find(i => i.id === dup.id)
    expect(item, 'the merged report is still on the reporter\'s 我上报的').toMatchObject({ state: 'merged', mergedInto: master.id })
    const read = await t.app.inject({ method: 'GET', url: `/api/incidents/${master.id}`, headers: worker })
    expect(read.statusCode, 'the reporter may read the master').toBe(200)
    expect(read.json().state).toBe('closed')
    expect(read.json().history.find((e: { action: string }) => e.action === 'resolve').note).toBe('已疏通雨水口')
  })
})
