import type { EvacuationTally, RegisterAnswer, RegisterImportAnswer, ResourcesState, VulnerablePerson } from '../../../shared/resources/schema.ts'
import type { ChangesPage } from '../../../shared/sync/schema.ts'
import type { TestApp } from '../../helpers/app.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { accounted } from '../../../shared/resources/figures.ts'
import { buildTestApp } from '../../helpers/app.ts'

let t: TestApp
let mine: string
let other: string
beforeAll(async () => {
  t = await buildTestApp()
  const worker = t.ctx.reference.org.people.find(p => p.roles.includes('grid_worker'))!
  mine = t.ctx.reference.org.rosters.find(r => r.workerId === worker.id)!.gridId
  other = t.ctx.reference.territory.grids.find(g => !t.ctx.reference.org.rosters.some(r => r.workerId === worker.id && r.gridId === g.id))!.id
})
afterAll(() => t.close())

const person = (gridId: string, name: string) => ({ gridId, category: 'elderly_alone', name, address: `${name}家 3-2`, phone: '13800001111', guardian: '女儿 13900002222', notes: '行动不便' })

async function add(body: object, as = 'operator') {
  return t.app.inject({ method: 'POST', url: '/api/vulnerable', headers: await t.as(as), payload: body })
}
async function register(as: string) {
  return t.app.inject({ method: 'GET', url: '/api/vulnerable', headers: await t.as(as) })
}
async function tallyOf(gridId: string): Promise<EvacuationTally | undefined> {
  const res = await t.app.inject({ method: 'GET', url: '/api/resources', headers: await t.as('wall') })
  return res.json<ResourcesState>().evacuation.find(e => e.gridId === gridId)
}
async function check(id: string, payload: object, as = 'grid_worker') {
  return t.app.inject({ method: 'POST', url: `/api/vulnerable/${id}/evacuation`, headers: await t.as(as), payload })
}
function csv(rows: string[][]): Buffer {
  return Buffer.from(`\uFEFF${rows.map(r => r.join(',')).join('\r\n')}\r\n`)
}
async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.addWorksheet('重点人群').addRows(rows)
  return Buffer.from(await wb.xlsx.writeBuffer())
}
async function upload(data: Buffer, as = 'operator', name = 'register.csv') {
  const boundary = '----register'
  const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), data, Buffer.from(`\r\n--${boundary}--\r\n`)])
  return t.app.inject({ method: 'POST', url: '/api/vulnerable/import', headers: { ...(await t.as(as)), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body })
}

describe('the register of vulnerable people', () => {
  let ids: string[] = []
  beforeAll(async () => {
    const made = await Promise.all([add(person(mine, '张大爷')), add(person(mine, '李奶奶')), add(person(other, '王伯伯'))])
    expect(made.map(r => r.statusCode)).toEqual([201, 201, 201])
    ids = made.map(r => r.json<VulnerablePerson>().id)
  })

  it('is refused to the wall, leaders and a share link, and shown to a grid worker only within their grids', async () => {
    for (const role of ['wall', 'leader'])
      expect((await register(role)).statusCode, role).toBe(403)
    const share = await t.app.inject({ method: 'GET', url: '/api/vulnerable', headers: await t.shareSession() })
    expect(share.statusCode).toBe(403)
    const seen = (await register('grid_worker')).json<RegisterAnswer>().people.map(p => p.name).sort()
    expect(seen).toEqual(['张大爷', '李奶奶'].sort())
    expect((await register('operator')).json<RegisterAnswer>().people).toHaveLength(3)
    expect((await add(person(other, '越界'), 'grid_worker')).statusCode).toBe(403)
  })

  it('follows the check-offs as n/N per grid during an operation, with counts only on the stream', async () => {
    const declared = await t.app.inject({ method: 'POST', url: '/api/wartime/declare', headers: await t.as('commander'), payload: { reason: '撤离测试' } })
    expect(declared.statusCode).toBe(201)
    // Opened when wartime starts: 0/N before anyone is checked off.
    await vi.waitFor(async () => expect(await tallyOf(mine)).toMatchObject({ total: 2, reached: 0, evacuated: 0, stays: 0 }), { timeout: 2000, interval: 20 })

    expect((await check(ids[0]!, { status: 'stays' })).json()).toMatchObject({ statusCode: 400, field: 'reason' })
    expect((await check(ids[0]!, { status: 'evacuated' })).statusCode).toBe(200)
    expect(accounted((await tallyOf(mine))!)).toBe(1)
    const stays = await check(ids[1]!, { status: 'stays', reason: '家属陪护，楼层高' })
    expect(stays.json<{ tally: EvacuationTally }>().tally).toMatchObject({ total: 2, evacuated: 1, stays: 1 })
    // Changed from evacuated to reached: still one person, counted once.
    await check(ids[0]!, { status: 'reached' })
    expect(await tallyOf(mine)).toMatchObject({ total: 2, reached: 1, evacuated: 0, stays: 1 })
    expect((await check(ids[2]!, { status: 'reached' })).statusCode).toBe(403)

    const page = await t.app.inject({ method: 'GET', url: '/api/changes?since=0', headers: await t.as('wall') })
    const stream = JSON.stringify(page.json<ChangesPage>().changes)
    expect(page.json<ChangesPage>().changes.some(c => c.kind === 'evacuation')).toBe(true)
    for (const secret of ['张大爷', '李奶奶', '13800001111', '家属陪护', ids[0]!])
      expect(stream, `the stream carries ${secret}`).not.toContain(secret)
  })

  it('imports all or nothing, naming the row to fix, and counts the newcomers', async () => {
    const header = ['网格', '类别', '姓名', '地址', '电话', '监护人', '备注']
    const bad = await upload(csv([header, [mine, '卧床', '赵阿姨', '', '', '', ''], ['no-such-grid', '残疾人', '钱叔', '', '', '', ''], [mine, '独居', '孙婆婆', '', '', '', '']]))
    expect(bad.statusCode, bad.body).toBe(400)
    const problems = bad.json<RegisterImportAnswer>().problems
    expect(problems.map(p => [p.row, p.column])).toEqual([[3, '网格'], [4, '类别']])
    expect((await register('operator')).json<RegisterAnswer>().people).toHaveLength(3)
    const workbook = await upload(await xlsx([header, [mine, '卧床', '赵阿姨', '', '', '', ''], [mine, '残疾人', '', '', '', '', '']]), 'operator', 'register.xlsx')
    expect(workbook.statusCode, workbook.body).toBe(400)
    expect(workbook.json<RegisterImportAnswer>().problems.map(p => [p.row, p.column])).toEqual([[3, '姓名']])

    const good = await upload(csv([header, [mine, '卧床', '赵阿姨', '', '', '', ''], [mine, 'disabled', '钱叔', '', '', '', '']]))
    expect(good.statusCode, good.body).toBe(201)
    expect(good.json<RegisterImportAnswer>().imported).toBe(2)
    expect(await tallyOf(mine)).toMatchObject({ total: 4, reached: 1, stays: 1 })
  })
})
