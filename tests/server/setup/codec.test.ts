import { describe, expect, it } from 'vitest'
import { readPackage, writePackage } from '../../../server/setup/codec/index.ts'
import { buildCuntanPackage } from '../../../server/territory/cuntan/package.ts'
import { folder, jialing } from './helpers.ts'

const CUNTAN_DIR = 'server/setup/packages/cuntan'
const JIALING_DIR = 'tests/fixtures/packages/jialing'

describe('subdistrict package round trip', () => {
  it('reads the committed Cuntan files as exactly the package the demo builds', async () => {
    const { pkg, problems } = await readPackage(folder(CUNTAN_DIR))
    expect(problems).toEqual([])
    expect(pkg).toStrictEqual(buildCuntanPackage())
  })

  it('reads the committed Jialing fixture as exactly the package its script builds', async () => {
    const { pkg, problems } = await readPackage(folder(JIALING_DIR))
    expect(problems).toEqual([])
    expect(pkg).toStrictEqual(jialing())
  })

  for (const tabular of ['xlsx', 'csv'] as const) {
    it(`gives back the Cuntan package through ${tabular}`, async () => {
      const built = buildCuntanPackage()
      const { pkg, problems } = await readPackage(await writePackage(built, { tabular }))
      expect(problems).toEqual([])
      expect(pkg).toStrictEqual(built)
    })
    it(`gives back the Jialing package through ${tabular}`, async () => {
      const built = jialing()
      const { pkg, problems } = await readPackage(await writePackage(built, { tabular }))
      expect(problems).toEqual([])
      expect(pkg).toStrictEqual(built)
    })
  }

  it('writes the files the format names, one CSV per sheet with a BOM', async () => {
    const xlsx = await writePackage(jialing())
    expect(xlsx.map(f => f.name)).toEqual(['communities.geojson', 'grids.geojson', 'facilities.geojson', 'subdistrict.xlsx', 'plans.json', 'scoring.json'])
    const csv = await writePackage(jialing(), { tabular: 'csv' })
    expect(csv.map(f => f.name).filter(n => n.endsWith('.csv'))).toEqual(['街道.csv', '板块.csv', '岗位.csv', '人员.csv', '网格力量.csv', '网格联络人.csv', '力量类别.csv', '力量单位.csv', '事项类别.csv', '字典.csv', '物资储备.csv'])
    const people = csv.find(f => f.name === '人员.csv')!.data
    expect([...people.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    expect(people.toString('utf8').split('\r\n')[0]).toBe('\uFEFF编号,姓名,角色,职务,板块,岗位,社区,力量类别,力量单位,电话,智能手机')
  })

  it('keeps a person without a smartphone (智能手机 否) through xlsx and csv (#17)', async () => {
    const built = jialing()
    built.reference.org.people[0]!.smartphone = false
    for (const tabular of ['xlsx', 'csv'] as const) {
      const { pkg } = await readPackage(await writePackage(built, { tabular }))
      expect(pkg!.reference.org.people.map(p => p.smartphone)).toEqual(built.reference.org.people.map((_, i) => (i === 0 ? false : undefined)))
    }
  })

  it('writes the same workbook bytes twice (fixed dates), so the committed files diff clean', async () => {
    const a = await writePackage(jialing())
    await new Promise(resolve => setTimeout(resolve, 2100)) // zip times have 2-second resolution
    const b = await writePackage(jialing())
    expect(a.map(f => f.data.toString('base64'))).toEqual(b.map(f => f.data.toString('base64')))
  })

  it('computes a centre when a feature has none', async () => {
    const files = (await writePackage(jialing())).map(f => f.name !== 'grids.geojson'
      ? f
      : { name: f.name, data: Buffer.from(f.data.toString('utf8').replace(/"center":\[[\d.]+,[\d.]+\]/, '"center":null')) })
    const { pkg } = await readPackage(files)
    expect(pkg!.reference.territory.grids[0]!.center).toEqual(jialing().reference.territory.grids[0]!.center)
  })

  it('accepts Chinese role names in 角色', async () => {
    const files = (await writePackage(jialing(), { tabular: 'csv' })).map(f => f.name !== '人员.csv'
      ? f
      : { name: f.name, data: Buffer.from(f.data.toString('utf8').replace('operator;admin', '值班员；系统管理员')) })
    const { pkg, problems } = await readPackage(files)
    expect(problems).toEqual([])
    expect(pkg!.reference.org.people.find(p => p.id === 'jl-op-2')!.roles).toEqual(['operator', 'admin'])
  })

  it('carries working-day limits and the package\'s own holidays (节假日) both ways', async () => {
    const pkg = jialing()
    pkg.categories[0]!.workdays = { handling: 5, verified: 2 }
    pkg.calendar = { holidays: ['2027-01-01', '2027-02-08'], workdays: ['2027-02-20'] }
    for (const tabular of ['xlsx', 'csv'] as const) {
      const files = await writePackage(pkg, { tabular })
      if (tabular === 'csv')
        expect(files.find(f => f.name === '节假日.csv')!.data.toString('utf8')).toBe('\uFEFF日期,类型,名称\r\n2027-01-01,休,\r\n2027-02-08,休,\r\n2027-02-20,班,\r\n')
      const back = await readPackage(files)
      expect(back.problems).toEqual([])
      expect(back.pkg!.categories[0]!.workdays).toEqual({ handling: 5, verified: 2 })
      expect(back.pkg!.calendar).toEqual(pkg.calendar)
    }
  })

  it('names a 节假日 row whose date is not a date, and a day both off and on', async () => {
    const pkg = jialing()
    pkg.calendar = { holidays: ['2027-01-01'], workdays: ['2027-01-01'] }
    const files = (await writePackage(pkg, { tabular: 'csv' })).map(f => f.name !== '节假日.csv'
      ? f
      : { name: f.name, data: Buffer.from(`${f.data.toString('utf8')}2027/02/30,休,\r\n`) })
    const { pkg: refused, problems } = await readPackage(files)
    expect(refused).toBeNull()
    expect(problems.map(p => ({ file: p.file, row: p.row, column: p.column, id: p.id, code: p.code }))).toEqual([
      { file: '节假日.csv', row: 4, column: '日期', id: '2027/02/30', code: 'bad_value' },
      { file: '节假日.csv', row: undefined, column: '日期', id: '2027-01-01', code: 'duplicate_code' },
    ])
  })
})
