import type { TestApp } from '../../helpers/app.ts'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { idFromSource } from '../../../server/cases/import.ts'
import { buildTestApp } from '../../helpers/app.ts'
import { upload } from './helpers.ts'

// Historical cases from another system: the template, a dry run, the import, and the rows it refuses.

let t: TestApp
beforeEach(async () => {
  t = await buildTestApp()
})
afterEach(async () => {
  await t.close()
})

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')

describe('the import template', () => {
  it.each(['xlsx', 'csv'] as const)('downloads (%s) and imports its example row', async (format) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/template.${format}`, headers: await t.as('admin') })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toContain(`cases-template.${format}`)

    const dry = await upload(t, 'admin', res.rawPayload, `template.${format}`, true)
    expect(dry.statusCode, dry.body.slice(0, 500)).toBe(200)
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 1, imported: 1, steps: 7, problems: [] })
    expect(await t.ctx.store.countIncidents(), 'a dry run writes nothing').toBe(0)

    const done = await upload(t, 'admin', res.rawPayload, `template.${format}`)
    expect(done.statusCode, done.body.slice(0, 500)).toBe(201)
    const id = idFromSource('SRC-2025-000123')
    const inc = await t.ctx.store.getIncident(id)
    expect(inc).toMatchObject({ state: 'closed', channel: 'hotline_12345', version: 7, attributes: { sourceId: 'SRC-2025-000123' }, hotline: { orderNo: '12345-2025-000123' } })
    expect(inc!.history.map(e => e.action)).toEqual(['report', 'accept', 'assign', 'start', 'resolve', 'verify', 'close'])
    // Statistics read it in its own month, the change log carries each step.
    const march = await t.ctx.store.listReportedBetween('2025-02-28T16:00:00.000Z', '2025-03-31T16:00:00.000Z')
    expect(march.map(i => i.id)).toEqual([id])
    const changes = (await t.ctx.store.changesSince(0, 1000)).filter(c => c.id === id)
    expect(changes.map(c => c.action)).toEqual(['report', 'accept', 'assign', 'start', 'resolve', 'verify', 'close'])
  })

  it('names the sheet, row and column of a bad cell in a workbook', async () => {
    const tpl = await t.app.inject({ method: 'GET', url: '/api/cases/template.xlsx', headers: await t.as('admin') })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('incidents')!
    const col = (ws.getRow(1).values as string[]).indexOf('类别编码 category')
    ws.getRow(2).getCell(col).value = '不存在的类别'
    wb.getWorksheet('history')!.getRow(3).getCell(1).value = 'nobody'
    const res = await upload(t, 'admin', Buffer.from(await wb.xlsx.writeBuffer()), 'edited.xlsx')
    expect(res.statusCode).toBe(400)
    const where = (res.json().problems as { sheet: string, row: number, column: string, code: string }[]).map(p => `${p.sheet}:${p.row}:${p.column}:${p.code}`)
    expect(where).toEqual(expect.arrayContaining(['incidents:2:category:unknown_category', 'history:3:incidentId:unknown_incident']))
    expect(await t.ctx.store.countIncidents()).toBe(0)
  })

  it('writes a case once when the same file is imported twice at the same time', async () => {
    const tpl = await t.app.inject({ method: 'GET', url: '/api/cases/template.csv', headers: await t.as('admin') })
    const both = await Promise.all([upload(t, 'admin', tpl.rawPayload, 'a.csv'), upload(t, 'admin', tpl.rawPayload, 'b.csv')])
    expect(both.map(r => r.statusCode).sort()).toEqual([200, 201])
    expect(both.map(r => r.json().imported).sort()).toEqual([0, 1])
    expect(await t.ctx.store.countIncidents()).toBe(1)
  })

  it('is for the admin only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/cases/template.xlsx', headers: await t.as('operator') })).statusCode).toBe(403)
    const tpl = await t.app.inject({ method: 'GET', url: '/api/cases/template.csv', headers: await t.as('admin') })
    const res = await upload(t, 'commander', tpl.rawPayload, 'template.csv')
    expect(res.statusCode).toBe(403)
    expect(await t.ctx.store.countIncidents()).toBe(0)
  })
})

describe('importing another system\'s cases', () => {
  it('matches categories by name, finds the grid from the point, keeps the source number', async () => {
    const grid = t.ctx.reference.territory.grids[3]!
    const res = await upload(t, 'admin', csv([
      '来源系统编号,类别名称,描述,经度,纬度,上报时间,结案时间,渠道',
      `A-1,噪音扰民,2024 年的噪音投诉,${grid.center.lon},${grid.center.lat},2024-06-01 08:30,2024-06-02 18:00,12345热线`,
    ]), 'old.csv')
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201)
    const inc = await t.ctx.store.getIncident(idFromSource('A-1'))
    expect(inc).toMatchObject({
      category: 'noise',
      state: 'closed',
      channel: 'hotline_12345',
      reportedAt: '2024-06-01T00:30:00.000Z',
      closedAt: '2024-06-02T10:00:00.000Z',
      owner: { gridId: grid.id, communityId: grid.communityId },
      attributes: { sourceId: 'A-1' },
      labels: { category: '噪音扰民' },
    })
    expect(inc!.history.map(e => [e.action, e.from, e.to])).toEqual([['report', null, 'reported'], ['close', 'reported', 'closed']])
  })

  it('refuses a file with bad rows with a 400 naming each row and column, and writes none of it', async () => {
    const grid = t.ctx.reference.territory.grids[0]!
    const { lon, lat } = grid.center
    const res = await upload(t, 'admin', csv([
      'sourceId,category,description,lon,lat,reportedAt,state',
      `ok-1,noise,好的一行,${lon},${lat},2025-01-01T08:00:00+08:00,reported`,
      `bad-1,no_such_thing,类别不存在,${lon},${lat},2025-01-01 08:00,reported`,
      `bad-2,noise,坐标不对,999,${lat},2025-01-01 08:00,reported`,
      `bad-3,noise,时间不对,${lon},${lat},昨天,办完了`,
      `ok-1,noise,重复的来源编号,${lon},${lat},2025-01-01 08:00,reported`,
    ]), 'bad.csv')
    expect(res.statusCode).toBe(400)
    const problems = res.json().problems as { row: number, column: string, code: string, reason: string, reasonEn: string }[]
    const where = problems.map(p => `${p.row}:${p.column}:${p.code}`)
    expect(where).toEqual(expect.arrayContaining(['3:category:unknown_category', '4:lon:bad_value', '5:reportedAt:bad_time', '5:state:bad_value', '6:sourceId:duplicate_id']))
    expect(where.some(w => w.startsWith('2:')), `row 2 is fine: ${where.join(' ')}`).toBe(false)
    expect(problems.every(p => p.reason && p.reasonEn)).toBe(true)
    expect(await t.ctx.store.countIncidents(), 'nothing half-imported').toBe(0)

    const dry = await upload(t, 'admin', csv(['sourceId,category,description,lon,lat,reportedAt', `x,nope,d,${lon},${lat},2025-01-01`]), 'bad.csv', true)
    expect(dry.statusCode).toBe(200)
    expect(dry.json().problems[0]).toMatchObject({ row: 2, column: 'category', code: 'unknown_category' })
  })

  it('refuses a history that does not lead to the case\'s state', async () => {
    const { lon, lat } = t.ctx.reference.territory.grids[0]!.center
    const history = JSON.stringify([{ at: '2025-01-01T00:00:00.000Z', action: 'report', actor: { personId: 'x', role: 'system' }, from: null, to: 'reported' }]).replaceAll('"', '""')
    const res = await upload(t, 'admin', csv([
      'id,category,description,lon,lat,reportedAt,state,history',
      `h-1,noise,d,${lon},${lat},2025-01-01T00:00:00Z,closed,"${history}"`,
    ]), 'h.csv')
    expect(res.statusCode).toBe(400)
    expect(res.json().problems[0]).toMatchObject({ row: 2, column: 'history', code: 'bad_history' })
  })

  it('answers a body that is not multipart with a 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cases/import', headers: { ...await t.as('admin'), 'content-type': 'application/json' }, payload: '{}' })
    expect(res.statusCode).toBe(415)
  })
})
