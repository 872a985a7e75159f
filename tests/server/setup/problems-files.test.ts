import { describe, expect, it } from 'vitest'
import { writePackage } from '../../../server/setup/codec/index.ts'
import { editSheet, jialing, problemsOf, replaceFile, where } from './helpers.ts'

// Files, sheets, columns and cell values a reader cannot use: each names the place to fix.

const xlsx = () => writePackage(jialing())
const csv = () => writePackage(jialing(), { tabular: 'csv' })

describe('package files', () => {
  it('names an unreadable workbook', async () => {
    const files = (await xlsx()).map(f => (f.name === 'subdistrict.xlsx' ? { name: f.name, data: Buffer.from('not a zip') } : f))
    const problems = await problemsOf(files)
    expect(problems.map(where)).toEqual([{ file: 'subdistrict.xlsx', code: 'unreadable_file' }])
    expect(problems[0]!.reason).toMatch(/无法读取工作簿/)
  })

  it('names unreadable GeoJSON', async () => {
    const files = replaceFile(await xlsx(), 'grids.geojson', t => t.slice(0, 100))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'grids.geojson', code: 'unreadable_file' }])
  })

  it('names a missing required file', async () => {
    const files = (await xlsx()).filter(f => f.name !== 'plans.json')
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'plans.json', code: 'missing_file' }])
  })

  it('names a missing workbook when there is no CSV either', async () => {
    const files = (await xlsx()).filter(f => f.name !== 'subdistrict.xlsx')
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'subdistrict.xlsx', code: 'missing_file' }])
  })

  it('names a missing sheet in the workbook', async () => {
    const files = await editSheet(await xlsx(), '网格联络人', (ws, wb) => wb.removeWorksheet(ws.id))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'subdistrict.xlsx', sheet: '网格联络人', code: 'missing_sheet' }])
  })

  it('names a missing sheet file in a CSV package', async () => {
    const files = (await csv()).filter(f => f.name !== '物资储备.csv')
    expect((await problemsOf(files)).map(where)).toEqual([{ file: '物资储备.csv', sheet: '物资储备', code: 'missing_sheet' }])
  })

  it('names a missing column with its header', async () => {
    const files = replaceFile(await csv(), '人员.csv', t => t.replace('编号,姓名,', '编号,名字,'))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: '人员.csv', sheet: '人员', row: 1, column: '姓名', code: 'missing_column' }])
  })
})

describe('cell values', () => {
  it('names a number that is not one (workbook)', async () => {
    const files = await editSheet(await xlsx(), '力量单位', ws => ws.getCell('E3').value = '东经106度')
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'subdistrict.xlsx', sheet: '力量单位', row: 3, column: '驻地经度', id: 'jl-fu-power_grid', code: 'bad_value' }])
  })

  it('names a latitude off the globe (a swapped pair) in the workbook and in GeoJSON', async () => {
    let files = await editSheet(await xlsx(), '力量单位', ws => ws.getCell('F2').value = 106.07)
    files = replaceFile(files, 'facilities.geojson', t => t.replace('"coordinates":[106.079,30.797]', '"coordinates":[30.797,106.079]'))
    const problems = await problemsOf(files)
    expect(problems.map(where)).toEqual([
      { file: 'subdistrict.xlsx', sheet: '力量单位', row: 2, column: '驻地纬度', id: 'jl-fu-water_supply', code: 'bad_value' },
      { file: 'facilities.geojson', row: 1, column: 'geometry', id: 'jl-dp-1', code: 'bad_geometry' },
    ])
    expect(problems[0]!.reason).toBe('“106.07”不是有效的数字（-90 至 90）')
  })

  it('names a negative stock quantity', async () => {
    const files = await editSheet(await xlsx(), '物资储备', ws => ws.getCell('C4').value = -5)
    const [p] = await problemsOf(files)
    expect(where(p!)).toEqual({ file: 'subdistrict.xlsx', sheet: '物资储备', row: 4, column: '数量', id: 'jl-dp-1', code: 'bad_value' })
    expect(p!.reason).toBe('“-5”不是有效的整数（不小于 0）')
  })

  it('names households that are not a number in GeoJSON', async () => {
    const files = replaceFile(await xlsx(), 'grids.geojson', t => t.replace(/"households":\d+/, '"households":"many"'))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'grids.geojson', row: 1, column: 'households', id: 'jl-binjiang-1', code: 'bad_value' }])
  })

  it('names a severity outside I–IV', async () => {
    const files = await editSheet(await xlsx(), '事项类别', ws => ws.getCell('D3').value = 'V')
    const [p] = await problemsOf(files)
    expect(where(p!)).toEqual({ file: 'subdistrict.xlsx', sheet: '事项类别', row: 3, column: '等级', id: 'petition_visit', code: 'bad_value' })
    expect(p!.reasonEn).toBe('"V" is not one of 1, 2, 3, 4')
  })

  it('names an unknown loop and an unknown responsibility type', async () => {
    const files = replaceFile(await csv(), '事项类别.csv', t => t.replace(',II,街道,单一板块,', ',II,省,单一板块,').replace(',社区任务,', ',区县任务,'))
    expect((await problemsOf(files)).map(where)).toEqual([
      { file: '事项类别.csv', sheet: '事项类别', row: 3, column: '闭环', id: 'petition_visit', code: 'bad_value' },
      { file: '事项类别.csv', sheet: '事项类别', row: 7, column: '责任类型', id: 'elderly_visit', code: 'bad_value' },
    ])
  })

  it('names an unknown role', async () => {
    const files = replaceFile(await csv(), '人员.csv', t => t.replace('operator;admin', 'operator;janitor'))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: '人员.csv', sheet: '人员', row: 4, column: '角色', id: 'jl-op-2', code: 'bad_value' }])
  })

  it('names an empty required cell', async () => {
    const files = await editSheet(await xlsx(), '岗位', ws => ws.getCell('C5').value = null)
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'subdistrict.xlsx', sheet: '岗位', row: 5, column: '名称', id: 'svc_health', code: 'missing_value' }])
  })

  it('names a plan that does not match the plan format', async () => {
    const files = replaceFile(await xlsx(), 'plans.json', t => t.replace('"deadlineFactor": 0.8', '"deadlineFactor": 3'))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'plans.json', row: 2, column: 'deadlineFactor', id: 'jl-fire', code: 'bad_value' }])
  })

  it('names scoring that does not match the scoring format', async () => {
    const files = replaceFile(await xlsx(), 'scoring.json', t => t.replace('"bestCandidates": 2', '"bestCandidates": "two"'))
    expect((await problemsOf(files)).map(where)).toEqual([{ file: 'scoring.json', column: 'rankings.bestCandidates', code: 'bad_value' }])
  })
})
