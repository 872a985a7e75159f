import type { ReportBody } from '../../../shared/incident/schema.ts'
import type { Catalog } from '../../../shared/organisation/catalog.ts'
import { describe, expect, it } from 'vitest'
import { createIncident, describeRouting } from '../../../shared/incident/routing.ts'
import { categoryByCode, DEFAULT_CATALOG, postById } from '../../../shared/organisation/catalog.ts'
import { minutesAfter, NOW, PARK, routingContext, WORKER } from '../fixtures.ts'

const IN_A_S = { lon: 106.605, lat: 29.585 }
const OUTSIDE = { lon: 106.7, lat: 29.7 }

function report(category: string, location = IN_A_S, extra: Partial<ReportBody> = {}, catalog?: Catalog) {
  return createIncident('inc-1', { category, description: '现场描述', location, ...extra }, WORKER, routingContext(catalog))
}

function made(result: ReturnType<typeof report>) {
  if (!result.ok)
    throw new Error(result.message)
  return result
}

describe('routing table', () => {
  const table = describeRouting(DEFAULT_CATALOG)

  it('has one row per category', () => {
    expect(table.map(r => r.code)).toEqual(DEFAULT_CATALOG.categories.map(c => c.code))
  })

  it('routes every category to a real sector and post, or to a community or grid task', () => {
    for (const row of table) {
      if (row.type === 'community_task' || row.type === 'grid_task') {
        expect(row.sectorId, row.code).toBeNull()
        continue
      }
      for (const ref of [{ sectorId: row.sectorId!, postId: row.postId! }, ...row.helpers]) {
        expect(DEFAULT_CATALOG.sectors.map(s => s.id), row.code).toContain(ref.sectorId)
        expect(postById(DEFAULT_CATALOG, ref.postId)?.sectorId, row.code).toBe(ref.sectorId)
      }
    }
  })

  it('sends the expired-mooncake case to law enforcement, helped by the business environment post', () => {
    expect(table.find(r => r.name === '过期食品')).toMatchObject({
      type: 'cross',
      sectorId: 'safety',
      postId: 'safety.law_enforcement',
      helpers: [{ sectorId: 'economy', postId: 'economy.business_env' }],
    })
  })

  it('keeps grid tasks in the grid and gives cross-sector items at least one helper', () => {
    for (const row of table) {
      if (row.type === 'grid_task')
        expect(row.loop, row.code).toBe('grid')
      if (row.type === 'cross')
        expect(row.helpers.length, row.code).toBeGreaterThan(0)
    }
  })

  it('reads only the data: a new category routes with no code change', () => {
    const catalog: Catalog = {
      ...DEFAULT_CATALOG,
      categories: [{ code: 'new_thing', name: '新事项', nameEn: 'New', severity: 3, loop: 'community', deadlines: { reported: 7 }, responsibility: { type: 'single', sectorId: 'party', postId: 'party.org' }, weight: 1 }],
    }
    expect(made(report('new_thing', IN_A_S, {}, catalog)).incident.owner).toMatchObject({ loop: 'community', sectorId: 'party', postId: 'party.org' })
  })
})

describe('createIncident', () => {
  it('routes a grid task to the grid and community the point falls in', () => {
    const { incident } = made(report('noise'))
    expect(incident.owner).toEqual({ loop: 'grid', communityId: 'a', gridId: 'a-s', sectorId: null, postId: null, helperSectorIds: [], assigneeId: null })
  })

  it('routes a single-sector item to its post, at the category\'s loop', () => {
    expect(made(report('property_dispute')).incident.owner).toMatchObject({ loop: 'community', gridId: 'a-s', sectorId: 'livelihood', postId: 'livelihood.property' })
  })

  it('routes a cross-sector item to the lead post with helper sectors', () => {
    expect(made(report('expired_food', { lon: 106.615, lat: 29.585 })).incident.owner).toMatchObject({
      loop: 'subdistrict',
      communityId: 'b',
      gridId: 'b-s',
      sectorId: 'safety',
      postId: 'safety.law_enforcement',
      helperSectorIds: ['economy'],
    })
  })

  it('sends a point outside every grid to the subdistrict, without a grid or community', () => {
    for (const location of [OUTSIDE, PARK]) {
      const { incident } = made(report('noise', location))
      expect(incident.owner).toMatchObject({ loop: 'subdistrict', gridId: null, communityId: null })
    }
  })

  it('starts a new incident reported, at version 1, with the accept deadline of its category', () => {
    const { incident, entry } = made(report('gas_leak'))
    expect(incident).toMatchObject({ state: 'reported', version: 1, severity: 1, title: '燃气泄漏', escalations: 0, reopenCount: 0, channel: 'grid_worker', reporterId: WORKER.personId })
    expect(incident.stageDeadline).toBe(minutesAfter(NOW, categoryByCode(DEFAULT_CATALOG, 'gas_leak')!.deadlines.reported!).toISOString())
    expect(entry).toMatchObject({ at: NOW.toISOString(), action: 'report', actor: WORKER, device: 'test-phone', from: null, to: 'reported' })
  })

  it('lets the reporter override the title and severity', () => {
    expect(made(report('noise', IN_A_S, { title: '深夜施工', severity: 3 })).incident).toMatchObject({ title: '深夜施工', severity: 3 })
  })

  it('starts the clock at an earlier reportedAt, never at a future one', () => {
    const earlier = minutesAfter(NOW, -30).toISOString()
    expect(made(report('noise', IN_A_S, { reportedAt: earlier })).incident.reportedAt).toBe(earlier)
    expect(made(report('noise', IN_A_S, { reportedAt: minutesAfter(NOW, 30).toISOString() })).incident.reportedAt).toBe(NOW.toISOString())
  })

  it('refuses an unknown category, naming the field', () => {
    expect(report('no_such_thing')).toMatchObject({ ok: false, code: 'unknown_category', field: 'category' })
  })
})
