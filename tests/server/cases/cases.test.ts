import type { Incident, IncidentWithHistory } from '../../../shared/incident/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../../server/setup/codec/csv.ts'
import { readWorkbook } from '../../../server/setup/codec/xlsx.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { caseThrough, CLOSED_PATH, upload } from './helpers.ts'

// Cases out and back in: an export imported into a fresh install gives the same cases with the same history.

let a: TestApp
let made: Incident[]
let otherCommunity: string

const DAY = 86_400_000

/** A 12345 case is answered (答复) before the feedback that closes it: the reply goes in after verification. */
function withReply(path: typeof CLOSED_PATH): typeof CLOSED_PATH {
  const at = path.findIndex(s => s.action === 'feedback')
  return [...path.slice(0, at), { action: 'hotline', hotline: { op: 'reply', text: '已协调施工方夜间停工' } }, ...path.slice(at)]
}

beforeAll(async () => {
  a = await buildTestApp()
  const ref = a.ctx.reference
  const home = ref.territory.grids.find(g => g.id === ref.org.rosters.find(r => r.workerId === 'gw-001')!.gridId)!
  const far = ref.territory.grids.find(g => g.communityId !== home.communityId)!
  otherCommunity = far.communityId
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString()
  made = [
    await caseThrough(a, {
      category: 'noise',
      description: '夜间施工噪音扰民',
      location: home.center,
      channel: 'hotline_12345',
      reporterName: '李女士',
      reporterPhone: '13911112222',
      hotline: { orderNo: 'GD-2025-0001', caller: '李女士', callerPhone: '13911112222', dueAt: at(-3) },
      attributes: { building: '3栋', tags: ['夜间', '施工'] },
      photos: ['a'.repeat(64)],
      mediaUrl: 'https://example.org/p.jpg',
      reportedAt: at(2),
    }, withReply(CLOSED_PATH)),
    await caseThrough(a, { category: 'noise', description: '=SUM(1,2) 广场舞音响', location: home.center, reportedAt: at(1) }, [{ action: 'accept' }, { action: 'assign', assigneeId: 'gw-001' }, { action: 'start' }]),
    await caseThrough(a, { category: 'noise', description: '重复反映', location: far.center, reporterName: '王先生' }, [{ action: 'reject', note: '经核实情况不属实' }]),
    await caseThrough(a, { category: 'noise', description: '四十天前的上报', location: far.center, reportedAt: at(40) }, []),
  ]
}, 60_000)
afterAll(async () => {
  await a.close()
})

async function exported(t: TestApp, user: string | 'share', query: string) {
  const headers = user === 'share' ? await t.shareSession() : await t.as(user)
  return t.app.inject({ method: 'GET', url: `/api/cases/export?${query}`, headers })
}

async function full(t: TestApp, id: string): Promise<IncidentWithHistory> {
  const inc = await t.ctx.store.getIncident(id)
  expect(inc, `incident ${id} is in the store`).not.toBeNull()
  return inc!
}

describe('case export → import', () => {
  it.each(['xlsx', 'csv', 'geojson'] as const)('keeps every field and the history (%s)', async (format) => {
    const res = await exported(a, 'admin', `format=${format}`)
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    expect(res.headers['x-total-count']).toBe(String(made.length))
    const b = await buildTestApp()
    try {
      const imported = await upload(b, 'admin', res.rawPayload, `cases.${format}`)
      expect(imported.statusCode, imported.body.slice(0, 600)).toBe(201)
      expect(imported.json()).toMatchObject({ imported: made.length, problems: [], skipped: [] })
      for (const inc of made)
        expect(await full(b, inc.id), `case ${inc.id} after a ${format} round trip`).toEqual(await full(a, inc.id))
      // The same file again: every case is reported as already there, none is written twice.
      const again = await upload(b, 'admin', res.rawPayload, `cases.${format}`)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toMatchObject({ imported: 0, steps: 0 })
      expect(again.json().skipped.map((s: { id: string }) => s.id).sort()).toEqual(made.map(i => i.id).sort())
      expect(await b.ctx.store.countIncidents()).toBe(made.length)
    }
    finally {
      await b.close()
    }
  }, 60_000)

  it('writes one history row per step in the xlsx, with Chinese headers and stable keys', async () => {
    const res = await exported(a, 'admin', 'format=xlsx')
    const sheets = await readWorkbook('x.xlsx', res.rawPayload)
    const incidents = sheets.get('incidents')!
    expect(incidents.headers.slice(0, 3)).toEqual(['编号 id', '来源系统编号 sourceId', '版本 version'])
    expect(incidents.headers).toContain('上报时间（北京时间） reportedAtLocal')
    const steps = sheets.get('history')!.rows.filter(r => r.cells.get('事件编号 incidentId') === made[0]!.id)
    expect(steps.map(r => r.cells.get('动作 action'))).toEqual(['上报', '受理', '派单', '开始处置', '到场', '记录进展', '办结', '核查', '12345工单', '反馈'])
  })
})

describe('personal data in exports', () => {
  it.each(['leader', 'share'] as const)('leaves the reporter and the 12345 caller out for %s', async (who) => {
    const res = await exported(a, who, 'format=csv')
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    const [headers] = parseCsv(res.rawPayload)
    expect(headers).not.toContain('上报人姓名 reporterName')
    expect(headers).not.toContain('来电电话 hotlineCallerPhone')
    expect(res.body).not.toContain('13911112222')
    expect(res.body).not.toContain('王先生')
    expect(res.body).toContain('GD-2025-0001')
  })

  it('gives the reporter to a desk that works the case', async () => {
    const res = await exported(a, 'operator', 'format=csv')
    expect(parseCsv(res.rawPayload)[0]).toContain('上报人电话 reporterPhone')
    expect(res.body).toContain('13911112222')
  })

  it('records who exported what in the audit trail', async () => {
    await exported(a, 'leader', 'format=geojson&communityId=x')
    const rows = await a.ctx.authStore.queryAudit({ action: 'cases:export.geojson', limit: 5, offset: 0 })
    expect(rows[0]).toMatchObject({ action: 'cases:export.geojson', target: 'communityId=x', result: 'allow' })
  })
})

describe('export filters', () => {
  const ids = async (query: string) => {
    const res = await exported(a, 'admin', `format=geojson&${query}`)
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    return (res.json().features as { id: string }[]).map(f => f.id).sort()
  }

  it('takes the community, the tab and the dates of the desk', async () => {
    expect(await ids(`communityId=${otherCommunity}`)).toEqual([made[2]!.id, made[3]!.id].sort())
    expect(await ids('tab=intake')).toEqual([made[3]!.id])
    expect(await ids('tab=handling')).toEqual([made[1]!.id])
    const from = new Date(Date.now() - 50 * DAY).toISOString()
    const to = new Date(Date.now() - 30 * DAY).toISOString()
    expect(await ids(`from=${from}&to=${to}`)).toEqual([made[3]!.id])
  })

  it('exports only what the caller\'s desk reaches', async () => {
    const res = await exported(a, 'community_staff', 'format=geojson')
    const communities = new Set((res.json().features as { properties: { communityId: string } }[]).map(f => f.properties.communityId))
    const own = a.ctx.reference.org.people.find(p => p.id === 'cs-01')!.communityId
    expect([...communities].every(c => c === own), `communities ${[...communities].join(', ')}`).toBe(true)
  })

  it('refuses a bad format with a 400 naming the field', async () => {
    const res = await exported(a, 'admin', 'format=pdf')
    expect(res.statusCode).toBe(400)
  })
})
