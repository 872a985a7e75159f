import type { TestApp } from '../../helpers/app.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, fixtures } from '../../helpers/app.ts'

// The monthly evaluation report: it opens in a spreadsheet library, holds one row per grid worker with the
// same figures as the API, shows every headline figure with its definition, and only admin may download it.

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp({ now: () => new Date('2026-11-20T02:00:00.000Z') })
  const { report, grid } = fixtures(t.ctx)
  const worker = await t.as('grid_worker')
  const mine = t.ctx.reference.territory.grids.find(g => g.id === t.ctx.reference.org.rosters.find(r => r.workerId === t.ctx.reference.org.people.find(p => p.roles.includes('grid_worker'))!.id)!.gridId)!
  await t.app.inject({ method: 'POST', url: '/api/incidents', headers: worker, payload: report({ location: mine.center }) })
  await t.app.inject({ method: 'POST', url: '/api/incidents', headers: await t.as('operator'), payload: { category: 'property_dispute', description: '物业公司停车收费纠纷', location: grid.center } })
})
afterAll(() => t.close())

const get = async (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: await t.as(who) })

describe('monthly report', () => {
  it('downloads as XLSX that opens and holds one row per grid worker, as the API scores them', async () => {
    const res = await get('admin', '/api/reports/monthly.xlsx?month=2026-11')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    expect(res.headers['content-disposition']).toContain('onescreen-monthly-2026-11.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map(w => w.name)).toEqual(['月度考评', '排名', '核心指标', '说明'])

    const scores = (await get('admin', '/api/scores?month=2026-11')).json().scores as { personId: string, rank: number, total: number, tier: { name: string }, inputs: { reports: number } }[]
    const sheet = wb.getWorksheet('月度考评')!
    expect(sheet.rowCount).toBe(1 + scores.length)
    const header = (sheet.getRow(1).values as string[]).slice(1)
    const col = (name: string) => header.findIndex(h => h.startsWith(name)) + 1
    const byId = new Map<string, ExcelJS.Row>()
    sheet.eachRow((row, n) => {
      if (n > 1)
        byId.set(String(row.getCell(col('人员编号')).value), row)
    })
    for (const s of scores) {
      const row = byId.get(s.personId)!
      expect(row.getCell(col('排名')).value).toBe(s.rank)
      expect(row.getCell(col('总分')).value).toBe(s.total)
      expect(row.getCell(col('等级')).value).toBe(s.tier.name)
      expect(row.getCell(col('上报')).value).toBe(s.inputs.reports)
    }
    // One report by a grid worker this month (the operator's does not count for anyone).
    expect(scores.filter(s => s.inputs.reports > 0).map(s => s.inputs.reports)).toEqual([1])
  })

  it('shows each headline figure with its definition, and says plainly what is not recorded', async () => {
    const res = await get('admin', '/api/reports/monthly.xlsx?month=2026-11')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const rows = new Map<string, unknown[]>()
    wb.getWorksheet('核心指标')!.eachRow((row, n) => {
      if (n > 1)
        rows.set(String(row.getCell(1).value), (row.values as unknown[]).slice(1))
    })
    expect(rows.get('物业纠纷')![1]).toBe(1)
    expect(String(rows.get('物业纠纷')![5])).toContain('上年同月')
    expect(rows.get('走访谈心')![1]).toBe('暂无记录 not recorded')
    const api = (await get('admin', '/api/reports/headline?month=2026-11')).json()
    const talks = api.figures.find((f: { key: string }) => f.key === 'outreachTalks')
    expect(talks.value).toBeNull()
    expect(talks.definition).toMatch(/not recorded/)
    expect(api.figures.find((f: { key: string }) => f.key === 'propertyYoY')).toMatchObject({ value: 1, lastYear: 0, change: null })
  })

  it('downloads as CSV with a BOM, a header and one line per grid worker', async () => {
    const res = await get('admin', '/api/reports/monthly.csv?month=2026-11')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.body).toMatch(/^\uFEFF排名 Rank,网格员 Name/)
    expect(res.body.trimEnd().split('\r\n')).toHaveLength(1 + t.ctx.reference.org.rosters.length)
  })

  it('is for admin only', async () => {
    for (const who of ['commander', 'operator', 'grid_worker', 'leader', 'wall']) {
      expect((await get(who, '/api/reports/monthly.xlsx?month=2026-11')).statusCode, who).toBe(403)
      expect((await get(who, '/api/reports/monthly.csv?month=2026-11')).statusCode, who).toBe(403)
    }
    const denied = await t.ctx.authStore.queryAudit({ action: 'reports:monthly.xlsx', result: 'deny', limit: 10 })
    expect(denied).toHaveLength(5)
  })
})
